/// Checks the invariants every pass and back end relies on: operands defined
/// before use, shapes that agree with weights, finite parameters, ordered
/// bounds without NaN.
///
/// Front ends run it on what they build, the pass manager after each pass
/// under `--verify-each`, and every test on every graph it touches. Each node
/// is checked for its structure, then by the check of its operation kind,
/// then for its bounds (see `NodeCheck`).
public enum Verifier {
    /// Throws a `Diagnostic` naming the first node that breaks an invariant.
    public static func verify(_ graph: Graph) throws {
        for index in graph.nodes.indices {
            try verifyNode(graph, index)
        }
        guard !graph.outputs.isEmpty else {
            throw Diagnostic(.malformedInput, "the graph has no outputs")
        }
        for output in graph.outputs where !graph.nodes.indices.contains(output.value.index) {
            throw Diagnostic(.malformedInput, location: "output '\(output.name)'", "refers to undefined value \(output.value)")
        }
    }

    private static func verifyNode(_ graph: Graph, _ index: Int) throws {
        let check = try NodeCheck(graph, index)
        switch check.node.operation {
        case .input: break
        case .affine(let affine): try check.affine(affine)
        case .convolution(let conv): try check.convolution(conv)
        case .maxPool(let pool), .averagePool(let pool, _): try check.pooling(pool)
        case .relu, .reshape: try check.sameSize()
        case .leakyRelu(let alpha): try check.leakyRelu(alpha: alpha)
        case .smooth(let function): try check.smooth(function)
        case .band(let below, let above): try check.band(below: below, above: above)
        case .scaleShift(let scale, let shift): try check.scaleShift(scale: scale, shift: shift)
        case .gather(let indices): try check.gather(indices)
        case .add: try check.add()
        }
        try check.bounds()
    }
}
