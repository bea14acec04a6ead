/// The gradient, with respect to the network's inputs, of a linear function of its outputs:
/// reverse-mode differentiation through the graph, one plain loop nest per operation, as the
/// `Evaluator` computes forward, except that a dense affine layer's transposed product goes through
/// BLAS (`WeightMatrix.applyTransposed`): the gradient steers local searches and is never judged.
///
/// The network is piecewise linear, so the gradient is exact wherever no ReLU input is 0 and no max-pool window
/// has a tie; there it is one subgradient: a ReLU passes nothing at 0, a leaky ReLU its slope 1,
/// and max pooling routes to the first tap holding the maximum (as `Evaluator` and the MILP's
/// start columns choose it).
public struct InputGradient: Sendable {
    /// The graph differentiated; it should have passed `Verifier`.
    public let graph: Graph

    /// Prepares the gradient of `graph`.
    public init(graph: Graph) {
        self.graph = graph
    }

    /// `∂(Σ_o outputWeights[o] · output_o) / ∂input`, one flat vector per graph input (in
    /// `graph.inputs` order), at the point whose node values are `values` (from
    /// `Evaluator.evaluateAll`). `outputWeights` holds one vector per graph output, in
    /// `graph.outputs` order, each as long as that output.
    public func gradient(values: [[Double]], outputWeights: [[Double]]) -> [[Double]] {
        precondition(values.count == graph.nodes.count && outputWeights.count == graph.outputs.count)
        var adjoint = [[Double]](repeating: [], count: graph.nodes.count)
        func accumulate(_ value: ValueID, _ contribution: [Double]) {
            if adjoint[value.index].isEmpty {
                adjoint[value.index] = contribution
            } else {
                for k in contribution.indices { adjoint[value.index][k] += contribution[k] }
            }
        }
        for (output, weights) in zip(graph.outputs, outputWeights) { accumulate(output.value, weights) }
        for index in graph.nodes.indices.reversed() where !adjoint[index].isEmpty {
            let node = graph.nodes[index]
            if case .input = node.operation { continue }
            let operandValues = node.operands.map { values[$0.index] }
            let operandShapes = node.operands.map { graph[$0].shape }
            for (operand, contribution) in zip(node.operands, Self.backward(node, adjoint: adjoint[index], operands: operandValues,
                                                                             operandShapes: operandShapes)) {
                accumulate(operand, contribution)
            }
        }
        return graph.inputs.map { adjoint[$0.index].isEmpty ? [Double](repeating: 0, count: graph[$0].elementCount) : adjoint[$0.index] }
    }

    /// The adjoints of a node's operands, given the adjoint of its value (`adjoint`) and its
    /// operands' values.
    static func backward(_ node: Node, adjoint g: [Double], operands: [[Double]], operandShapes: [[Int]]) -> [[Double]] {
        switch node.operation {
        case .input:
            return []
        case .affine(let affine):
            return [affine.weights.applyTransposed(g)]
        case .convolution(let conv):
            let geometry = SpatialWindows(input: operandShapes[0], output: node.shape, window: conv.window)
            var gx = [Double](repeating: 0, count: operands[0].count)
            for output in g.indices where g[output] != 0 {
                geometry.forEachConvolutionTap(output: output, outChannels: conv.outChannels, groups: conv.groups) { weight, input in
                    gx[input] += conv.weights[weight] * g[output]
                }
            }
            return [gx]
        case .maxPool(let pool):
            let geometry = SpatialWindows(input: operandShapes[0], output: node.shape, window: pool.window)
            var gx = [Double](repeating: 0, count: operands[0].count)
            var output = 0
            geometry.forEachWindow { _, _, taps in
                // The first tap holding the maximum: max(by:) keeps the first of equal elements.
                if let winner = taps.max(by: { operands[0][$0] < operands[0][$1] }) { gx[winner] += g[output] }
                output += 1
            }
            return [gx]
        case .averagePool(let pool, let countIncludePad):
            let geometry = SpatialWindows(input: operandShapes[0], output: node.shape, window: pool.window)
            var gx = [Double](repeating: 0, count: operands[0].count)
            var output = 0
            geometry.forEachWindow { oh, ow, taps in
                let divisor = countIncludePad ? geometry.paddedTapCount(oh: oh, ow: ow) : taps.count
                if divisor > 0 { for tap in taps { gx[tap] += g[output] / Double(divisor) } }
                output += 1
            }
            return [gx]
        case .relu:
            return [g.indices.map { operands[0][$0] > 0 ? g[$0] : 0 }]
        case .leakyRelu(let alpha):
            return [g.indices.map { operands[0][$0] >= 0 ? g[$0] : alpha * g[$0] }]
        case .smooth(let function):
            return [g.indices.map { function.derivative(operands[0][$0]) * g[$0] }]
        case .band:
            return [g]
        case .scaleShift(let scale, _):
            return [g.indices.map { scale[$0] * g[$0] }]
        case .reshape:
            return [g]
        case .gather(let indices):
            var gx = [Double](repeating: 0, count: operands[0].count)
            for (k, source) in indices.enumerated() where source >= 0 { gx[source] += g[k] }
            return [gx]
        case .add:
            return [g, g]
        }
    }
}
