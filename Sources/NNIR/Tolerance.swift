/// The numerical tolerances shared by every stage, declared once so that the
/// passes, the search and the CLI judge a point by the same rule.
public enum Tolerance {
    /// How far (absolute) a point may miss a linear constraint and still count as
    /// meeting it. It equals HiGHS's default primal feasibility tolerance, so a
    /// MILP solution that HiGHS calls feasible is not rejected for the solver's
    /// own rounding, and a bound computed by an LP is widened by the same amount.
    public static let feasibility = 1e-6

    /// How far two computations of values of magnitude `scale` may differ and
    /// still agree: `feasibility · max(1, scale)`, absolute for small values
    /// and relative for large ones (a solver's rounding grows with the numbers
    /// it works on, so a right answer on a ±1e10 box differs by more than 1e-6).
    public static func allowed(scale: Double) -> Double {
        feasibility * max(1, scale.isFinite ? abs(scale) : 1)
    }

    /// The largest magnitude among `values` (0 when empty), the scale that `allowed(scale:)` takes.
    public static func scale<S: Sequence>(of values: S) -> Double where S.Element == Double {
        values.reduce(0) { max($0, $1.isFinite ? abs($1) : 0) }
    }

    /// The largest |a − b| over two lists of tensors (0 when empty, infinite when any difference is NaN).
    public static func largestDifference(_ a: [[Double]], _ b: [[Double]]) -> Double {
        zip(a.joined(), b.joined()).reduce(0) { worst, pair in
            let difference = abs(pair.0 - pair.1)
            return difference.isNaN ? .infinity : max(worst, difference)
        }
    }
}
