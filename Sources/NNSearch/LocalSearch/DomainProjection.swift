import NNIR
import NNSpec

/// The Euclidean projection onto a spec's input domain: per input, its box (the L-inf balls
/// already intersected in) and, where the input has one, its L1 ball intersected with that box.
///
/// Onto `{l ≤ x ≤ u, Σ|x_k − c_k| ≤ r}` the projection of `y` is, for the least `λ ≥ 0` that puts
/// the point in the ball, `x_k(λ) = clip(c_k + sign(d_k)·max(|d_k| − λ, 0), l_k, u_k)` with
/// `d = y − c` (each coordinate minimises `(x − y)²/2 + λ|x − c|` over its interval, and a convex
/// function of one variable is minimised over an interval by clipping its minimiser); `λ` is
/// found by bisection, as the simplex projection of Duchi et al. (2008) finds its threshold by
/// sorting. Linear constraints on the inputs are not projected onto: a point that breaks one is
/// refused by the spec's own checks.
struct DomainProjection {
    /// The box of every input.
    let boxes: [Bounds]
    /// The L1 ball of each input, if it has one.
    let l1Balls: [NormBall?]

    /// The projection onto `spec`'s domain over the network `symbols` describes.
    /// - Throws: `Diagnostic(.usage)` when an input element is unbounded.
    init(spec: Spec, symbols: SymbolTable) throws {
        boxes = try spec.resolvedInputBounds(symbols: symbols)
        l1Balls = boxes.indices.map { t in spec.balls.first { $0.input == t && $0.norm == .l1 } }
    }

    /// The point of the domain nearest to `point` (one flat vector per input).
    func project(_ point: [[Double]]) -> [[Double]] {
        point.indices.map { t in
            let box = boxes[t]
            let clipped = point[t].indices.map { min(max(point[t][$0], box.lower[$0]), box.upper[$0]) }
            guard let ball = l1Balls[t], Self.distance(clipped, ball.center) > ball.radius else { return clipped }
            return Self.project(point[t], ontoBallOf: ball, within: box)
        }
    }

    /// Bisection on the threshold `λ` (see the type's comment).
    private static func project(_ y: [Double], ontoBallOf ball: NormBall, within box: Bounds) -> [Double] {
        let c = ball.center
        func point(_ lambda: Double) -> [Double] {
            y.indices.map { k in
                let d = y[k] - c[k]
                let shrunk = c[k] + (d < 0 ? -1.0 : 1.0) * max(abs(d) - lambda, 0)
                return min(max(shrunk, box.lower[k]), box.upper[k])
            }
        }
        var low = 0.0, high = zip(y, c).map { abs($0 - $1) }.max() ?? 0
        for _ in 0..<100 where high - low > 1e-15 * max(1, high) {
            let middle = (low + high) / 2
            if distance(point(middle), c) > ball.radius { low = middle } else { high = middle }
        }
        var x = point(high)
        // Rounding in the sum can leave the point a few ulps outside: move it towards the center
        // (the box holds both when it holds the center).
        let reached = distance(x, c)
        if reached > ball.radius {
            let factor = ball.radius / reached * (1 - 4 * Double.ulpOfOne)
            x = x.indices.map { k in min(max(c[k] + (x[k] - c[k]) * factor, box.lower[k]), box.upper[k]) }
        }
        return x
    }

    /// `Σ|x_k − c_k|`.
    static func distance(_ x: [Double], _ c: [Double]) -> Double {
        zip(x, c).reduce(0) { $0 + abs($1.0 - $1.1) }
    }
}
