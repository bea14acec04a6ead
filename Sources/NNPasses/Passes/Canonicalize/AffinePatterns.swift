import NNIR

/// The pattern that merges consecutive affine layers.
extension RewritePattern {
    /// Affine merges whose product would take more multiplications than this are skipped (time, not size).
    static let mergeWorkLimit = 1 << 27

    /// `W (V x + c) + b = (W V) x + (W c + b)`, when the product has no more
    /// coefficients than the two factors and the inner layer has no other reader.
    static let mergeAffineLayers = RewritePattern("merged consecutive affine layers") { g, index in
        let operand = g.node(index).operands.first ?? ValueID(index)
        guard case .affine(let affine) = g.node(index).operation, let source = affineSource(g, index),
              case .affine(let inner) = g[source].operation,
              g.onlyFeeds(source, index) || (source != operand && g.readers(of: source.index).count == 1 && !g.graph.isOutput(source.index))
        else { return false }
        let work = affine.weights.nonzeroCount * max(1, inner.weights.nonzeroCount / max(1, inner.weights.rows))
        guard work <= mergeWorkLimit else { return false }
        let product = affine.weights.composed(after: inner.weights)
        guard product.nonzeroCount <= affine.weights.nonzeroCount + inner.weights.nonzeroCount else { return false }
        let bias = zip(affine.weights.times(inner.bias), affine.bias).map(+)
        g.rewrite(index, to: .affine(Affine(weights: product, bias: bias)), operands: g[source].operands)
        return true
    }

    /// For an affine layer at `index`: the node before any reshapes of its operand, when the
    /// layer reads the operand directly or is the operand's only reader.
    static func affineSource(_ g: RewriteGraph, _ index: Int) -> ValueID? {
        let operand = g.node(index).operands[0]
        let source = g.graph.skippingReshapes(operand)
        return source == operand || g.onlyFeeds(operand, index) ? source : nil
    }
}
