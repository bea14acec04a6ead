import Foundation

/// `--stats` for the pass pipeline: the size of the MILP the graph would give
/// before the first pass and after each one (ReLU neurons, unstable ones,
/// binaries, nonzeros), as LLVM's `-stats` reports what passes changed.
public final class PassStatisticsInstrumentation: PassInstrumentation {
    /// One row of the report.
    public struct Row: Sendable {
        /// `(input)` for the graph before the first pass, else the pass as written in the pipeline.
        public var stage: String
        /// ReLU and Leaky ReLU neurons.
        public var neurons: Int
        /// Those whose operand's bounds straddle zero.
        public var unstable: Int
        /// Binary variables of the MILP; nil while smooth activations are left (no MILP holds them).
        public var binaries: Int?
        /// Nonzero coefficients of the MILP; nil while smooth activations are left.
        public var nonzeros: Int?
    }

    /// The rows measured so far.
    public private(set) var rows: [Row] = []
    private let spec: Spec

    /// Measures formulations of the graph under `spec` (which needs an input domain).
    public init(spec: Spec) {
        self.spec = spec
    }

    public func beforePass(_ pass: Pipeline.Entry, graph: Graph) throws {
        if rows.isEmpty { try measure(graph, stage: "(input)") }
    }

    public func afterPass(_ pass: Pipeline.Entry, graph: Graph, seconds: Double) throws {
        try measure(graph, stage: Pipeline(entries: [pass]).description)
    }

    /// Formulates a copy of `graph` (interval bounds where a node has none) and counts.
    private func measure(_ graph: Graph, stage: String) throws {
        var bounded = graph
        if !bounded.inputs.allSatisfy({ bounded[$0].bounds != nil }) {
            bounded = try Compilation.withInputDomain(bounded, spec: spec)
        }
        IntervalBounds.annotate(&bounded)
        if bounded.hasSmoothActivations {
            // Before pwl-approx there is no MILP to measure yet: the ReLUs are counted from the bounds.
            let (neurons, unstable) = bounded.reluNeuronCounts
            rows.append(Row(stage: stage, neurons: neurons, unstable: unstable, binaries: nil, nonzeros: nil))
            return
        }
        let statistics = try Formulator.formulate(bounded, spec: spec).statistics
        var neurons = 0, unstable = 0
        for layer in statistics.layers where layer.operation == "relu" || layer.operation == "leaky_relu" {
            neurons += layer.inactive + layer.active + layer.unstable
            unstable += layer.unstable
        }
        rows.append(Row(stage: stage, neurons: neurons, unstable: unstable, binaries: statistics.binaries, nonzeros: statistics.nonzeros))
    }

    /// The rows as an aligned table with a header line.
    public var report: String {
        let header = ["pass", "relu_neurons", "relu_unstable", "binaries", "nonzeros"]
        let cells = [header] + rows.map { [$0.stage, "\($0.neurons)", "\($0.unstable)", $0.binaries.map(String.init) ?? "-", $0.nonzeros.map(String.init) ?? "-"] }
        let widths = header.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        let lines = cells.map { row in
            row.enumerated().map { c, text in
                c == 0 ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - text.count) + text
            }.joined(separator: "  ")
        }
        return "===== pass statistics =====\n" + lines.joined(separator: "\n") + "\n"
    }
}
