import Foundation
import NNIR
import NNMILP
import NNSolve
import NNSpec

/// What the embedded HiGHS is told besides the model.
public struct SolverSettings: Sendable {
    /// Wall-clock limit in seconds of this solve (nil: none).
    public var timeLimit: Double?
    /// The deadline of the command the solve is part of: HiGHS's time limit is
    /// the smaller of `timeLimit` and what is left of it, and when it has an
    /// interruption, HiGHS's interrupt callback stops the solve as soon as a
    /// stop is requested.
    public var deadline: Deadline = .none
    /// HiGHS's `threads` option (nil: HiGHS's default, or the count of an earlier run in the process).
    public var threads: Int?
    /// Relative MIP gap at which HiGHS stops (nil: HiGHS's default, 1e-4).
    public var relativeGap: Double?
    /// HiGHS's `random_seed` (nil: HiGHS's default).
    public var seed: Int?
    /// A file for HiGHS's own log (nil: no log).
    public var logFile: String?
    /// HiGHS's `objective_bound` for a minimization: nodes that cannot get
    /// below it are pruned, and the first solution below it ends the solve.
    public var objectiveBound: Double?
    /// A point to start from: one flat vector per network input. Every column
    /// is computed from it by evaluating the network, and HiGHS starts with
    /// that solution when it is feasible.
    public var start: [[Double]]?

    /// HiGHS's defaults, no time limit, no log, no start.
    public init() {}
}

/// How a solve ended, in the words `nnmip solve` prints.
public enum SolveStatus: String, Sendable {
    /// Proved optimal: the gap is 0 within `EmbeddedSolve.optimalityGap`,
    /// whatever gap the solve was allowed to stop at.
    case optimal
    /// A solution was found, but the solve stopped (time limit, interrupt, or
    /// a `--mip-gap` reached) with a gap above `EmbeddedSolve.optimalityGap`.
    case feasible
    /// No input in the domain meets the constraints.
    case infeasible
    /// The time limit came before any solution.
    case timeLimit = "time limit"
    /// Stopped by the caller before any solution.
    case interrupted
    /// The objective is unbounded (only possible with unbounded extra variables).
    case unbounded
    /// HiGHS stopped for another reason (its status is in the result).
    case unknown
}

/// One solution of the MILP, mapped back to the network it was compiled from.
public struct NetworkPoint: Sendable {
    /// The MILP's value for every element of every network input.
    public var inputs: [[Double]]
    /// The MILP's value for every element of every network output.
    public var milpOutputs: [[Double]]
    /// The reference evaluator's outputs of the ORIGINAL network at `inputs`.
    public var networkOutputs: [[Double]]

    /// The largest |MILP output − evaluator output|: the formulation's error at this point.
    public var outputDifference: Double {
        Tolerance.largestDifference(milpOutputs, networkOutputs)
    }

    /// The largest magnitude among the point's inputs and outputs: the scale `outputDifference` is judged at.
    public var scale: Double {
        Tolerance.scale(of: [inputs, milpOutputs, networkOutputs].joined().joined())
    }

    /// Whether the MILP's outputs agree with the evaluator's: `outputDifference`
    /// within `Tolerance.allowed(scale:)` of the point's `scale`.
    public var outputsAgree: Bool {
        outputDifference <= Tolerance.allowed(scale: scale)
    }

    /// Reads the network inputs and outputs from a MILP solution (`columnValues`
    /// in the order of `names`' columns) and evaluates `evaluator` there.
    public init(columnValues: [Double], names: NameMap, evaluator: Evaluator) throws {
        inputs = names.inputs.map { $0.columns.map { columnValues[$0] } }
        milpOutputs = names.outputs.map { $0.columns.map { columnValues[$0] } }
        networkOutputs = try evaluator.evaluate(inputs: inputs)
    }

    /// A point that no MILP produced (a sampled input): the evaluator's outputs stand for both.
    public init(inputs: [[Double]], evaluator: Evaluator) throws {
        self.inputs = inputs
        networkOutputs = try evaluator.evaluate(inputs: inputs)
        milpOutputs = networkOutputs
    }
}

/// The outcome of `EmbeddedSolve.run`.
public struct SolveResult: Sendable {
    /// How the solve ended.
    public var status: SolveStatus
    /// HiGHS's own status.
    public var solverStatus: HiGHSStatus
    /// The MILP's objective at the best solution (nil without one or without an objective).
    public var objective: Double?
    /// The best bound proved on the objective (nil when unknown).
    public var bound: Double?
    /// HiGHS's relative gap (nil when unknown).
    public var gap: Double?
    /// Wall-clock seconds in HiGHS.
    public var seconds: Double
    /// Branch-and-bound nodes.
    public var nodes: Int64
    /// The best solution, on the network.
    public var point: NetworkPoint?
}

/// A MILP compiled from a network, solved in process by the embedded HiGHS.
///
/// Every solution is mapped back to the network and evaluated on the original
/// graph (the one before the passes), so that what is reported is what the
/// network computes, not only what the MILP says.
public struct EmbeddedSolve {
    /// The network as the user gave it: solutions are judged on it.
    public var original: Graph
    /// The graph that was formulated (after the passes), for MIP starts.
    public var formulated: Graph
    /// The spec it was formulated with.
    public var spec: Spec
    /// The compiled MILP.
    public var formulation: Formulation
    /// The loaded HiGHS.
    public var library: HiGHSLibrary

    /// Prepares a solve of `formulation` (of `formulated` under `spec`), judged on `original`.
    public init(original: Graph, formulated: Graph, spec: Spec, formulation: Formulation, library: HiGHSLibrary) {
        self.original = original
        self.formulated = formulated
        self.spec = spec
        self.formulation = formulation
        self.library = library
    }

    /// The gaps (relative, absolute) within which a MIP's solution counts as
    /// optimal: HiGHS's defaults of `mip_rel_gap` and `mip_abs_gap`. A solve
    /// that stopped at a larger gap the caller allowed is `feasible`.
    public static let optimalityGap = (relative: 1e-4, absolute: 1e-6)

    /// Solves the MILP.
    ///
    /// - Parameters:
    ///   - progress: called from HiGHS's thread while it works, many times a second.
    ///   - onSolution: called with every improving solution, mapped to the
    ///     network, with HiGHS's progress; its reply can stop the solve.
    public func run(settings: SolverSettings,
                    progress: ((HiGHSProgress) -> Void)? = nil,
                    onSolution: ((NetworkPoint, Double, HiGHSProgress) -> HiGHSCallbackReply)? = nil) throws -> SolveResult {
        let solver = try HiGHSSolver(library: library)
        if let logFile = settings.logFile { try solver.writeLog(to: logFile) }
        let timeLimit = min(settings.timeLimit ?? .infinity, settings.deadline.remaining)
        if timeLimit.isFinite { try solver.setTimeLimit(timeLimit) }
        if let threads = settings.threads { try solver.setThreads(threads) }
        if let gap = settings.relativeGap { try solver.setOption("mip_rel_gap", gap) }
        if let seed = settings.seed { try solver.setOption("random_seed", seed) }
        if let bound = settings.objectiveBound { try solver.setOption("objective_bound", bound) }
        try solver.passModel(formulation.model)
        if let start = settings.start {
            let sizes = original.inputs.map { original[$0].elementCount }
            guard start.map(\.count) == sizes else {
                throw Diagnostic(.usage, location: "start", "has \(start.map(\.count)) values; the network's inputs have \(sizes)")
            }
            try solver.setStart(StartColumns(graph: formulated, spec: spec, formulation: formulation).values(at: start))
        }
        let evaluator = Evaluator(graph: original)
        let names = formulation.names
        var callbackError: (any Error)?
        let interruption = settings.deadline.interruption
        if progress != nil || onSolution != nil || interruption != nil {
            try solver.setCallback { event in
                if interruption?.isRequested == true { return .interrupt }
                switch event {
                case .progress(let state):
                    progress?(state)
                    return .proceed
                case .improvingSolution(let objective, let values, let state):
                    progress?(state)
                    guard let onSolution else { return .proceed }
                    do {
                        return onSolution(try NetworkPoint(columnValues: clampedToColumnBounds(values), names: names, evaluator: evaluator), objective, state)
                    } catch {
                        callbackError = error
                        return .interrupt
                    }
                }
            }
        }
        let solverStatus = try solver.run()
        if let callbackError { throw callbackError }
        let run = solver.lastRun
        let values = try solver.columnValues()
        let hasSolution = solver.hasFeasibleSolution && values.allSatisfy { $0.isFinite }
        let point = hasSolution ? try NetworkPoint(columnValues: clampedToColumnBounds(values), names: names, evaluator: evaluator) : nil
        let isMIP = formulation.model.integerCount > 0
        let bound = isMIP && run.dualBound.isFinite ? run.dualBound : (solverStatus == .optimal ? run.primalBound : nil)
        let gap = isMIP && run.gap.isFinite ? run.gap : (solverStatus == .optimal ? 0 : nil)
        var status = Self.status(solverStatus, hasSolution: hasSolution)
        if status == .optimal, let bound, let gap, !Self.isClosed(gap: gap, objective: run.primalBound, bound: bound) { status = .feasible }
        if interruption?.isRequested == true, status == .timeLimit { status = .interrupted }
        return SolveResult(
            status: status,
            solverStatus: solverStatus,
            objective: hasSolution ? run.primalBound : nil,
            bound: bound,
            gap: gap,
            seconds: run.seconds,
            nodes: run.nodes,
            point: point)
    }

    /// Whether a MIP's gap is 0 within `optimalityGap`: relatively (HiGHS's own measure) or absolutely.
    static func isClosed(gap: Double, objective: Double, bound: Double) -> Bool {
        gap <= optimalityGap.relative || abs(objective - bound) <= optimalityGap.absolute
    }

    /// The solution with every column moved into its bounds: HiGHS may leave
    /// a value outside by up to its feasibility tolerance, and an input point
    /// must lie in the domain the user gave.
    private func clampedToColumnBounds(_ values: [Double]) -> [Double] {
        let model = formulation.model
        return values.indices.map { min(max(values[$0], model.columnLower[$0]), model.columnUpper[$0]) }
    }

    private static func status(_ status: HiGHSStatus, hasSolution: Bool) -> SolveStatus {
        switch status {
        case .optimal: return .optimal
        case .infeasible: return .infeasible
        case .unbounded: return .unbounded
        case .timeLimit: return hasSolution ? .feasible : .timeLimit
        case .interrupt: return hasSolution ? .feasible : .interrupted
        default: return hasSolution ? .feasible : .unknown
        }
    }
}
