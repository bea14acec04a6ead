import NNPasses

/// How one surrogate of the "surrogate within a surrogate" search is made:
/// a pruning method and a sparsity, as `--surrogate` spells them.
public struct SurrogatePruning: Equatable, Sendable, CustomStringConvertible {
    /// The pruning pass behind each spelling.
    public enum Method: String, CaseIterable, Sendable {
        /// `prune=S`: unstructured magnitude pruning (the paper's choice).
        case magnitude = "prune"
        /// `prune-random=S`: random weights, the baseline.
        case random = "prune-random"
        /// `prune-neurons=S`: whole neurons by incoming L1 norm.
        case neurons = "prune-neurons"
    }

    /// The pruning method.
    public var method: Method
    /// The fraction removed, in [0, 1).
    public var sparsity: Double

    /// Creates a surrogate description.
    public init(method: Method, sparsity: Double) {
        self.method = method
        self.sparsity = sparsity
    }

    /// `prune=0.8`, `prune-random=0.8` or `prune-neurons=0.5`: the source label of its solutions.
    public var description: String { "\(method.rawValue)=\(sparsity)" }

    /// The pass that prunes, as pipeline text.
    public var pipelineText: String {
        switch method {
        case .magnitude: "\(PrunePass.name){sparsity=\(sparsity)}"
        case .random: "\(PrunePass.name){sparsity=\(sparsity),method=random}"
        case .neurons: "\(PruneNeuronsPass.name){sparsity=\(sparsity)}"
        }
    }

    /// The pruning followed by `passes` (bounds and dead-neuron elimination shrink the surrogate further).
    public func pipeline(then passes: Pipeline) throws -> Pipeline {
        try Pipeline(parsing: passes.entries.isEmpty ? pipelineText : pipelineText + "," + passes.description)
    }

    /// Parses `METHOD=S[,S...]` (METHOD one of prune, prune-random, prune-neurons; sparsities in [0, 1)),
    /// or nil when the text is not of that form.
    public static func parseList(_ text: String) -> [SurrogatePruning]? {
        guard let equals = text.firstIndex(of: "="), let method = Method(rawValue: String(text[..<equals])) else { return nil }
        let values = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false).map { Double($0) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { $0 >= 0 && $0 < 1 } ?? false }) else { return nil }
        return values.map { SurrogatePruning(method: method, sparsity: $0!) }
    }
}
