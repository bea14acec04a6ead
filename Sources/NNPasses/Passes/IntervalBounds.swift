import NNIR

/// Interval arithmetic: bounds on every neuron from bounds on the inputs.
///
/// The always-valid fallback among bound methods: each node's interval is
/// computed from its operands' intervals alone. Sums are rounded outward by
/// the standard floating-point error bound of a dot product, so a bound is
/// never tighter than the exact real-number interval.
public enum IntervalBounds {
    /// Sets `bounds` on every node of `graph` from the bounds of its input
    /// nodes, which must all have them; bounds a node already has are kept
    /// where they are tighter (the result is their intersection).
    public static func annotate(_ graph: inout Graph) {
        for index in graph.nodes.indices {
            tighten(nodeAt: index, in: &graph)
        }
    }

    /// Intersects node `index`'s bounds with the interval its operands' bounds give.
    static func tighten(nodeAt index: Int, in graph: inout Graph) {
        let interval = bounds(ofNodeAt: index, in: graph)
        graph.nodes[index].bounds = graph.nodes[index].bounds.map { $0.intersected(with: interval) } ?? interval
    }

    /// The interval of node `index` from its operands' current bounds.
    static func bounds(ofNodeAt index: Int, in graph: Graph) -> Bounds {
        let node = graph.nodes[index]
        let operands = node.operands.map { graph[$0].bounds ?? Bounds(lower: [], upper: []) }
        return bounds(of: node, operands: operands, operandShapes: node.operands.map { graph[$0].shape })
    }

    /// The interval of one node's value from its operands' intervals.
    static func bounds(of node: Node, operands: [Bounds], operandShapes: [[Int]]) -> Bounds {
        switch node.operation {
        case .input:
            // An input has no operands: its interval is the domain it was given, or the whole line.
            let n = node.elementCount
            return node.bounds ?? Bounds(lower: Array(repeating: -.infinity, count: n), upper: Array(repeating: .infinity, count: n))
        case .affine(let affine):
            return affineBounds(affine, operands[0])
        case .convolution(let conv):
            return convolutionBounds(conv, operands[0], inputShape: operandShapes[0], outputShape: node.shape)
        case .maxPool(let pool):
            let windows = SpatialWindows(input: operandShapes[0], output: node.shape, window: pool.window)
            return Bounds(lower: windows.maxPool(operands[0].lower), upper: windows.maxPool(operands[0].upper))
        case .averagePool(let pool, let countIncludePad):
            // Averaging is monotone, so the bounds are the averages of the bounds, widened for rounding.
            let windows = SpatialWindows(input: operandShapes[0], output: node.shape, window: pool.window)
            let lower = windows.averagePool(operands[0].lower, countIncludePad: countIncludePad)
            let upper = windows.averagePool(operands[0].upper, countIncludePad: countIncludePad)
            let taps = windows.window.kernel[0] * windows.window.kernel[1]
            return Bounds(lower: lower.map { widen($0, by: errorBound(magnitude: abs($0), terms: taps + 1), down: true) },
                          upper: upper.map { widen($0, by: errorBound(magnitude: abs($0), terms: taps + 1), down: false) })
        case .relu:
            return Bounds(lower: operands[0].lower.map { max($0, 0) }, upper: operands[0].upper.map { max($0, 0) })
        case .band(let below, let above):
            let x = operands[0]
            return Bounds(lower: x.lower.indices.map { (x.lower[$0] + below[$0]).nextDown },
                          upper: x.upper.indices.map { (x.upper[$0] + above[$0]).nextUp })
        case .smooth(let function):
            let ranges = zip(operands[0].lower, operands[0].upper).map { function.range(lower: $0, upper: $1) }
            return Bounds(lower: ranges.map(\.lower), upper: ranges.map(\.upper))
        case .leakyRelu(let alpha):
            let x = operands[0]
            var lower = [Double](), upper = [Double]()
            lower.reserveCapacity(x.lower.count)
            upper.reserveCapacity(x.lower.count)
            for k in x.lower.indices {
                // Piecewise linear with one breakpoint at 0: the extremes lie at the ends or at 0.
                let candidates = [leaky(x.lower[k], alpha), leaky(x.upper[k], alpha)]
                    + (x.lower[k] < 0 && x.upper[k] > 0 ? [0.0] : [])
                lower.append(candidates.min()!.nextDown)
                upper.append(candidates.max()!.nextUp)
            }
            return Bounds(lower: lower, upper: upper)
        case .scaleShift(let scale, let shift):
            let x = operands[0]
            var lower = [Double](), upper = [Double]()
            for k in x.lower.indices {
                let (a, b) = (scale[k] * x.lower[k], scale[k] * x.upper[k])
                let low = min(a, b) + shift[k], high = max(a, b) + shift[k]
                lower.append(widen(low, by: errorBound(magnitude: abs(min(a, b)) + abs(shift[k]), terms: 2), down: true))
                upper.append(widen(high, by: errorBound(magnitude: abs(max(a, b)) + abs(shift[k]), terms: 2), down: false))
            }
            return Bounds(lower: lower, upper: upper)
        case .reshape:
            return operands[0]
        case .gather(let indices):
            return Bounds(lower: indices.map { $0 < 0 ? 0 : operands[0].lower[$0] },
                          upper: indices.map { $0 < 0 ? 0 : operands[0].upper[$0] })
        case .add:
            let (x, y) = (operands[0], operands[1])
            return Bounds(lower: zip(x.lower, y.lower).map { ($0 + $1).nextDown }, upper: zip(x.upper, y.upper).map { ($0 + $1).nextUp })
        }
    }

    private static func leaky(_ x: Double, _ alpha: Double) -> Double { x >= 0 ? x : alpha * x }

    /// `W x + b` over a box: each weight takes the end of its input's interval that minimizes (maximizes) the sum.
    private static func affineBounds(_ affine: Affine, _ x: Bounds) -> Bounds {
        let rows = affine.weights.rows
        var lower = [Double](repeating: 0, count: rows), upper = [Double](repeating: 0, count: rows)
        func accumulate(row: Int, entries: (inout RowSum) -> Void) {
            var sum = RowSum(bias: affine.bias[row])
            entries(&sum)
            (lower[row], upper[row]) = sum.bounds
        }
        switch affine.weights {
        case .dense(_, let columns, let values):
            x.lower.withUnsafeBufferPointer { lo in
                x.upper.withUnsafeBufferPointer { hi in
                    values.withUnsafeBufferPointer { w in
                        for r in 0..<rows {
                            accumulate(row: r) { sum in
                                let base = r * columns
                                for c in 0..<columns { sum.add(w[base + c], lo[c], hi[c]) }
                            }
                        }
                    }
                }
            }
        case .sparse(let m):
            for r in 0..<rows {
                accumulate(row: r) { sum in
                    for e in m.rowStart[r]..<m.rowStart[r + 1] { sum.add(m.values[e], x.lower[m.columnIndex[e]], x.upper[m.columnIndex[e]]) }
                }
            }
        }
        return Bounds(lower: lower, upper: upper)
    }

    private static func convolutionBounds(_ conv: Convolution, _ x: Bounds, inputShape: [Int], outputShape: [Int]) -> Bounds {
        let g = SpatialWindows(input: inputShape, output: outputShape, window: conv.window)
        let count = conv.outChannels * g.outHeight * g.outWidth
        var lower = [Double](repeating: 0, count: count), upper = [Double](repeating: 0, count: count)
        for out in 0..<count {
            var sum = RowSum(bias: conv.bias[g.position(ofOutput: out).channel])
            g.forEachConvolutionTap(output: out, outChannels: conv.outChannels, groups: conv.groups) { weight, input in
                sum.add(conv.weights[weight], x.lower[input], x.upper[input])
            }
            (lower[out], upper[out]) = sum.bounds
        }
        return Bounds(lower: lower, upper: upper)
    }

    /// Accumulates the interval of `bias + Σ w·x` with what its rounding error can be.
    private struct RowSum {
        var low: Double, high: Double
        var magnitude: Double
        var terms = 1

        init(bias: Double) {
            low = bias
            high = bias
            magnitude = abs(bias)
        }

        @inline(__always)
        mutating func add(_ weight: Double, _ lower: Double, _ upper: Double) {
            let a = weight * lower, b = weight * upper
            let small = min(a, b), large = max(a, b)
            low += small
            high += large
            magnitude += max(abs(a), abs(b))
            terms += 1
        }

        /// The interval, widened by the error bound of the two sums.
        var bounds: (Double, Double) {
            let slack = errorBound(magnitude: magnitude, terms: terms)
            return (widen(low, by: slack, down: true), widen(high, by: slack, down: false))
        }
    }

    /// An upper bound on the rounding error of a sum of `terms` products whose
    /// absolute values add up to `magnitude`: γ(n+1) · magnitude, γ(n) = n·u/(1 − n·u).
    private static func errorBound(magnitude: Double, terms: Int) -> Double {
        guard terms > 1, magnitude > 0 else { return 0 }  // a lone constant is exact
        let u = Double.ulpOfOne / 2
        let n = Double(terms + 1)
        return (n * u / (1 - n * u)) * magnitude + Double.leastNonzeroMagnitude
    }

    private static func widen(_ value: Double, by slack: Double, down: Bool) -> Double {
        guard slack > 0 else { return value }
        return down ? (value - slack).nextDown : (value + slack).nextUp
    }
}
