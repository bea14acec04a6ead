/// Evaluates many points at once, for the searches that rank candidates (sampled starts, gradient
/// steps): each dense affine layer as one BLAS product over the whole batch
/// (`WeightMatrix.applyBatch`), every other operation with `Evaluator.apply`, the reference's own code.
///
/// It is not the judge. A dense layer's sums come out in BLAS's order, so its values may differ from
/// `Evaluator`'s in their last bits (each product is within `gamma(columns + 1)` times its terms'
/// magnitude sum of the exact one, as the reference's is); every point a search reports is evaluated
/// again by `Evaluator`. The tests check both sides of that: node by node, each value equals
/// `Evaluator.apply` on the batch's own operand values exactly, or for a dense layer within twice that
/// bound, and on networks whose arithmetic is exact the whole evaluation equals the reference's.
public struct BatchEvaluator: Sendable {
    /// The graph to evaluate; it should have passed `Verifier`.
    public let graph: Graph

    /// Creates a batch evaluator for `graph`.
    public init(graph: Graph) {
        self.graph = graph
    }

    /// Evaluates every node at `count` points. `inputs` holds one vector per graph input (in
    /// `graph.inputs` order) with the points' flat values one after another; the result holds every
    /// node's values likewise (`count x elements`).
    public func evaluateAll(batch inputs: [[Double]], count: Int) throws -> [[Double]] {
        guard inputs.count == graph.inputs.count else {
            throw Diagnostic(.usage, "the network has \(graph.inputs.count) input(s) but \(inputs.count) were given")
        }
        var values = [[Double]](repeating: [], count: graph.nodes.count)
        var nextInput = 0
        for (index, node) in graph.nodes.enumerated() {
            let operands = node.operands.map { values[$0.index] }
            let shapes = node.operands.map { graph[$0].shape }
            switch node.operation {
            case .input(let name):
                let given = inputs[nextInput]
                nextInput += 1
                guard given.count == count * node.elementCount else {
                    throw Diagnostic(.usage, "input '\(name)' has \(node.elementCount) elements (shape \(Shape.describe(node.shape))) per point but \(given.count) values were given for \(count) points")
                }
                values[index] = given
            case .affine(let affine):
                values[index] = affine.weights.applyBatch(operands[0], count: count, bias: affine.bias)
            case .relu, .leakyRelu, .smooth, .band, .reshape, .add:
                // Element by element: to them the batch is one long vector.
                values[index] = Evaluator.apply(node, operands: operands, operandShapes: shapes)
            case .convolution, .maxPool, .averagePool, .scaleShift, .gather:
                let sizes = node.operands.map { graph[$0].elementCount }
                var result = [Double]()
                result.reserveCapacity(count * node.elementCount)
                for point in 0..<count {
                    let slices = zip(operands, sizes).map { Array($0[point * $1..<(point + 1) * $1]) }
                    result += Evaluator.apply(node, operands: slices, operandShapes: shapes)
                }
                values[index] = result
            }
        }
        return values
    }

    /// Evaluates every node at one point, in `Evaluator.evaluateAll`'s layout.
    public func evaluateAll(inputs: [[Double]]) throws -> [[Double]] {
        try evaluateAll(batch: inputs, count: 1)
    }

    /// The outputs at each of `points` (each one flat vector per graph input), per point in
    /// `Evaluator.evaluate`'s layout.
    public func evaluate(points: [[[Double]]]) throws -> [[[Double]]] {
        guard !points.isEmpty else { return [] }
        let sizes = graph.inputs.map { graph[$0].elementCount }
        for point in points where point.map(\.count) != sizes {
            throw Diagnostic(.usage, "the network's inputs have \(sizes) elements but a point has \(point.map(\.count))")
        }
        let batch = graph.inputs.indices.map { t in points.flatMap { $0[t] } }
        let values = try evaluateAll(batch: batch, count: points.count)
        return points.indices.map { point in
            graph.outputs.map { output in
                let n = graph[output.value].elementCount
                return Array(values[output.value.index][point * n..<(point + 1) * n])
            }
        }
    }
}
