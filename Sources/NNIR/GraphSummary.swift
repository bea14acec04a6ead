/// Size figures of a graph, as `nnmip inspect` reports them.
public struct GraphSummary: Equatable, Sendable {
    /// Stored parameters: weights, biases, kernels, scales and shifts.
    public var parameters = 0
    /// Output units of affine and convolution layers (the network's neurons).
    public var neurons = 0
    /// ReLU and leaky-ReLU units.
    public var relus = 0
    /// Max-pooling outputs (each a max over its window).
    public var maxPoolUnits = 0
    /// Outputs of smooth activations (sigmoid, tanh, ...), which need `pwl-approx` to compile.
    public var smoothUnits = 0
    /// Number of nodes of each operation keyword.
    public var operationCounts: [String: Int] = [:]

    /// Computes the summary of `graph`.
    public init(_ graph: Graph) {
        for node in graph.nodes {
            operationCounts[node.operation.keyword, default: 0] += 1
            switch node.operation {
            case .affine(let affine):
                parameters += affine.weights.storedCount + affine.bias.count
                neurons += node.elementCount
            case .convolution(let conv):
                parameters += conv.weights.count + conv.bias.count
                neurons += node.elementCount
            case .scaleShift(let scale, let shift):
                parameters += scale.count + shift.count
            case .relu, .leakyRelu:
                relus += node.elementCount
            case .maxPool:
                maxPoolUnits += node.elementCount
            case .smooth:
                smoothUnits += node.elementCount
            case .input, .averagePool, .reshape, .gather, .add, .band:
                break
            }
        }
    }
}
