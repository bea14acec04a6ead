import NNIR
import NNMILP
import NNSolve

/// A user's model with networks embedded, solved in process by the embedded
/// HiGHS. Every solution is judged on the original networks
/// (`EmbeddedSolutionCheck`): they are evaluated at the solution's linked
/// inputs and the user's rows are checked with their true outputs.
public struct EmbeddedModelSolve {
    /// The embedding resolved against the user's model (its `base` is the model the checks use).
    public var plan: EmbeddingPlan
    /// The combined MILP.
    public var embedded: EmbeddedModel
    /// The original network of each instance.
    public var networks: [Graph]
    /// The loaded HiGHS.
    public var library: HiGHSLibrary
    /// Whether a final solution whose outputs miss the original networks' is solved again with its
    /// integer columns fixed at their rounded values (see `withIntegersRounded`): true when the
    /// combined MILP formulates the original networks, false for pruned ones, which miss them by design.
    public var roundsIntegers = true

    /// The outcome of `run`.
    public struct Result: Sendable {
        /// How the solve ended.
        public var status: SolveStatus
        /// HiGHS's own status.
        public var solverStatus: HiGHSStatus
        /// The MILP's objective at the best solution, in the model's sense (nil without one).
        public var objective: Double?
        /// The best bound proved (nil when unknown).
        public var bound: Double?
        /// The relative gap (nil when unknown).
        public var gap: Double?
        /// Wall-clock seconds in HiGHS.
        public var seconds: Double
        /// Branch-and-bound nodes.
        public var nodes: Int64
        /// The best solution's value of every column of the combined model (nil without one).
        public var values: [Double]?
        /// The best solution judged on the original networks (nil without one).
        public var check: EmbeddedSolutionCheck?

        /// A result (also of a search that ran several solves).
        public init(status: SolveStatus, solverStatus: HiGHSStatus, objective: Double?, bound: Double?, gap: Double?, seconds: Double,
                    nodes: Int64, values: [Double]?, check: EmbeddedSolutionCheck?) {
            self.status = status
            self.solverStatus = solverStatus
            self.objective = objective
            self.bound = bound
            self.gap = gap
            self.seconds = seconds
            self.nodes = nodes
            self.values = values
            self.check = check
        }
    }

    /// Prepares a solve of `embedded` (of `plan`), judged on `networks`.
    public init(plan: EmbeddingPlan, embedded: EmbeddedModel, networks: [Graph], library: HiGHSLibrary) {
        self.plan = plan
        self.embedded = embedded
        self.networks = networks
        self.library = library
    }

    /// Solves the combined MILP, from `start` (a value for every column) when given; a start that
    /// holds on the original networks is the result when HiGHS ends with no better solution.
    ///
    /// - Parameters:
    ///   - progress: called from HiGHS's thread while it works, many times a second.
    ///   - onSolution: called with every improving solution (its values of the plan's `base` columns),
    ///     judged, with its MILP objective; its reply can stop the solve.
    public func run(settings: SolverSettings, start: [Double]? = nil, progress: ((HiGHSProgress) -> Void)? = nil,
                    onSolution: (([Double], EmbeddedSolutionCheck, Double) -> HiGHSCallbackReply)? = nil) throws -> Result {
        let run = try HiGHSRun(model: embedded.model, settings: settings, library: library)
        if let start { try run.solver.setStart(start) }
        let ending = try run.run(progress: progress, onImprovingSolution: onSolution.map { onSolution in
            { values, objective, _ in onSolution(Array(values.prefix(plan.base.columnCount)), try judge(values), objective) }
        })
        var best = try ending.values.map { (values: $0, objective: ending.objective, check: try judge($0)) }
        if roundsIntegers, let found = best, !found.check.holds, embedded.model.integerCount > 0,
           let rounded = try withIntegersRounded(found.values, settings: settings) {
            best = rounded
        }
        var status = ending.status
        // HiGHS may end (at its limit, or rejecting the start within its tolerances) without the start
        // as its incumbent: a start that holds on the original networks is still a solution.
        if best == nil, let start, ending.status != .infeasible, case let check = try judge(start), check.holds {
            best = (start, check.objective, check)
            status = HiGHSRun.status(ending.solverStatus, hasSolution: true)
        }
        return Result(status: status, solverStatus: ending.solverStatus, objective: best?.objective, bound: ending.bound, gap: ending.gap,
                      seconds: ending.seconds, nodes: ending.nodes, values: best?.values, check: best?.check)
    }

    /// HiGHS takes a value within its integrality tolerance (1e-6) of an integer as that integer, and
    /// through a big-M row that slack moves a network's output as much again, past what the check
    /// allows. The combined model with every integer column fixed at `values`' rounded value, an LP,
    /// gives the outputs the formulation means there: its solution and objective when it holds on the
    /// original networks, nil otherwise (or when the LP is not solved in the time left).
    func withIntegersRounded(_ values: [Double], settings: SolverSettings) throws -> (values: [Double], objective: Double?, check: EmbeddedSolutionCheck)? {
        var model = embedded.model
        for c in 0..<model.columnCount where model.columnIsInteger[c] {
            let rounded = min(max(values[c].rounded(), model.columnLower[c]), model.columnUpper[c])
            model.setBounds(c, lower: rounded, upper: rounded)
        }
        var lp = settings
        lp.logFile = nil
        lp.objectiveBound = nil
        let ending = try HiGHSRun(model: model, settings: lp, library: library).run()
        guard let solved = ending.values else { return nil }
        let check = try judge(solved)
        return check.holds ? (solved, ending.objective, check) : nil
    }

    /// The solution `values` (every column of the combined model) judged on the original networks.
    public func judge(_ values: [Double]) throws -> EmbeddedSolutionCheck {
        try EmbeddedSolutionCheck(plan: plan, networks: networks, values: Array(values.prefix(plan.base.columnCount)))
    }
}
