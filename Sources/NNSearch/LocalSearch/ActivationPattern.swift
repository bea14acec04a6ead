import NNIR

/// The phase of every ReLU and Leaky ReLU of a network: for each such node's operand (by node
/// index), whether each element is on the active side (pre-activation ≥ 0). A pattern names one
/// linear region of the network (`LinearRegion`); changing one phase steps into a neighbouring one.
struct ActivationPattern: Equatable, Sendable {
    /// One ReLU: its operand's node index and the element.
    struct Neuron: Hashable, Sendable {
        var node: Int
        var element: Int
    }

    /// Per ReLU operand's node index, one phase per element: true when active.
    var active: [Int: [Bool]]

    /// The pattern at a point whose node values (`Evaluator.evaluateAll`) are `values`: a
    /// pre-activation of exactly 0 counts as active.
    init(graph: Graph, values: [[Double]]) {
        var active: [Int: [Bool]] = [:]
        for node in graph.nodes {
            switch node.operation {
            case .relu, .leakyRelu:
                let operand = node.operands[0].index
                active[operand] = values[operand].map { $0 >= 0 }
            default:
                continue
            }
        }
        self.active = active
    }

    /// The pattern with the phases of `neurons` switched.
    func flipping(_ neurons: [Neuron]) -> ActivationPattern {
        var result = self
        for neuron in neurons { result.active[neuron.node]?[neuron.element].toggle() }
        return result
    }
}
