import NNIR

/// The names a spec may use for network inputs and outputs, taken from a graph.
public struct SymbolTable: Sendable {
    /// Name, element count and shape of each input, in `Graph.inputs` order.
    public let inputs: [(name: String, count: Int, shape: [Int])]
    /// Name and element count of each output, in `Graph.outputs` order.
    public let outputs: [(name: String, count: Int, shape: [Int])]

    /// The symbols of `graph`.
    public init(graph: Graph) {
        inputs = graph.inputs.map { (graph.inputName($0) ?? "", graph[$0].elementCount, graph[$0].shape) }
        outputs = graph.outputs.map { ($0.name, graph[$0.value].elementCount, graph[$0.value].shape) }
    }

    /// Element `index` of the first input (`xK`) or first output (`yK`).
    func shorthand(_ side: TensorElement.Side, index: Int) -> TensorElement? {
        let tensors = side == .input ? inputs : outputs
        guard let first = tensors.first, index < first.count else { return nil }
        return TensorElement(side, tensor: 0, element: index)
    }

    /// Element `index` of the input or output called `name`.
    func named(_ name: String, index: Int) -> TensorElement? {
        if let t = inputs.firstIndex(where: { $0.name == name }), index < inputs[t].count {
            return TensorElement(.input, tensor: t, element: index)
        }
        if let t = outputs.firstIndex(where: { $0.name == name }), index < outputs[t].count {
            return TensorElement(.output, tensor: t, element: index)
        }
        return nil
    }

    /// The position of the input called `name`.
    func inputIndex(_ name: String) -> Int? { inputs.firstIndex { $0.name == name } }

    /// Whether some input or output is called `name`.
    func hasTensor(_ name: String) -> Bool {
        inputs.contains { $0.name == name } || outputs.contains { $0.name == name }
    }

    /// Element `index` of all inputs (or outputs) concatenated, as VNN-LIB's `X_i` / `Y_i` count.
    func concatenated(_ side: TensorElement.Side, index: Int) -> TensorElement? {
        var rest = index
        for (t, tensor) in (side == .input ? inputs : outputs).enumerated() {
            if rest < tensor.count { return TensorElement(side, tensor: t, element: rest) }
            rest -= tensor.count
        }
        return nil
    }

    /// The size of one tensor, for messages.
    func describe(_ side: TensorElement.Side) -> String {
        let tensors = side == .input ? inputs : outputs
        guard let first = tensors.first else { return "the network has no \(side == .input ? "inputs" : "outputs")" }
        return "\(side == .input ? "input" : "output") '\(first.name)' has \(first.count) elements"
    }
}
