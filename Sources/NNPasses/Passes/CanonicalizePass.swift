import NNIR

/// `canonicalize`: the same function with fewer, larger linear nodes.
///
/// - input normalisation and batch normalisation (`scale_shift`) fold into the
///   neighbouring affine layer or convolution;
/// - consecutive affine layers merge when the product has no more coefficients
///   than the two factors;
/// - reshapes and gathers (index maps) compose, and ones that move nothing vanish;
/// - nodes no output depends on are removed.
///
/// Identity and Dropout never reach the IR (the front ends drop them). Every
/// rewrite keeps the value of the node it rewrites, so bounds stay valid.
public struct CanonicalizePass: Pass {
    public static let name = "canonicalize"
    public static let summary = "fold normalisation and batch norm into affine/conv layers, merge affine chains, simplify index maps, remove dead nodes"
    public static let options: [any PassOptionDeclaration] = []

    /// Affine merges whose product would take more multiplications than this are skipped (time, not size).
    static let mergeWorkLimit = 1 << 27

    public init(options: PassOptionValues) {}

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        var counts: [String: Int] = [:]
        var changed = true
        while changed {
            changed = false
            for index in graph.nodes.indices {
                if let rewrite = rewrite(&graph, at: index) {
                    counts[rewrite, default: 0] += 1
                    changed = true
                }
            }
            let removed = graph.removeDeadNodes()
            if removed > 0 { counts["removed dead nodes", default: 0] += removed }
        }
        context.remark(counts.isEmpty ? "nothing to simplify" : counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
    }

    /// Applies the first rewrite that matches node `index`; returns its description.
    private func rewrite(_ graph: inout Graph, at index: Int) -> String? {
        let node = graph.nodes[index]
        let consumers = graph.consumers
        /// Whether the value `operand` is read by `index` alone and is not an output.
        func onlyFeedsThis(_ operand: ValueID) -> Bool {
            consumers[operand.index] == [index] && !graph.isOutput(operand.index)
        }
        switch node.operation {
        case .reshape:
            let source = graph[node.operands[0]]
            if case .reshape = source.operation {
                graph.nodes[index].operands = source.operands
                return "composed reshapes"
            }
            if source.shape == node.shape, !graph.isOutput(index) {
                redirect(&graph, from: index, to: node.operands[0])
                return "removed no-op reshapes"
            }
        case .gather(let indices):
            if indices == Array(0..<indices.count), indices.count == graph[node.operands[0]].elementCount {
                graph.nodes[index].operation = .reshape
                return "gathers that move nothing became reshapes"
            }
            let source = graph[node.operands[0]]
            switch source.operation {
            case .reshape:
                graph.nodes[index].operands = source.operands
                return "composed index maps"
            case .gather(let inner):
                graph.nodes[index].operation = .gather(indices: indices.map { $0 < 0 ? -1 : inner[$0] })
                graph.nodes[index].operands = source.operands
                return "composed index maps"
            default: break
            }
        case .scaleShift(let scale, let shift):
            let source = graph.skippingReshapes(node.operands[0])
            guard onlyFeedsThis(node.operands[0]), source == node.operands[0] || onlyFeedsThis(source) else { break }
            switch graph[source].operation {
            case .scaleShift(let innerScale, let innerShift):
                graph.nodes[index].operation = .scaleShift(scale: zip(scale, innerScale).map(*),
                                                            shift: zip(zip(scale, innerShift), shift).map { $0.0 * $0.1 + $1 })
                graph.nodes[index].operands = graph[source].operands
                return "merged scale_shift pairs"
            case .affine(let affine):
                // s ⊙ (W x + b) + t = (diag(s) W) x + (s ⊙ b + t)
                graph.nodes[index].operation = .affine(Affine(weights: affine.weights.scalingRows(by: scale),
                                                              bias: zip(zip(scale, affine.bias), shift).map { $0.0 * $0.1 + $1 }))
                graph.nodes[index].operands = graph[source].operands
                return "folded scale_shift into the affine layer before it"
            case .convolution(var conv) where source == node.operands[0]:
                guard let channelScale = perChannel(scale, channels: conv.outChannels),
                      let channelShift = perChannel(shift, channels: conv.outChannels) else { break }
                let perFilter = conv.weights.count / conv.outChannels
                for o in 0..<conv.outChannels {
                    for k in 0..<perFilter { conv.weights[o * perFilter + k] *= channelScale[o] }
                    conv.bias[o] = channelScale[o] * conv.bias[o] + channelShift[o]
                }
                graph.nodes[index].operation = .convolution(conv)
                graph.nodes[index].operands = graph[source].operands
                return "folded batch normalisation into the convolution before it"
            default: break
            }
        case .affine(let affine):
            let source = graph.skippingReshapes(node.operands[0])
            guard source == node.operands[0] || onlyFeedsThis(node.operands[0]) else { break }
            switch graph[source].operation {
            case .scaleShift(let scale, let shift):
                // W (s ⊙ x + t) + b = (W diag(s)) x + (W t + b)
                let bias = zip(affine.weights.times(shift), affine.bias).map(+)
                graph.nodes[index].operation = .affine(Affine(weights: affine.weights.scalingColumns(by: scale), bias: bias))
                graph.nodes[index].operands = graph[source].operands
                return "folded scale_shift into the affine layer after it"
            case .affine(let inner) where onlyFeedsThis(source) || (source != node.operands[0] && consumers[source.index].count == 1 && !graph.isOutput(source.index)):
                let work = affine.weights.nonzeroCount * max(1, inner.weights.nonzeroCount / max(1, inner.weights.rows))
                guard work <= Self.mergeWorkLimit else { break }
                let product = affine.weights.composed(after: inner.weights)
                guard product.nonzeroCount <= affine.weights.nonzeroCount + inner.weights.nonzeroCount else { break }
                let bias = zip(affine.weights.times(inner.bias), affine.bias).map(+)
                graph.nodes[index].operation = .affine(Affine(weights: product, bias: bias))
                graph.nodes[index].operands = graph[source].operands
                return "merged consecutive affine layers"
            default: break
            }
        case .convolution(var conv):
            let source = node.operands[0]
            guard onlyFeedsThis(source), case .scaleShift(let scale, let shift) = graph[source].operation else { break }
            let inChannels = graph[graph[source].operands[0]].shape.count == 4 ? graph[graph[source].operands[0]].shape[1] : graph[graph[source].operands[0]].shape[0]
            guard let channelScale = perChannel(scale, channels: inChannels), let channelShift = perChannel(shift, channels: inChannels) else { break }
            // A shift cannot fold across zero padding: the padded taps would read -shift instead of 0.
            guard conv.window.pads.allSatisfy({ $0 == 0 }) || channelShift.allSatisfy({ $0 == 0 }) else { break }
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
            graph.nodes[index].operation = .convolution(conv)
            graph.nodes[index].operands = graph[source].operands
            return "folded input normalisation into the convolution after it"
        default:
            break
        }
        return nil
    }

    /// Makes every reader of node `index` read `value` instead.
    private func redirect(_ graph: inout Graph, from index: Int, to value: ValueID) {
        for k in graph.nodes.indices {
            graph.nodes[k].operands = graph.nodes[k].operands.map { $0.index == index ? value : $0 }
        }
    }

    /// The one value per channel of a per-element vector over `[C, H, W]`, or nil if it varies within a channel.
    private func perChannel(_ values: [Double], channels: Int) -> [Double]? {
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
