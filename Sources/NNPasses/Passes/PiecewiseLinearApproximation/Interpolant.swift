import NNIR

/// The piecewise-linear interpolant of a smooth function on one neuron's
/// input interval `[l, u]`, in the form the IR builds it from:
/// `P(x) = constant + slope · x + Σ_j kinks[j].change · relu(x − kinks[j].at)`,
/// with a certified band `error.lower <= f(x) − P(x) <= error.upper` on `[l, u]`.
struct Interpolant {
    /// A breakpoint inside `(l, u)`, where the slope grows by `change`.
    struct Kink {
        var at: Double
        var change: Double
    }

    var constant: Double
    var slope: Double
    var kinks: [Kink]
    var error: (lower: Double, upper: Double)

    /// The interpolant through `segments + 1` points of `function` on the finite
    /// interval `[l, u]`, placed where the curvature is: the points split
    /// `∫ √|f''|` (plus a small floor, so flat stretches still get points)
    /// into equal parts, which is where linear interpolation's error is even.
    init(_ function: SmoothFunction, lower l: Double, upper u: Double, segments: Int) {
        precondition(l.isFinite && u.isFinite && l <= u && segments >= 1)
        let points = u > l ? Self.breakpoints(function, l, u, segments: segments) : [l]
        let values = points.map(function.value)
        var slopes: [Double] = []
        for j in 0..<(points.count - 1) {
            slopes.append((values[j + 1] - values[j]) / (points[j + 1] - points[j]))
        }
        slope = slopes.first ?? 0
        constant = values[0] - slope * points[0]
        kinks = []
        for j in slopes.indices.dropFirst() where slopes[j] != slopes[j - 1] {
            kinks.append(Kink(at: points[j], change: slopes[j] - slopes[j - 1]))
        }
        // The band is measured against P's own lines, segment by segment, as the IR computes them.
        var low = 0.0, high = 0.0
        var lineSlope = slope, lineIntercept = constant
        var kinkIndex = 0
        for j in 0..<max(1, points.count - 1) {
            let a = points[j], b = points.count > 1 ? points[j + 1] : points[j]
            while kinkIndex < kinks.count, kinks[kinkIndex].at <= a {
                lineSlope += kinks[kinkIndex].change
                lineIntercept -= kinks[kinkIndex].change * kinks[kinkIndex].at
                kinkIndex += 1
            }
            let deviation = function.deviation(slope: lineSlope, intercept: lineIntercept, over: a, b, samples: 16)
            low = min(low, deviation.lower)
            high = max(high, deviation.upper)
        }
        error = (low, high)
    }

    /// `P(x)` as the IR computes it.
    func value(_ x: Double) -> Double {
        kinks.reduce(constant + slope * x) { $0 + $1.change * max(x - $1.at, 0) }
    }

    /// The largest distance between `f` and `P` the band allows.
    var largestError: Double { max(-error.lower, error.upper) }

    /// Points `l = p0 < p1 < ... < pK = u`: the function's kinks inside `(l, u)` first (where its
    /// slope jumps, a breakpoint is worth most), then the other points placed so that every piece
    /// between two of them has an even share of `∫ √|f''|` plus a floor.
    static func breakpoints(_ function: SmoothFunction, _ l: Double, _ u: Double, segments: Int) -> [Double] {
        let fixed = [l] + function.kinks.filter { $0 > l && $0 < u }.prefix(segments - 1) + [u]
        let spans = zip(fixed, fixed.dropFirst()).map { curvatureIntegral(function, $0, $1) }
        let total = spans.map(\.total).reduce(0, +)
        // Each span between fixed points gets one piece, and the rest in proportion to its share.
        let free = segments - spans.count
        var pieces = spans.map { 1 + Int((Double(free) * $0.total / max(total, .leastNormalMagnitude)).rounded(.down)) }
        var spare = segments - pieces.reduce(0, +)
        for k in spans.indices.sorted(by: { spans[$0].total / Double(pieces[$0]) > spans[$1].total / Double(pieces[$1]) }) where spare > 0 {
            pieces[k] += 1
            spare -= 1
        }
        var points = [l]
        for (k, span) in spans.enumerated() {
            for j in 1..<pieces[k] {
                let point = span.inverse(span.total * Double(j) / Double(pieces[k]))
                if point > points[points.count - 1], point < fixed[k + 1] { points.append(point) }
            }
            points.append(fixed[k + 1])
        }
        return points
    }

    /// `∫ √|f''| + floor` over `[a, b]` (no kink inside) by the midpoint rule on 128 cells, with
    /// its inverse: the point where the integral from `a` reaches a given value.
    private static func curvatureIntegral(_ function: SmoothFunction, _ a: Double, _ b: Double) -> (total: Double, inverse: (Double) -> Double) {
        let cells = 128
        let width = (b - a) / Double(cells)
        // f'' by a central difference at each cell's middle, which never straddles the ends.
        let density = (0..<cells).map { i -> Double in
            let x = a + (Double(i) + 0.5) * width
            let h = min(1e-4 * max(1, abs(x)), width / 4)
            return (abs(function.derivative(x + h) - function.derivative(x - h)) / (2 * h)).squareRoot()
        }
        let floor = 0.05 * density.reduce(0, +) / Double(cells) + 1e-12
        var cumulative = [0.0]
        for d in density { cumulative.append(cumulative[cumulative.count - 1] + (d + floor) * width) }
        return (cumulative[cells], { target in
            guard let i = cumulative.indices.dropFirst().first(where: { cumulative[$0] >= target }) else { return b }
            let t = (target - cumulative[i - 1]) / max(cumulative[i] - cumulative[i - 1], .leastNormalMagnitude)
            return a + (Double(i - 1) + t) * width
        })
    }
}
