import NNIR

/// The patterns on reshapes and gathers (index maps): chains compose into one,
/// and maps that move nothing vanish.
extension RewritePattern {
    /// `reshape(reshape(x))` reads `x` directly.
    static let composeReshapes = RewritePattern("composed reshapes") { g, index in
        guard case .reshape = g.node(index).operation else { return false }
        return readPastReshape(&g, index)
    }

    /// A reshape to the shape its operand already has: its readers read the operand.
    static let removeNoOpReshape = RewritePattern("removed no-op reshapes") { g, index in
        let node = g.node(index)
        guard case .reshape = node.operation, g[node.operands[0]].shape == node.shape, !g.graph.isOutput(index) else { return false }
        g.redirectReaders(of: index, to: node.operands[0])
        return true
    }

    /// A gather that reads every element in order is a reshape.
    static let gatherToReshape = RewritePattern("gathers that move nothing became reshapes") { g, index in
        let node = g.node(index)
        guard case .gather(let indices) = node.operation,
              indices == Array(0..<indices.count), indices.count == g[node.operands[0]].elementCount else { return false }
        g.rewrite(index, to: .reshape)
        return true
    }

    /// `gather(reshape(x))` gathers from `x` (a reshape moves no data).
    static let gatherAfterReshape = RewritePattern("composed index maps") { g, index in
        guard case .gather = g.node(index).operation else { return false }
        return readPastReshape(&g, index)
    }

    /// `gather(gather(x))` is one gather from `x`.
    static let composeGathers = RewritePattern("composed index maps") { g, index in
        let node = g.node(index)
        guard case .gather(let indices) = node.operation, case .gather(let inner) = g[node.operands[0]].operation else { return false }
        g.rewrite(index, to: .gather(indices: indices.map { $0 < 0 ? -1 : inner[$0] }), operands: g[node.operands[0]].operands)
        return true
    }

    /// Makes node `index` read its operand's operand when its operand is a reshape; returns whether it did.
    private static func readPastReshape(_ g: inout RewriteGraph, _ index: Int) -> Bool {
        let operand = g[g.node(index).operands[0]]
        guard case .reshape = operand.operation else { return false }
        g.setOperands(of: index, to: operand.operands)
        return true
    }
}
