import NNIR

/// `bounds-ia`: interval bounds on every neuron from the bounds of the inputs
/// (see `IntervalBounds`). Existing tighter bounds are kept.
public struct IntervalBoundsPass: Pass {
    public static let name = "bounds-ia"
    public static let summary = "interval arithmetic: bounds on every neuron from the input box (always sound, fastest, loosest)"
    public static let options: [any PassOptionDeclaration] = []

    public init(options: PassOptionValues) {}

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        guard graph.canBound(context: &context) else { return }
        IntervalBounds.annotate(&graph)
        context.remark("bounded \(graph.nodes.count) nodes; \(graph.reluCensus)")
    }
}

extension Graph {
    /// Whether every input node carries bounds (the input domain).
    var inputsAreBounded: Bool {
        inputs.allSatisfy { self[$0].bounds != nil }
    }

    /// Whether a bounds pass can run: true when every input is bounded;
    /// otherwise false, after a remark that says how to give a domain.
    func canBound(context: inout PassContext) -> Bool {
        guard inputsAreBounded else {
            context.remark("skipped: the inputs have no bounds (give an input domain)")
            return false
        }
        return true
    }

    /// ReLU and Leaky ReLU neurons, and those whose operand's bounds straddle zero.
    public var reluNeuronCounts: (total: Int, unstable: Int) {
        var total = 0, unstable = 0
        for node in nodes {
            switch node.operation {
            case .relu, .leakyRelu:
                guard let x = self[node.operands[0]].bounds else { continue }
                total += x.lower.count
                unstable += zip(x.lower, x.upper).filter { $0 < 0 && $1 > 0 }.count
            default: continue
            }
        }
        return (total, unstable)
    }

    /// "N unstable of M ReLU neurons", counting Leaky ReLUs too, from the operands' bounds.
    var reluCensus: String {
        let (total, unstable) = reluNeuronCounts
        return "\(unstable) unstable of \(total) ReLU neurons"
    }
}
