import NNIR

/// Supplies LP relaxations of networks to `bounds-lp`, so that the pass knows
/// nothing of formulations or solvers (the driver wires the embedded HiGHS).
public protocol LinearRelaxationOracle: Sendable {
    /// The LP relaxation of `graph`, whose nodes all carry bounds: the exact
    /// MILP with integrality dropped. Its objective is chosen per call of
    /// `optimize`, over the elements of the graph's first output.
    func relaxation(of graph: Graph) throws -> any LinearRelaxation
}

/// One LP relaxation, kept between calls so that the solver can warm-start.
public protocol LinearRelaxation: AnyObject {
    /// The minimum (or maximum) of element `element` of the output, or nil when
    /// the LP was not solved to optimality within `timeLimit` seconds.
    ///
    /// `timeLimit` is what is left of the caller's budget and may be tiny, zero
    /// or negative when the budget ran out between two calls: the implementation
    /// clamps it to the smallest limit its solver accepts (for HiGHS, its minimum
    /// time limit), so callers pass the remaining time as it is.
    func optimize(element: Int, maximize: Bool, timeLimit: Double) throws -> Double?
}
