import Foundation
import NNIR
import NNMILP
import NNSolve

/// One MILP solve by the embedded HiGHS as the searches run it: the settings
/// applied, the callback wired (improving solutions, progress, and the
/// deadline's interruption, which stops HiGHS at once), and the ending told
/// in `nnmip solve`'s words. `EmbeddedSolve` (a network under a spec) and
/// `EmbeddedModelSolve` (networks in a user's model) both run through it.
///
/// The run keeps its time limit and its interruption even where HiGHS does not look at them:
/// shortly after either, it is given up (`HiGHSSolver.run(givingUpWhen:)`) and ends with the
/// best solution and bound the callback had heard of.
struct HiGHSRun {
    /// How the run ended.
    struct Ending {
        /// How the solve ended, in nnmip's words.
        var status: SolveStatus
        /// HiGHS's own status.
        var solverStatus: HiGHSStatus
        /// The objective at the best solution (nil without one).
        var objective: Double?
        /// The best bound proved (nil when unknown).
        var bound: Double?
        /// The relative gap (nil when unknown).
        var gap: Double?
        /// Wall-clock seconds in HiGHS.
        var seconds: Double
        /// Branch-and-bound nodes.
        var nodes: Int64
        /// The best solution's column values, moved into the column bounds; nil without a solution.
        var values: [Double]?
    }

    /// The solver, holding the model; a caller may give it a start before `run`.
    let solver: HiGHSSolver
    /// The model passed.
    let model: MILPModel
    /// The deadline's interruption, if it has one.
    private let interruption: Interruption?
    /// When the run must have ended (`MonotonicClock` seconds; infinite without a limit).
    private let end: Double

    /// Seconds HiGHS may take past the run's end before the run is given up: its time limit keeps
    /// a share for the untimed work already (`HiGHSSolver.setTimeLimit`), so it is short.
    static let endGrace = 0.2
    /// Seconds HiGHS may take to stop after an interruption before the run is given up.
    static let interruptionGrace = 0.5
    /// Whether the model was passed with its integrality dropped.
    private let relaxesIntegrality: Bool

    /// A HiGHS instance with `settings` applied (log, the smaller of the time limit and what is left
    /// of the deadline, threads, gap, seed, objective bound) holding `model`, or its LP relaxation
    /// when `relaxIntegrality`.
    init(model: MILPModel, settings: SolverSettings, library: HiGHSLibrary, relaxIntegrality: Bool = false) throws {
        let solver = try HiGHSSolver(library: library)
        if let logFile = settings.logFile { try solver.writeLog(to: logFile) }
        let timeLimit = min(settings.timeLimit ?? .infinity, settings.deadline.remaining)
        end = MonotonicClock.now() + timeLimit
        if timeLimit.isFinite { try solver.setTimeLimit(timeLimit) }
        if let threads = settings.threads { try solver.setThreads(threads) }
        if let gap = settings.relativeGap { try solver.setOption("mip_rel_gap", gap) }
        if let seed = settings.seed { try solver.setOption("random_seed", seed) }
        if let bound = settings.objectiveBound { try solver.setOption("objective_bound", bound) }
        try solver.passModel(model, relaxIntegrality: relaxIntegrality)
        self.solver = solver
        self.model = model
        relaxesIntegrality = relaxIntegrality
        interruption = settings.deadline.interruption
    }

    /// Solves. `progress` hears HiGHS's progress many times a second; `onImprovingSolution` gets
    /// every improving solution's values (moved into the column bounds) and objective, and its reply
    /// can stop the solve; an error it throws stops the solve and is rethrown. When HiGHS asks for
    /// a solution, `offer` may give one (a value for every column), which HiGHS takes when it is
    /// feasible and better than its own.
    func run(progress: ((HiGHSProgress) -> Void)? = nil,
             onImprovingSolution: (([Double], Double, HiGHSProgress) throws -> HiGHSCallbackReply)? = nil,
             offer: (() throws -> [Double]?)? = nil) throws -> Ending {
        let heard = CallbackRecord()
        let watched = end.isFinite || interruption != nil
        if progress != nil || onImprovingSolution != nil || watched || offer != nil {
            try solver.setCallback(offersSolutions: offer != nil) { [interruption, model] event in
                heard.lock.lock()
                defer { heard.lock.unlock() }
                // A run given up calls nobody back: its caller has moved on.
                if heard.givenUp || interruption?.isRequested == true { return .interrupt }
                switch event {
                case .progress(let state):
                    heard.progress = state
                    progress?(state)
                    return .proceed
                case .improvingSolution(let objective, let values, let state):
                    heard.progress = state
                    let clamped = Self.clamped(values, to: model)
                    heard.incumbent = (clamped, objective)
                    progress?(state)
                    guard let onImprovingSolution else { return .proceed }
                    do {
                        return try onImprovingSolution(clamped, objective, state)
                    } catch {
                        heard.error = error
                        return .interrupt
                    }
                case .solutionWanted(let state):
                    heard.progress = state
                    progress?(state)
                    do {
                        return try offer?().map(HiGHSCallbackReply.offer) ?? .proceed
                    } catch {
                        heard.error = error
                        return .interrupt
                    }
                }
            }
        }
        let started = MonotonicClock.now()
        let solverStatus: HiGHSStatus
        if watched {
            var interruptedAt: Double?
            let given = try solver.run { [end, interruption] in
                let now = MonotonicClock.now()
                if interruptedAt == nil, interruption?.isRequested == true { interruptedAt = now }
                return now > end + Self.endGrace || now > (interruptedAt ?? .infinity) + Self.interruptionGrace
            }
            guard let given else { return try givenUp(heard, seconds: MonotonicClock.now() - started) }
            solverStatus = given
        } else {
            solverStatus = try solver.run()
        }
        if let callbackError = heard.error { throw callbackError }
        let run = solver.lastRun
        let values = try solver.columnValues()
        let hasSolution = solver.hasFeasibleSolution && values.allSatisfy { $0.isFinite }
        let isMIP = model.integerCount > 0 && !relaxesIntegrality
        let bound = isMIP && run.dualBound.isFinite ? run.dualBound : (solverStatus == .optimal ? run.primalBound : nil)
        let gap = isMIP && run.gap.isFinite ? run.gap : (solverStatus == .optimal ? 0 : nil)
        var status = Self.status(solverStatus, hasSolution: hasSolution)
        if status == .optimal, let bound, let gap, !EmbeddedSolve.isClosed(gap: gap, objective: run.primalBound, bound: bound) { status = .feasible }
        if interruption?.isRequested == true, status == .timeLimit { status = .interrupted }
        return Ending(status: status, solverStatus: solverStatus, objective: hasSolution ? run.primalBound : nil, bound: bound, gap: gap,
                      seconds: run.seconds, nodes: run.nodes, values: hasSolution ? Self.clamped(values, to: model) : nil)
    }

    /// The ending of a run given up: the last incumbent and progress the callback heard of, as a
    /// time limit (or an interruption) would have left them.
    private func givenUp(_ heard: CallbackRecord, seconds: Double) throws -> Ending {
        heard.lock.lock()
        defer { heard.lock.unlock() }
        heard.givenUp = true
        if let error = heard.error { throw error }
        let interrupted = interruption?.isRequested == true
        let dual = heard.progress?.dualBound, gap = heard.progress?.gap
        let solverStatus: HiGHSStatus = interrupted ? .interrupt : .timeLimit
        return Ending(status: Self.status(solverStatus, hasSolution: heard.incumbent != nil), solverStatus: solverStatus,
                      objective: heard.incumbent?.objective,
                      bound: dual.flatMap { $0.isFinite ? $0 : nil }, gap: gap.flatMap { $0.isFinite ? $0 : nil },
                      seconds: seconds, nodes: heard.progress?.nodes ?? 0, values: heard.incumbent?.values)
    }

    /// What the callback heard during a run, and whether the run was given up; the lock is held
    /// through every call back into the caller, so a run given up has no call in flight.
    private final class CallbackRecord: @unchecked Sendable {
        let lock = NSLock()
        var givenUp = false
        var incumbent: (values: [Double], objective: Double)?
        var progress: HiGHSProgress?
        var error: (any Error)?
    }

    /// `values` with every column moved into its bounds: HiGHS may leave a value outside by up to its
    /// feasibility tolerance, and an input point must lie in the domain the user gave.
    static func clamped(_ values: [Double], to model: MILPModel) -> [Double] {
        values.indices.map { min(max(values[$0], model.columnLower[$0]), model.columnUpper[$0]) }
    }

    static func status(_ status: HiGHSStatus, hasSolution: Bool) -> SolveStatus {
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
