/// The reference evaluator: computes what the network computes, in Float64.
///
/// It is the oracle every later stage is checked against (MILP solutions,
/// bounds, pruned surrogates), so it is written for clarity, one plain loop
/// nest per operation.
public struct Evaluator: Sendable {
    /// The graph to evaluate; it should have passed `Verifier`.
    public let graph: Graph

    /// Creates an evaluator for `graph`.
    public init(graph: Graph) {
        self.graph = graph
    }

    /// Evaluates every node. `inputs` holds one flat vector per graph input,
    /// in the order of `graph.inputs`. Returns the value of every node.
    public func evaluateAll(inputs: [[Double]]) throws -> [[Double]] {
        let inputIDs = graph.inputs
        guard inputs.count == inputIDs.count else {
            throw Diagnostic(.usage, "the network has \(inputIDs.count) input(s) but \(inputs.count) were given")
        }
        var values = [[Double]](repeating: [], count: graph.nodes.count)
        var nextInput = 0
        for (index, node) in graph.nodes.enumerated() {
            if case .input(let name) = node.operation {
                let given = inputs[nextInput]
                nextInput += 1
                guard given.count == node.elementCount else {
                    throw Diagnostic(.usage, "input '\(name)' has \(node.elementCount) elements (shape \(Shape.describe(node.shape))) but \(given.count) values were given")
                }
                values[index] = given
            } else {
                values[index] = Evaluator.apply(node, operands: node.operands.map { values[$0.index] },
                                                operandShapes: node.operands.map { graph[$0].shape })
            }
        }
        return values
    }

    /// Evaluates the network and returns the flat value of each output, in order.
    public func evaluate(inputs: [[Double]]) throws -> [[Double]] {
        let values = try evaluateAll(inputs: inputs)
        return graph.outputs.map { values[$0.value.index] }
    }

    /// Computes one node's value from its operands' values.
    public static func apply(_ node: Node, operands: [[Double]], operandShapes: [[Int]]) -> [Double] {
        switch node.operation {
        case .input:
            return operands.first ?? []
        case .affine(let affine):
            return affine.weights.apply(operands[0], bias: affine.bias)
        case .convolution(let conv):
            return convolve(operands[0], shape: operandShapes[0], conv, outputShape: node.shape)
        case .maxPool(let pool):
            return SpatialWindows(input: operandShapes[0], output: node.shape, window: pool.window).maxPool(operands[0])
        case .averagePool(let pool, let countIncludePad):
            return SpatialWindows(input: operandShapes[0], output: node.shape, window: pool.window)
                .averagePool(operands[0], countIncludePad: countIncludePad)
        case .relu:
            return operands[0].map { max($0, 0) }
        case .leakyRelu(let alpha):
            return operands[0].map { $0 >= 0 ? $0 : alpha * $0 }
        case .smooth(let function):
            return operands[0].map(function.value)
        case .band:
            return operands[0]
        case .scaleShift(let scale, let shift):
            let x = operands[0]
            return x.indices.map { scale[$0] * x[$0] + shift[$0] }
        case .reshape:
            return operands[0]
        case .gather(let indices):
            let x = operands[0]
            return indices.map { $0 < 0 ? 0 : x[$0] }
        case .add:
            return zip(operands[0], operands[1]).map { $0 + $1 }
        }
    }

    private static func convolve(_ x: [Double], shape: [Int], _ conv: Convolution, outputShape: [Int]) -> [Double] {
        let geometry = SpatialWindows(input: shape, output: outputShape, window: conv.window)
        return (0..<conv.outChannels * geometry.outHeight * geometry.outWidth).map { output in
            var sum = conv.bias[geometry.position(ofOutput: output).channel]
            geometry.forEachConvolutionTap(output: output, outChannels: conv.outChannels, groups: conv.groups) { weight, input in
                sum += conv.weights[weight] * x[input]
            }
            return sum
        }
    }
}
