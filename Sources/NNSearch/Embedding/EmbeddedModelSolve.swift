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

    /// Solves the combined MILP, from `start` (a value for every column) when given.
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
        return Result(status: ending.status, solverStatus: ending.solverStatus, objective: ending.objective, bound: ending.bound, gap: ending.gap,
                      seconds: ending.seconds, nodes: ending.nodes, values: ending.values, check: try ending.values.map(judge))
    }

    /// The solution `values` (every column of the combined model) judged on the original networks.
    public func judge(_ values: [Double]) throws -> EmbeddedSolutionCheck {
        try EmbeddedSolutionCheck(plan: plan, networks: networks, values: Array(values.prefix(plan.base.columnCount)))
    }
}
