import NNIR

/// The patterns that fold element-wise normalization and batch normalization
/// (`scale_shift`) into the neighboring affine layer or convolution.
extension RewritePattern {
    /// `s ⊙ (s' ⊙ x + t') + t` is one scale_shift.
    static let mergeScaleShifts = RewritePattern("merged scale_shift pairs") { g, index in
        guard let (scale, shift, source) = scaleShiftAfterSingleUse(g, index),
              case .scaleShift(let innerScale, let innerShift) = g[source].operation else { return false }
        g.rewrite(index, to: .scaleShift(scale: zip(scale, innerScale).map(*), shift: zip(zip(scale, innerShift), shift).map { $0.0 * $0.1 + $1 }),
                  operands: g[source].operands)
        return true
    }

    /// A scale_shift after an affine layer folds into it.
    static let foldScaleShiftIntoAffineBefore = RewritePattern("folded scale_shift into the affine layer before it") { g, index in
        guard let (scale, shift, source) = scaleShiftAfterSingleUse(g, index), case .affine(let affine) = g[source].operation else { return false }
        // s ⊙ (W x + b) + t = (diag(s) W) x + (s ⊙ b + t)
        g.rewrite(index, to: .affine(Affine(weights: affine.weights.scalingRows(by: scale), bias: zip(zip(scale, affine.bias), shift).map { $0.0 * $0.1 + $1 })),
                  operands: g[source].operands)
        return true
    }

    /// A per-channel scale_shift right after a convolution (batch normalization) folds into it.
    static let foldBatchNormalizationIntoConvolution = RewritePattern("folded batch normalization into the convolution before it") { g, index in
        guard let (scale, shift, source) = scaleShiftAfterSingleUse(g, index), source == g.node(index).operands[0],
              case .convolution(var conv) = g[source].operation,
              let channelScale = perChannel(scale, channels: conv.outChannels),
              let channelShift = perChannel(shift, channels: conv.outChannels) else { return false }
        let perFilter = conv.weights.count / conv.outChannels
        for o in 0..<conv.outChannels {
            for k in 0..<perFilter { conv.weights[o * perFilter + k] *= channelScale[o] }
            conv.bias[o] = channelScale[o] * conv.bias[o] + channelShift[o]
        }
        g.rewrite(index, to: .convolution(conv), operands: g[source].operands)
        return true
    }

    /// A scale_shift before an affine layer folds into it.
    static let foldScaleShiftIntoAffineAfter = RewritePattern("folded scale_shift into the affine layer after it") { g, index in
        guard case .affine(let affine) = g.node(index).operation, let source = affineSource(g, index),
              case .scaleShift(let scale, let shift) = g[source].operation else { return false }
        // W (s ⊙ x + t) + b = (W diag(s)) x + (W t + b)
        let bias = zip(affine.weights.times(shift), affine.bias).map(+)
        g.rewrite(index, to: .affine(Affine(weights: affine.weights.scalingColumns(by: scale), bias: bias)), operands: g[source].operands)
        return true
    }

    /// A per-channel scale_shift right before a convolution (input normalization) folds into it.
    static let foldNormalizationIntoConvolution = RewritePattern("folded input normalization into the convolution after it") { g, index in
        let source = g.node(index).operands.first ?? ValueID(index)
        guard case .convolution(var conv) = g.node(index).operation, g.onlyFeeds(source, index),
              case .scaleShift(let scale, let shift) = g[source].operation else { return false }
        let inShape = g[g[source].operands[0]].shape
        let inChannels = inShape.count == 4 ? inShape[1] : inShape[0]
        guard let channelScale = perChannel(scale, channels: inChannels), let channelShift = perChannel(shift, channels: inChannels) else { return false }
        // A shift cannot fold across zero padding: the padded taps would read -shift instead of 0.
        guard conv.window.pads.allSatisfy({ $0 == 0 }) || channelShift.allSatisfy({ $0 == 0 }) else { return false }
        let inPerGroup = inChannels / conv.groups
        let outPerGroup = conv.outChannels / conv.groups
        let taps = conv.window.kernel[0] * conv.window.kernel[1]
        for o in 0..<conv.outChannels {
            var biasShift = 0.0
            for cg in 0..<inPerGroup {
                let c = (o / outPerGroup) * inPerGroup + cg
                for t in 0..<taps {
                    let w = (o * inPerGroup + cg) * taps + t
                    biasShift += conv.weights[w] * channelShift[c]
                    conv.weights[w] *= channelScale[c]
                }
            }
            conv.bias[o] += biasShift
        }
        g.rewrite(index, to: .convolution(conv), operands: g[source].operands)
        return true
    }

    /// For a scale_shift at `index` that alone reads its operand: its scale, its shift, and the
    /// node before any reshapes of the operand, which must be read by `index` alone too (so a
    /// node behind reshapes, read by the reshape, does not fold).
    private static func scaleShiftAfterSingleUse(_ g: RewriteGraph, _ index: Int) -> (scale: [Double], shift: [Double], source: ValueID)? {
        let node = g.node(index)
        guard case .scaleShift(let scale, let shift) = node.operation else { return nil }
        let source = g.graph.skippingReshapes(node.operands[0])
        guard g.onlyFeeds(node.operands[0], index), source == node.operands[0] || g.onlyFeeds(source, index) else { return nil }
        return (scale, shift, source)
    }

    /// The one value per channel of a per-element vector over `[C, H, W]`, or nil if it varies within a channel.
    private static func perChannel(_ values: [Double], channels: Int) -> [Double]? {
        guard channels > 0, values.count % channels == 0 else { return nil }
        let size = values.count / channels
        var result: [Double] = []
        for c in 0..<channels {
            let first = values[c * size]
            guard values[c * size..<(c + 1) * size].allSatisfy({ $0 == first }) else { return nil }
            result.append(first)
        }
        return result
    }
}
