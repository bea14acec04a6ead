import Foundation
import NNIR
import NNMILP
import NNPasses
import NNSolve
import NNSpec

/// The surrogate search of `SurrogateSearch` for networks embedded in a user's
/// model: the model with pruned copies of the networks is solved, and every
/// improving solution is made truly feasible by `EmbeddedRepair` (repaired, or
/// polished when the repair is infeasible; the best point is polished at the
/// end). Before the first MILP, the LP relaxation of the first surrogate's
/// model gives a start (`EmbeddedRelaxationStart`). With `finishDense` the
/// exact MILP starts from the best point for the time left; only it reports a
/// bound and a gap. Every point is judged by one `OriginalNetworkJudge`.
public struct EmbeddedSurrogateSearch {
    /// A truly feasible solution of the user's model.
    public typealias Solution = EmbeddedRepair.Solution

    /// The outcome.
    public struct Result: Sendable {
        /// The best feasible solution, its objective and where it came from (`prune=0.8 repaired`, `polish`, `dense`).
        public var best: (point: Solution, objective: Double, source: String)?
        /// Every judged point, in order (a repair or polish that failed is traced with a NaN objective).
        public var trace: [SurrogateSearch.TraceEntry]
        /// The exact MILP's result when `finishDense` ran it.
        public var dense: EmbeddedModelSolve.Result?
    }

    /// The embedding resolved against the user's model.
    public var plan: EmbeddingPlan
    /// Each instance's canonicalized network, unbounded: what pruning starts from.
    public var canonical: [Graph]
    /// Each instance's original network: every point is judged on it.
    public var original: [Graph]
    /// Each instance's input bounds, flattened.
    public var inputBounds: [Bounds]
    /// Each instance's network file, for messages.
    public var paths: [String]
    /// The surrogates to try, in order.
    public var surrogates: [SurrogatePruning]
    /// The passes after pruning, and of the exact MILP (they must keep the function).
    public var passes: Pipeline
    /// Whether the exact MILP gets the time left, started from the best point.
    public var finishDense = false
    /// The `MonotonicClock` time the trace's seconds count from; the search's own start when nil.
    public var traceStart: Double?
    /// Polishing rounds (LPs over the linear regions of the point) at most, from each start.
    public var polishRounds = 25
    /// Whether the first MILP starts from the LP relaxation's point, repaired (`EmbeddedRelaxationStart`).
    public var startsFromRelaxation = true

    /// Repairs and polishes the search's points.
    private var repairer: EmbeddedRepair {
        var repairer = EmbeddedRepair(plan: plan, original: original, inputBounds: inputBounds, paths: paths)
        repairer.polishRounds = polishRounds
        return repairer
    }

    /// Prepares a search.
    public init(plan: EmbeddingPlan, canonical: [Graph], original: [Graph], inputBounds: [Bounds], paths: [String],
                surrogates: [SurrogatePruning], passes: Pipeline) {
        self.plan = plan
        self.canonical = canonical
        self.original = original
        self.inputBounds = inputBounds
        self.paths = paths
        self.surrogates = surrogates
        self.passes = passes
    }

    /// Searches for `timeLimit` seconds with `library`, and by `settings.deadline` when that comes first;
    /// `log` hears one line per MILP and per polish.
    public func run(timeLimit: Double, library: HiGHSLibrary, settings: SolverSettings = SolverSettings(),
                    log: (String) -> Void = { _ in }) throws -> Result {
        if let pass = passes.functionChangingPasses.first {
            throw Diagnostic(.usage, location: "passes", "'\(pass)' changes the network; the passes here must keep its function")
        }
        let deadline = settings.deadline.limited(toSeconds: timeLimit)
        var settings = settings
        settings.timeLimit = nil
        // A point is traced with the inputs of every instance, one vector each.
        let judge = OriginalNetworkJudge<Solution>(maximize: plan.base.sense == .maximize, start: traceStart) { (solution: Solution) -> (objective: Double, inputs: [[Double]]) in
            (solution.check.holds ? solution.check.objective : .nan, solution.check.instances.map(\.inputs))
        }
        for (k, surrogate) in surrogates.enumerated() {
            let budget = deadline.share(1 / (Double(surrogates.count - k) + (finishDense ? 1 : 0)))
            guard !budget.hasPassed else { break }
            try solveSurrogate(surrogate, judge: judge, deadline: budget, library: library, settings: settings, log: log)
        }
        let polishEnd = finishDense ? deadline.share(SurrogateSearch.polishShareBeforeDense) : deadline
        if let best = judge.best {
            try polish(from: best.point, origin: "best", judge: judge, deadline: polishEnd, library: library, settings: settings, log: log)
        }
        let dense = finishDense ? try solveDense(judge: judge, deadline: deadline, library: library, settings: settings, log: log) : nil
        return Result(best: judge.best, trace: judge.trace, dense: dense)
    }

    /// The share of a surrogate's budget its MILP may take: the rest is kept for repairing its
    /// solutions, which a MILP stopped by its limit would otherwise leave no time for.
    static let milpShareOfBudget = 0.8

    /// One surrogate's MILP (the model with every network pruned), started from the best point so far,
    /// within `milpShareOfBudget` of `deadline`; then its improving solutions, best first, repaired (or
    /// polished when the repair fails) while `deadline` lasts.
    private func solveSurrogate(_ surrogate: SurrogatePruning, judge: OriginalNetworkJudge<Solution>, deadline: Deadline,
                                library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void) throws {
        let source = surrogate.description
        let formulation = try EmbeddedFormulation.build(plan, graphs: canonical, inputBounds: inputBounds, paths: paths,
                                                        pipeline: try surrogate.pipeline(then: passes), library: library, deadline: deadline)
        if startsFromRelaxation, judge.best == nil {
            let start = try EmbeddedRelaxationStart(model: formulation.embedded.model, repair: repairer)
                .find(library: library, settings: settings, deadline: deadline.share(EmbeddedRelaxationStart.share), log: log)
            for point in start.judged { judge.judge(point.solution, point.lpObjective, point.source, at: point.time) }
        }
        var solve = settings
        solve.deadline = deadline.share(Self.milpShareOfBudget)
        var found: [(values: [Double], check: EmbeddedSolutionCheck, objective: Double)] = []
        var pruned = EmbeddedModelSolve(plan: plan, embedded: formulation.embedded, networks: original, library: library)
        pruned.roundsIntegers = false  // its outputs are the pruned networks', which miss the original ones by design
        let outcome = try pruned
            .run(settings: solve, start: try judge.best.map { try formulation.startColumns(plan, values: $0.point.values) },
                 onSolution: { values, check, objective in
                     found.append((values, check, objective))
                     return .proceed
                 })
        if let values = outcome.values, let check = outcome.check, let objective = outcome.objective,
           found.last?.values != Array(values.prefix(plan.base.columnCount)) {
            found.append((Array(values.prefix(plan.base.columnCount)), check, objective))
        }
        log("\(source): \(formulation.embedded.model.integerCount) integer columns, \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s, \(found.count) solutions")
        solve.deadline = deadline
        // The MILP's last solution is its best: the one worth repairing first when time is short.
        for point in found.reversed() {
            guard !deadline.hasPassed else { break }
            if let repaired = try repairer.repair(point.values, check: point.check, library: library, settings: solve) {
                judge.judge(repaired, point.objective, "\(source) repaired")
            } else {
                judge.judge(Solution(values: point.values, check: point.check), point.objective, "\(source) (repair infeasible)")
                try polish(from: Solution(values: point.values, check: point.check), origin: source, judge: judge, deadline: deadline,
                           library: library, settings: solve, log: log)
            }
        }
        log("\(source): best repaired objective so far: \(judge.best.map { "\($0.objective)" } ?? "none")")
    }

    /// `EmbeddedRepair.polish` from `start`, every polished point judged.
    private func polish(from start: Solution, origin: String, judge: OriginalNetworkJudge<Solution>, deadline: Deadline,
                        library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void) throws {
        try repairer.polish(from: start, origin: origin, deadline: deadline, library: library, settings: settings, log: log) {
            judge.judge($0, $1, $2)
        }
    }

    /// The exact MILP for the time left, started from the best point; its solutions hold as they are.
    private func solveDense(judge: OriginalNetworkJudge<Solution>, deadline: Deadline, library: HiGHSLibrary, settings: SolverSettings,
                            log: (String) -> Void) throws -> EmbeddedModelSolve.Result? {
        guard !deadline.hasPassed else { return nil }
        let formulation = try EmbeddedFormulation.build(plan, graphs: canonical, inputBounds: inputBounds, paths: paths, pipeline: passes,
                                                        library: library, deadline: deadline)
        var solve = settings
        solve.deadline = deadline
        let outcome = try EmbeddedModelSolve(plan: plan, embedded: formulation.embedded, networks: original, library: library)
            .run(settings: solve, start: try judge.best.map { try formulation.startColumns(plan, values: $0.point.values) },
                 onSolution: { values, check, objective in
                     judge.judge(Solution(values: values, check: check), objective, "dense")
                     return .proceed
                 })
        if let values = outcome.values, let check = outcome.check, let objective = outcome.objective {
            judge.judge(Solution(values: Array(values.prefix(plan.base.columnCount)), check: check), objective, "dense")
        }
        log("dense, started from the best point: \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s")
        return outcome
    }

}
