import Foundation

/// A smooth element-wise activation (sigmoid, tanh, ...).
///
/// No exact MILP encoding exists for these, so the back ends see them only
/// through the `pwl-approx` pass: a piecewise-linear interpolant (a surrogate
/// whose points are judged on this function) or a sound enclosure between two
/// piecewise-linear functions. Everything those need is here: the value and
/// derivative the evaluator and gradients use, and the analytic facts that make
/// bounds sound (monotonicity or the single minimum, and global bounds on the
/// first and second derivatives).
public enum SmoothFunction: Equatable, Sendable {
    /// `1 / (1 + e^-x)`.
    case sigmoid
    /// `tanh x`.
    case tanh
    /// `log(1 + e^x)`.
    case softplus
    /// `x · sigmoid(x)` (SiLU, Swish).
    case silu
    /// `x · Φ(x)`, Φ the standard normal CDF; with `tanhApproximation`, the form
    /// `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))`.
    case gelu(tanhApproximation: Bool)
    /// `x` for `x > 0`, `alpha (e^x − 1)` otherwise.
    case elu(alpha: Double)
    /// `gamma · x` for `x > 0`, `gamma · alpha (e^x − 1)` otherwise.
    case selu(alpha: Double, gamma: Double)
    /// `x · min(max(x/6 + 1/2, 0), 1)`.
    case hardSwish

    /// The SELU constants of ONNX and Keras.
    public static let seluAlpha = 1.67326319217681884765625
    /// The SELU scale of ONNX and Keras.
    public static let seluGamma = 1.05070102214813232421875

    /// The name of the function in the IR text form.
    public var name: String {
        switch self {
        case .sigmoid: "sigmoid"
        case .tanh: "tanh"
        case .softplus: "softplus"
        case .silu: "silu"
        case .gelu(let approximate): approximate ? "gelu_tanh" : "gelu"
        case .elu: "elu"
        case .selu: "selu"
        case .hardSwish: "hard_swish"
        }
    }

    /// Whether the parameters are ones the bounds below hold for.
    public var hasValidParameters: Bool {
        switch self {
        case .elu(let alpha): alpha.isFinite && alpha >= 0
        case .selu(let alpha, let gamma): alpha.isFinite && alpha >= 0 && gamma.isFinite && gamma > 0
        default: true
        }
    }

    /// `f(x)`, computed in a form accurate relative to its own magnitude (which the rounding
    /// allowance below relies on); the limit at ±∞.
    public func value(_ x: Double) -> Double {
        switch self {
        case .sigmoid:
            return Self.logistic(x)
        case .tanh:
            return Foundation.tanh(x)
        case .softplus:
            return max(x, 0) + log1p(exp(-abs(x)))
        case .silu:
            return x == -.infinity ? 0 : x * Self.logistic(x)
        case .gelu(let approximate):
            if x == -.infinity { return 0 }
            // (1 + tanh u) / 2 is logistic(2u), which keeps its relative accuracy where tanh u is near −1.
            if approximate { return x * Self.logistic(2 * Self.geluTanhScale * (x + 0.044715 * x * x * x)) }
            return 0.5 * x * erfc(-x / 2.0.squareRoot())
        case .elu(let alpha):
            return x > 0 ? x : alpha * expm1(x)
        case .selu(let alpha, let gamma):
            return gamma * (x > 0 ? x : alpha * expm1(x))
        case .hardSwish:
            // x + 3 is exact near −3, where x/6 + 1/2 would cancel.
            return x <= -3 ? 0 : x >= 3 ? x : x * (x + 3) / 6
        }
    }

    /// `f'(x)` (the right derivative at a kink).
    public func derivative(_ x: Double) -> Double {
        switch self {
        case .sigmoid:
            let s = Self.logistic(x)
            return s * (1 - s)
        case .tanh:
            let t = Foundation.tanh(x)
            return 1 - t * t
        case .softplus:
            return Self.logistic(x)
        case .silu:
            let s = Self.logistic(x)
            return x.isInfinite ? (x > 0 ? 1 : 0) : s + x * s * (1 - s)
        case .gelu(let approximate):
            if x.isInfinite { return x > 0 ? 1 : 0 }
            if approximate {
                let t = Foundation.tanh(Self.geluTanhScale * (x + 0.044715 * x * x * x))
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * Self.geluTanhScale * (1 + 3 * 0.044715 * x * x)
            }
            return 0.5 * erfc(-x / 2.0.squareRoot()) + x * exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
        case .elu(let alpha):
            return x >= 0 ? 1 : alpha * exp(x)
        case .selu(let alpha, let gamma):
            return gamma * (x >= 0 ? 1 : alpha * exp(x))
        case .hardSwish:
            return x < -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6
        }
    }

    /// A bound on `|f''|` away from the kinks (the maxima, found numerically, rounded up).
    public var curvatureBound: Double {
        switch self {
        case .sigmoid: 0.0963          // 1 / (6√3) at x = ±1.317
        case .tanh: 0.7699             // 4 / (3√3) at x = ±0.658
        case .softplus: 0.2501         // sigmoid' ≤ 1/4
        case .silu: 0.5001             // at x = 0
        case .gelu: 0.7980             // 2φ(0) at x = 0, both forms
        case .elu(let alpha): alpha
        case .selu(let alpha, let gamma): alpha * gamma
        case .hardSwish: 1.0 / 3 + 1e-12
        }
    }

    /// The points where `f'` jumps; between them `f` is twice differentiable.
    public var kinks: [Double] {
        switch self {
        case .elu, .selu: [0]
        case .hardSwish: [-3, 3]
        default: []
        }
    }

    /// The global minimum of a function that falls and then rises (SiLU, GELU,
    /// HardSwish): where it is, and a value at most the true minimum. Nil for
    /// the monotone functions.
    public var minimum: (at: Double, value: Double)? {
        let at: Double
        switch self {
        case .silu: at = -1.2784645427610738
        case .gelu(let approximate): at = approximate ? -0.75246 : -0.7517915241
        case .hardSwish: at = -1.5
        default: return nil
        }
        // The minimiser is known to better than 1e-5, so f there is within 1e-10 of the minimum.
        return (at, value(at) - 1e-9)
    }

    /// A sound enclosure of `f` over `[lower, upper]`: `[min f, max f]` widened
    /// outward by the rounding allowance of the computed values.
    public func range(lower: Double, upper: Double) -> (lower: Double, upper: Double) {
        let fl = value(lower), fu = value(upper)
        var low = min(fl, fu)
        let high = max(fl, fu)
        // The functions are monotone or fall then rise: the maximum is at an end.
        if let minimum, lower < minimum.at, minimum.at < upper { low = min(low, minimum.value) }
        return (low - Self.allowance(low), high + Self.allowance(high))
    }

    /// Sound bounds on `f(x) − (slope · x + intercept)` over the finite interval
    /// `[a, b]`. Between consecutive sample points `p < q` (the kinks are among
    /// them) the deviation is at most its larger end value plus
    /// `curvatureBound · (q − p)² / 8`, the interpolation error of a function
    /// whose second derivative is that bounded; each computed value is widened
    /// by its rounding allowance.
    public func deviation(slope: Double, intercept: Double, over a: Double, _ b: Double, samples: Int = 32) -> (lower: Double, upper: Double) {
        precondition(a.isFinite && b.isFinite && a <= b)
        var points = (0...samples).map { a + (b - a) * Double($0) / Double(samples) }
        points[samples] = b
        points += kinks.filter { $0 > a && $0 < b }
        points.sort()
        var low = Double.infinity, high = -Double.infinity
        var previous: (point: Double, low: Double, high: Double)?
        for p in points {
            let fp = value(p)
            let g = fp - (slope * p + intercept)
            let rounding = Self.allowance(abs(fp) + abs(slope * p) + abs(intercept))
            let gLow = g - rounding, gHigh = g + rounding
            low = min(low, gLow)
            high = max(high, gHigh)
            if let previous {
                let h = p - previous.point
                let bend = curvatureBound * h * h / 8
                low = min(low, min(gLow, previous.low) - bend)
                high = max(high, max(gHigh, previous.high) + bend)
            }
            previous = (p, gLow, gHigh)
        }
        return (low.nextDown, high.nextUp)
    }

    /// The outward allowance for a computed value of magnitude `v`: libm's exp,
    /// tanh and erfc are within a few ulps, and the formulas above add a few
    /// roundings more; 10^-12 relative is far more than all of them.
    public static func allowance(_ v: Double) -> Double {
        abs(v) * 1e-12 + 1e-300
    }

    /// `√(2/π)`, the scale inside GELU's tanh form.
    static let geluTanhScale = (2 / Double.pi).squareRoot()

    /// The logistic function without overflow.
    static func logistic(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + exp(-x)) }
        let e = exp(x)
        return e / (1 + e)
    }
}

extension Graph {
    /// Whether a node computes a smooth activation, which only `pwl-approx` makes formulable.
    public var hasSmoothActivations: Bool {
        nodes.contains { if case .smooth = $0.operation { true } else { false } }
    }
}
