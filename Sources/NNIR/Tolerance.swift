/// The numerical tolerances shared by every stage, declared once so that the
/// passes, the search and the CLI judge a point by the same rule.
public enum Tolerance {
    /// How far (absolute) a point may miss a linear constraint and still count as
    /// meeting it. It equals HiGHS's default primal feasibility tolerance, so a
    /// MILP solution that HiGHS calls feasible is not rejected for the solver's
    /// own rounding, and a bound computed by an LP is widened by the same amount.
    public static let feasibility = 1e-6
}
