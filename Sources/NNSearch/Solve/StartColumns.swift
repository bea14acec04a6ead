import NNIR
import NNMILP
import NNSpec

/// A MIP start from an input point: the value of every column of a
/// formulation when the network is evaluated there, so that HiGHS receives a
/// complete solution it only has to check.
struct StartColumns {
    /// The graph that was formulated (after the passes): column entries name its nodes.
    let graph: Graph
    /// The spec it was formulated with (for L1 balls and disjuncts).
    let spec: Spec
    /// The formulation.
    let formulation: Formulation

    /// Every column's value at `inputs` (one flat vector per network input).
    func values(at inputs: [[Double]]) throws -> [Double] {
        let values = try Evaluator(graph: graph).evaluateAll(inputs: inputs)
        let entries = formulation.names.entries
        // Max pooling: per window, the first tap that holds the maximum gets its selector set.
        var winners: [Int: [Int: Int]] = [:]  // node → element → tap
        for entry in entries where entry.role == .maxPoolSelector {
            let operand = values[graph.nodes[entry.node].operands[0].index]
            let tap = entry.tap!
            if let current = winners[entry.node]?[entry.element], operand[current] >= operand[tap] { continue }
            winners[entry.node, default: [:]][entry.element] = tap
        }
        let outputs = graph.outputs.map { values[$0.value.index] }
        let chosenDisjunct = spec.disjuncts.indices.first { spec.disjunctViolation($0, inputs: inputs, outputs: outputs) <= 0 }
        return entries.map { entry -> Double in
            switch entry.role {
            case .input, .linear, .relu, .leakyRelu, .maxPool, .band, .output:
                return values[entry.node][entry.element]
            case .reluIndicator:
                return values[graph.nodes[entry.node].operands[0].index][entry.element] > 0 ? 1 : 0
            case .leakyReluIndicator:
                return values[graph.nodes[entry.node].operands[0].index][entry.element] >= 0 ? 1 : 0
            case .maxPoolSelector:
                return winners[entry.node]?[entry.element] == entry.tap ? 1 : 0
            case .l1Distance:
                let position = graph.inputs.firstIndex { $0.index == entry.node } ?? 0
                let center = spec.balls.first { $0.input == position && $0.norm == .l1 }?.center[entry.element] ?? 0
                return abs(values[entry.node][entry.element] - center)
            case .disjunctSelector:
                return entry.element == chosenDisjunct ? 1 : 0
            }
        }
    }
}
