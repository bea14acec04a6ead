import Foundation
import NNIR
import NNInput

/// Assembles a `Spec` from command-line flags and spec files, in the order
/// given; boxes intersect, constraints accumulate, and a second objective or
/// a second disjunction is an error rather than a silent override.
public struct SpecBuilder {
    /// The spec so far.
    public internal(set) var spec: Spec
    /// The network's inputs and outputs.
    public let symbols: SymbolTable
    /// The spec files being read, to refuse include cycles.
    private var includes = SpecIncludes()

    /// An empty spec for the network described by `symbols`.
    public init(symbols: SymbolTable) {
        self.symbols = symbols
        self.spec = Spec(inputCount: symbols.inputs.count)
    }

    /// `LO:HI` for every element of every input.
    public mutating func addInputBox(_ text: String, source: String = "--input-box") throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let lower = Double(parts[0]), let upper = Double(parts[1]), lower.isFinite, upper.isFinite else {
            throw Diagnostic(.usage, location: "\(source) '\(text)'", "expected LO:HI with two finite numbers, e.g. 0:1 or -1:1")
        }
        try addInputBox(lower: lower, upper: upper, source: "\(source) '\(text)'")
    }

    /// `[lower, upper]` for every element of every input; with lower above upper the domain is
    /// empty, a problem whose answer is that nothing is feasible (see `Spec.emptyDomainReason`).
    mutating func addInputBox(lower: Double, upper: Double, source: String) throws {
        guard lower.isFinite, upper.isFinite else {
            throw Diagnostic(.usage, location: source, "the box needs finite ends")
        }
        for (t, input) in symbols.inputs.enumerated() {
            spec.intersectInput(t, with: Bounds(lower: Array(repeating: lower, count: input.count), upper: Array(repeating: upper, count: input.count)))
        }
    }

    /// Per-element bounds from a JSON file (see `InputBoundsFile`).
    public mutating func addInputBounds(path: String) throws {
        for (t, bounds) in try InputBoundsFile.read(path: path, symbols: symbols).enumerated() {
            if let bounds { spec.intersectInput(t, with: bounds) }
        }
    }

    /// The FILE of a `FILE:EPS` ball argument (everything before the last colon), or nil without one.
    public static func ballFile(_ argument: String) -> String? {
        argument.lastIndex(of: ":").map { String(argument[..<$0]) }
    }

    /// `FILE:EPS`: the ball of radius EPS around the point in FILE (JSON as for `nnmip eval --input`).
    public mutating func addBall(_ norm: NormBall.Norm, argument: String, source: String) throws {
        guard let path = Self.ballFile(argument), let radius = Double(argument.dropFirst(path.count + 1)),
              radius.isFinite, radius >= 0 else {
            throw Diagnostic(.usage, location: "\(source) '\(argument)'", "expected FILE:EPS, e.g. x0.json:0.03, with EPS >= 0")
        }
        let points = try InputVectors.read(path, symbols: symbols)
        try addBall(norm, centers: points, radius: radius, source: source)
    }

    /// A ball around `centers` (one flat point per input) of radius `radius`.
    mutating func addBall(_ norm: NormBall.Norm, centers: [[Double]], radius: Double, source: String) throws {
        guard !spec.balls.contains(where: { $0.norm == norm }) else {
            throw Diagnostic(.usage, location: source, "only one \(norm == .linf ? "L-inf" : "L1") ball may be given")
        }
        for (t, center) in centers.enumerated() {
            spec.balls.append(NormBall(norm, input: t, center: center, radius: radius))
        }
    }

    /// Sets the objective; fails if one is already set.
    public mutating func setObjective(_ sense: ObjectiveSense, _ text: String, source: String) throws {
        guard spec.objective == nil else { throw Diagnostic(.usage, location: source, "an objective is already given; a spec has one objective, to maximize or to minimize") }
        let expression = try ExpressionParser.expression(text, source: source, symbols: symbols)
        guard !expression.nonzeroTerms.isEmpty else { throw Diagnostic(.usage, location: "\(source) '\(text)'", "the objective mentions no input or output") }
        spec.objective = Objective(sense, expression)
    }

    /// Adds a constraint such as `y3 >= y7`.
    public mutating func addConstraint(_ text: String, source: String) throws {
        spec.constraints.append(try ExpressionParser.constraint(text, source: source, symbols: symbols))
    }

    /// Adds alternatives: at least one conjunction must hold.
    mutating func addDisjunction(_ alternatives: [[LinearConstraint]], source: String) throws {
        guard spec.disjuncts.isEmpty else { throw Diagnostic(.usage, location: source, "only one disjunction may be given (a VNN-LIB 'or' counts as one)") }
        spec.disjuncts = alternatives
    }

    /// Reads a spec file (`-`: standard input; gzipped or not): VNN-LIB or nnmip's JSON spec, by
    /// its name's extension (`.vnnlib`, `.json`) or else by its content (`SpecFormat`). A fault in
    /// what the file says (a name the network lacks, a second objective) is malformed input, exit 65.
    public mutating func addSpecFile(path: String) throws {
        try includes.entering(path)
        defer { includes.leaving() }
        let input = try InputFile.read(path, for: SpecFormat.purpose)
        try Diagnostic.readingFileContent {
            switch try SpecFormat.of(input) {
            case .vnnlib:
                let property = try VNNLibParser(path: input.name, symbols: symbols).parse(input.bytes)
                for (t, bounds) in property.inputBounds.enumerated() {
                    if let bounds { spec.intersectInput(t, with: bounds) }
                }
                spec.constraints += property.constraints
                if !property.disjuncts.isEmpty { try addDisjunction(property.disjuncts, source: input.name) }
            case .json:
                try SpecFile(input: input).apply(to: &self)
            }
        }
    }

    /// The finished spec, with single-element input constraints turned into bounds.
    public func finish() -> Spec {
        var result = spec
        result.absorbInputBounds(symbols: symbols)
        return result
    }
}
