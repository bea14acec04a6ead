import NNIR

/// Structural helpers shared by the rewriting passes.
extension Graph {
    /// For each node, the nodes that read its value (in increasing order).
    var consumers: [[Int]] {
        var result = [[Int]](repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for operand in Set(node.operands.map(\.index)).sorted() { result[operand].append(index) }
        }
        return result
    }

    /// Whether node `index` is a graph output.
    func isOutput(_ index: Int) -> Bool {
        outputs.contains { $0.value.index == index }
    }

    /// Follows reshapes back from `value` to the first node that is not a reshape.
    func skippingReshapes(_ value: ValueID) -> ValueID {
        var current = value
        while case .reshape = self[current].operation { current = self[current].operands[0] }
        return current
    }

    /// Removes every node that no output depends on (backward liveness, as
    /// dead-code elimination), keeping the inputs; renumbers the values.
    /// Returns how many nodes were removed.
    @discardableResult
    mutating func removeDeadNodes() -> Int {
        var live = [Bool](repeating: false, count: nodes.count)
        for output in outputs { live[output.value.index] = true }
        for index in nodes.indices.reversed() {
            if case .input = nodes[index].operation { live[index] = true }
            guard live[index] else { continue }
            for operand in nodes[index].operands { live[operand.index] = true }
        }
        let removed = live.filter { !$0 }.count
        guard removed > 0 else { return 0 }
        var newIndex = [Int](repeating: -1, count: nodes.count)
        var kept: [Node] = []
        for (index, node) in nodes.enumerated() where live[index] {
            newIndex[index] = kept.count
            var copy = node
            copy.operands = node.operands.map { ValueID(newIndex[$0.index]) }
            kept.append(copy)
        }
        nodes = kept
        outputs = outputs.map { GraphOutput(name: $0.name, value: ValueID(newIndex[$0.value.index])) }
        return removed
    }
}
