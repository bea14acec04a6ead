import NNIR

/// How one node's value depends on its operands, in the form backward
/// (CROWN / DeepPoly) bound propagation needs.
///
/// A linear node is exact: `y[k] = Σ coefficient · operand[position] + constant[k]`.
/// A ReLU, Leaky ReLU or max pooling is replaced by two linear relaxations,
/// `lowerTerm(k) <= y[k] <= upperTerm(k)`, each reading one element of the
/// operand (or none: a constant). Each element also carries its magnitude,
/// the largest absolute value its terms can sum to, which bounds the
/// rounding error of propagating through it.
enum BackwardStep {
    /// Sparse rows of one operand: entries of row `k` are `rowStart[k] ..< rowStart[k + 1]`.
    struct Rows {
        var rowStart: [Int]
        var position: [Int]
        var coefficient: [Double]
    }

    /// A dense `rows x columns` matrix (affine layers stored dense), kept dense for speed.
    struct Dense {
        var columns: Int
        var values: [Double]
    }

    /// One side of a relaxation of one element: `slope · operand[position] + intercept`
    /// (`position` is -1 for a constant).
    struct Term {
        var position: Int
        var slope: Double
        var intercept: Double
    }

    /// A linear node: per operand its coefficients (sparse, or dense for one operand).
    case linear(sparse: [Rows], dense: Dense?, constant: [Double], magnitude: [Double])
    /// A relaxed node (one operand).
    case relaxed(lower: [Term], upper: [Term], magnitude: [Double])

    /// The step of node `index`, whose operands have bounds; nil for inputs.
    static func of(nodeAt index: Int, in graph: Graph) -> BackwardStep? {
        let node = graph.nodes[index]
        let operandBounds = node.operands.map { graph[$0].bounds! }
        let m = operandBounds.map(\.magnitudes)
        switch node.operation {
        case .input:
            return nil
        case .affine(let affine):
            switch affine.weights {
            case .dense(let rows, let columns, let values):
                var magnitude = affine.bias.map(abs)
                for r in 0..<rows {
                    for c in 0..<columns where values[r * columns + c] != 0 { magnitude[r] += abs(values[r * columns + c]) * m[0][c] }
                }
                return .linear(sparse: [], dense: Dense(columns: columns, values: values), constant: affine.bias, magnitude: magnitude)
            case .sparse(let s):
                return linear(rows: s.rows, [{ row, add in
                    for e in s.rowStart[row]..<s.rowStart[row + 1] { add(s.columnIndex[e], s.values[e]) }
                }], constant: affine.bias, m)
            }
        case .convolution(let conv):
            let g = SpatialWindows(input: graph[node.operands[0]].shape, output: node.shape, window: conv.window)
            let constant = (0..<node.elementCount).map { conv.bias[g.position(ofOutput: $0).channel] }
            return linear(rows: node.elementCount, [{ row, add in
                g.forEachConvolutionTap(output: row, outChannels: conv.outChannels, groups: conv.groups) { w, input in add(input, conv.weights[w]) }
            }], constant: constant, m)
        case .averagePool(let pool, let countIncludePad):
            let g = SpatialWindows(input: graph[node.operands[0]].shape, output: node.shape, window: pool.window)
            return linear(rows: node.elementCount, [{ row, add in
                let (c, oh, ow) = g.position(ofOutput: row)
                let taps = g.taps(channel: c, oh: oh, ow: ow)
                let divisor = countIncludePad ? g.paddedTapCount(oh: oh, ow: ow) : taps.count
                for tap in taps { add(tap, 1 / Double(divisor)) }
            }], constant: Array(repeating: 0, count: node.elementCount), m)
        case .scaleShift(let scale, let shift):
            return linear(rows: node.elementCount, [{ row, add in add(row, scale[row]) }], constant: shift, m)
        case .reshape:
            return linear(rows: node.elementCount, [{ row, add in add(row, 1) }], constant: Array(repeating: 0, count: node.elementCount), m)
        case .gather(let indices):
            return linear(rows: node.elementCount, [{ row, add in if indices[row] >= 0 { add(indices[row], 1) } }],
                          constant: Array(repeating: 0, count: node.elementCount), m)
        case .add:
            return linear(rows: node.elementCount, [{ row, add in add(row, 1) }, { row, add in add(row, 1) }],
                          constant: Array(repeating: 0, count: node.elementCount), m)
        case .relu:
            return piecewise(alpha: 0, operandBounds[0], m[0])
        case .leakyRelu(let alpha):
            return piecewise(alpha: alpha, operandBounds[0], m[0])
        case .smooth(let function):
            return smooth(function, operandBounds[0], m[0])
        case .band(let below, let above):
            // Exact lines of slope 1; the intercepts' own rounding is covered by the magnitude.
            return .relaxed(lower: below.indices.map { Term(position: $0, slope: 1, intercept: below[$0]) },
                            upper: above.indices.map { Term(position: $0, slope: 1, intercept: above[$0]) },
                            magnitude: below.indices.map { m[0][$0] + max(-below[$0], above[$0]) })
        case .maxPool(let pool):
            let g = SpatialWindows(input: graph[node.operands[0]].shape, output: node.shape, window: pool.window)
            return maxPool(g, operandBounds[0], m[0], count: node.elementCount)
        }
    }

    /// A linear step built row by row: `rows[t](k, add)` calls `add(position, coefficient)`
    /// for each entry of row `k` of operand `t`.
    private static func linear(rows count: Int, _ rows: [(Int, (Int, Double) -> Void) -> Void], constant: [Double],
                               _ m: [[Double]]) -> BackwardStep {
        var magnitude = constant.map(abs)
        let sparse = rows.enumerated().map { t, fill in
            var result = Rows(rowStart: [0], position: [], coefficient: [])
            for k in 0..<count {
                fill(k) { position, coefficient in
                    guard coefficient != 0 else { return }
                    result.position.append(position)
                    result.coefficient.append(coefficient)
                    magnitude[k] += abs(coefficient) * m[t][position]
                }
                result.rowStart.append(result.position.count)
            }
            return result
        }
        return .linear(sparse: sparse, dense: nil, constant: constant, magnitude: magnitude)
    }

    /// Relaxations of `y = x` for `x >= 0`, `alpha · x` otherwise, on the operand's bounds.
    ///
    /// For alpha <= 1 the function is convex (`max(x, alpha·x)`): below it any line
    /// through 0 with slope in [alpha, 1], above it the chord. For alpha > 1 it is
    /// concave (`min(x, alpha·x)`) and the roles swap. The chord's intercept is
    /// rounded outward so that rounding can never cut into the function.
    private static func piecewise(alpha: Double, _ x: Bounds, _ m: [Double]) -> BackwardStep {
        var lower: [Term] = [], upper: [Term] = [], magnitude: [Double] = []
        lower.reserveCapacity(x.lower.count)
        upper.reserveCapacity(x.lower.count)
        for k in x.lower.indices {
            let (l, u) = (x.lower[k], x.upper[k])
            if l >= 0 {
                lower.append(Term(position: k, slope: 1, intercept: 0))
                upper.append(Term(position: k, slope: 1, intercept: 0))
            } else if u <= 0 {
                lower.append(Term(position: k, slope: alpha, intercept: 0))
                upper.append(Term(position: k, slope: alpha, intercept: 0))
            } else {
                // The slope through 0 that follows the larger side of the interval (CROWN's adaptive choice).
                let tangent = Term(position: k, slope: u >= -l ? 1 : alpha, intercept: 0)
                let chord = chordTerm(position: k, l, u, alpha: alpha, above: alpha <= 1)
                if alpha <= 1 {
                    lower.append(tangent)
                    upper.append(chord)
                } else {
                    lower.append(chord)
                    upper.append(tangent)
                }
            }
            magnitude.append(max(abs(lower[k].slope) * m[k] + abs(lower[k].intercept), abs(upper[k].slope) * m[k] + abs(upper[k].intercept)))
        }
        return .relaxed(lower: lower, upper: upper, magnitude: magnitude)
    }

    /// The chord of the Leaky ReLU on [l, u] with l < 0 < u, moved outward (up if
    /// `above`) by its rounding error: a line that lies on the right side of the
    /// function at both ends lies on it on the whole interval, whatever its slope.
    private static func chordTerm(position: Int, _ l: Double, _ u: Double, alpha: Double, above: Bool) -> Term {
        guard l.isFinite, u.isFinite else {
            // No finite chord: a constant bound is all there is (infinite, so sound).
            return Term(position: -1, slope: 0, intercept: above ? .infinity : -.infinity)
        }
        let fl = alpha * l
        let slope = (u - fl) / (u - l)
        let atLower = fl - slope * l, atUpper = u - slope * u
        let slack = 4 * Double.ulpOfOne * (abs(fl) + abs(slope * l) + abs(u) + abs(slope * u))
        let intercept = above ? (max(atLower, atUpper) + slack).nextUp : (min(atLower, atUpper) - slack).nextDown
        return Term(position: position, slope: slope, intercept: intercept)
    }

    /// A smooth activation: two lines of the chord's slope, moved apart until the
    /// function lies between them on the whole interval (by the certified
    /// deviation of `SmoothFunction`); constants where an end is infinite.
    private static func smooth(_ function: SmoothFunction, _ x: Bounds, _ m: [Double]) -> BackwardStep {
        var lower: [Term] = [], upper: [Term] = [], magnitude: [Double] = []
        lower.reserveCapacity(x.lower.count)
        upper.reserveCapacity(x.lower.count)
        for k in x.lower.indices {
            let (l, u) = (x.lower[k], x.upper[k])
            if l.isFinite, u.isFinite, u > l {
                let slope = (function.value(u) - function.value(l)) / (u - l)
                let deviation = function.deviation(slope: slope, intercept: 0, over: l, u)
                lower.append(Term(position: k, slope: slope, intercept: deviation.lower))
                upper.append(Term(position: k, slope: slope, intercept: deviation.upper))
            } else {
                let range = function.range(lower: l, upper: u)
                lower.append(Term(position: -1, slope: 0, intercept: range.lower))
                upper.append(Term(position: -1, slope: 0, intercept: range.upper))
            }
            magnitude.append(max(abs(lower[k].slope) * m[k] + abs(lower[k].intercept), abs(upper[k].slope) * m[k] + abs(upper[k].intercept)))
        }
        return .relaxed(lower: lower, upper: upper, magnitude: magnitude)
    }

    /// Max pooling: below by the tap with the largest lower bound; above by that tap
    /// when it always wins, else by the largest upper bound of the taps (a constant).
    private static func maxPool(_ g: SpatialWindows, _ x: Bounds, _ m: [Double], count: Int) -> BackwardStep {
        var lower: [Term] = [], upper: [Term] = [], magnitude: [Double] = []
        for k in 0..<count {
            let (c, oh, ow) = g.position(ofOutput: k)
            let taps = g.taps(channel: c, oh: oh, ow: ow)
            guard let best = taps.max(by: { x.lower[$0] < x.lower[$1] }) else {
                // A window entirely in the padding is 0.
                lower.append(Term(position: -1, slope: 0, intercept: 0))
                upper.append(Term(position: -1, slope: 0, intercept: 0))
                magnitude.append(0)
                continue
            }
            let others = taps.filter { $0 != best }.map { x.upper[$0] }.max() ?? -.infinity
            lower.append(Term(position: best, slope: 1, intercept: 0))
            if x.lower[best] >= others {
                upper.append(Term(position: best, slope: 1, intercept: 0))
            } else {
                upper.append(Term(position: -1, slope: 0, intercept: taps.map { x.upper[$0] }.max()!))
            }
            magnitude.append(taps.map { m[$0] }.max()!)
        }
        return .relaxed(lower: lower, upper: upper, magnitude: magnitude)
    }
}
