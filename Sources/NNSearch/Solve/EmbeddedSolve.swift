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
    ///   - offer: asked for an input point whenever HiGHS asks for a solution (nil: none new);
    ///     the point's every column (the formulated network evaluated there) is offered, and HiGHS
    ///     keeps it when it is feasible and better than its incumbent.
    public func run(settings: SolverSettings,
                    progress: ((HiGHSProgress) -> Void)? = nil,
                    onSolution: ((NetworkPoint, Double, HiGHSProgress) -> HiGHSCallbackReply)? = nil,
                    offer: (() -> [[Double]]?)? = nil) throws -> SolveResult {
        let run = try HiGHSRun(model: formulation.model, settings: settings, library: library)
        let columns = StartColumns(graph: formulated, spec: spec, formulation: formulation)
        if let start = settings.start {
            let sizes = original.inputs.map { original[$0].elementCount }
            guard start.map(\.count) == sizes else {
                throw Diagnostic(.usage, location: "start", "has \(start.map(\.count)) values; the network's inputs have \(sizes)")
            }
            try run.solver.setStart(columns.values(at: start))
        }
        let evaluator = Evaluator(graph: original)
        let names = formulation.names
        let ending = try run.run(progress: progress, onImprovingSolution: onSolution.map { onSolution in
            { values, objective, state in onSolution(try NetworkPoint(columnValues: values, names: names, evaluator: evaluator), objective, state) }
        }, offer: offer.map { offer in { try offer().map(columns.values(at:)) } })
        return SolveResult(
            status: ending.status,
            solverStatus: ending.solverStatus,
            objective: ending.objective,
            bound: ending.bound,
            gap: ending.gap,
            seconds: ending.seconds,
            nodes: ending.nodes,
            point: try ending.values.map { try NetworkPoint(columnValues: $0, names: names, evaluator: evaluator) })
    }

    /// Whether a MIP's gap is 0 within `optimalityGap`: relatively (HiGHS's own measure) or absolutely.
    static func isClosed(gap: Double, objective: Double, bound: Double) -> Bool {
        gap <= optimalityGap.relative || abs(objective - bound) <= optimalityGap.absolute
    }
}
