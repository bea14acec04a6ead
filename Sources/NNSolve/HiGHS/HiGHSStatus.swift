/// What HiGHS says about the model after a run: the `kHighsModelStatus`
/// constants of `highs_c_api.h`, as returned by `Highs_getModelStatus`.
public enum HiGHSStatus: Int32, Sendable, CustomStringConvertible {
    /// `kHighsModelStatusNotset`: not solved yet.
    case notset = 0
    /// `kHighsModelStatusLoadError`.
    case loadError = 1
    /// `kHighsModelStatusModelError`: the model is inconsistent.
    case modelError = 2
    /// `kHighsModelStatusPresolveError`.
    case presolveError = 3
    /// `kHighsModelStatusSolveError`.
    case solveError = 4
    /// `kHighsModelStatusPostsolveError`.
    case postsolveError = 5
    /// `kHighsModelStatusModelEmpty`: no columns.
    case modelEmpty = 6
    /// `kHighsModelStatusOptimal`: proven optimal (within the gap for a MIP).
    case optimal = 7
    /// `kHighsModelStatusInfeasible`.
    case infeasible = 8
    /// `kHighsModelStatusUnboundedOrInfeasible`: presolve could not tell which.
    case unboundedOrInfeasible = 9
    /// `kHighsModelStatusUnbounded`.
    case unbounded = 10
    /// `kHighsModelStatusObjectiveBound`: the objective bound option was reached.
    case objectiveBound = 11
    /// `kHighsModelStatusObjectiveTarget`: the objective target option was reached.
    case objectiveTarget = 12
    /// `kHighsModelStatusTimeLimit`.
    case timeLimit = 13
    /// `kHighsModelStatusIterationLimit`.
    case iterationLimit = 14
    /// `kHighsModelStatusUnknown`.
    case unknown = 15
    /// `kHighsModelStatusSolutionLimit`: the MIP solution or node limit was reached.
    case solutionLimit = 16
    /// `kHighsModelStatusInterrupt`: a callback stopped the run.
    case interrupt = 17

    /// The status in a few words, e.g. "optimal", "time limit".
    public var description: String {
        switch self {
        case .notset: "not set"
        case .loadError: "load error"
        case .modelError: "model error"
        case .presolveError: "presolve error"
        case .solveError: "solve error"
        case .postsolveError: "postsolve error"
        case .modelEmpty: "model empty"
        case .optimal: "optimal"
        case .infeasible: "infeasible"
        case .unboundedOrInfeasible: "unbounded or infeasible"
        case .unbounded: "unbounded"
        case .objectiveBound: "objective bound"
        case .objectiveTarget: "objective target"
        case .timeLimit: "time limit"
        case .iterationLimit: "iteration limit"
        case .unknown: "unknown"
        case .solutionLimit: "solution limit"
        case .interrupt: "interrupted"
        }
    }
}
