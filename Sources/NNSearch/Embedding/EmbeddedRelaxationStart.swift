import NNIR
import NNMILP
import NNSolve

/// A first truly feasible solution of a user's model with networks embedded,
/// found before any branching, from two LPs, cheapest first: the user's own
/// model (the networks' output columns only bounded, by the bounds their
/// networks give them), then the LP relaxation of the combined MILP. The
/// original networks are evaluated at each LP's linked inputs and the point is
/// repaired (`EmbeddedRepair`); then the best of them (or, when none holds,
/// the relaxation's point, which a walk takes toward one that does) is polished
/// over the networks' linear regions with the time left.
///
/// On wide networks HiGHS may branch for minutes before its first incumbent
/// (JANOS with 20 copies of a 2x256 network: none in 60 s); the user's LP takes
/// milliseconds and the relaxation seconds, and their inputs are good ones
/// even though their outputs are not the networks'.
public struct EmbeddedRelaxationStart: Sendable {
    /// The most of the time left the start may take; the MILP it starts gets the rest.
    public static let share = 0.25

    /// The LPs a start is taken from, in the order they are tried.
    enum Source: String, CaseIterable {
        /// The user's model alone, the networks' output columns bounded by the combined model.
        case modelLP = "model-lp"
        /// The LP relaxation of the combined MILP.
        case relaxation = "lp-relaxation"

        /// What the log calls it.
        var description: String {
            switch self {
            case .modelLP: "the model's own LP"
            case .relaxation: "LP relaxation"
            }
        }
    }

    /// The combined MILP whose relaxation is solved (the exact one or a surrogate's: only its linked inputs are kept).
    public var model: MILPModel
    /// Repairs the relaxation's point.
    public var repair: EmbeddedRepair

    /// A start from the relaxation of `model`, repaired by `repair`.
    public init(model: MILPModel, repair: EmbeddedRepair) {
        self.model = model
        self.repair = repair
    }

    /// What the start found.
    public struct Outcome: Sendable {
        /// A point judged on the original networks.
        public struct Judged: Sendable {
            /// The point, with its check (which may not hold).
            public var solution: EmbeddedRepair.Solution
            /// The objective of the LP it came from.
            public var lpObjective: Double
            /// Where it came from: `model-lp repaired`, `lp-relaxation (repair infeasible)`, `polish`, `walk`, ...
            public var source: String
            /// When it was judged (`MonotonicClock.now()`).
            public var time: Double
        }

        /// The best truly feasible solution found, with the source it came from.
        public var best: (solution: EmbeddedRepair.Solution, source: String)?
        /// Every point judged, in order.
        public var judged: [Judged] = []

        /// Records `solution`, and keeps it when it holds and is the best so far (by `isBetter`).
        mutating func found(_ solution: EmbeddedRepair.Solution, _ lpObjective: Double, _ source: String,
                            isBetter: (Double, Double) -> Bool) {
            judged.append(Judged(solution: solution, lpObjective: lpObjective, source: source, time: MonotonicClock.now()))
            guard solution.check.holds else { return }
            if let best, !isBetter(solution.check.objective, best.solution.check.objective) { return }
            best = (solution, source)
        }
    }

    /// Solves each LP and repairs its point, then polishes the best (see the type's comment), all by
    /// `deadline` (the caller passes a share of its own); `log` hears one line per step.
    public func find(library: HiGHSLibrary, settings: SolverSettings, deadline: Deadline, log: (String) -> Void = { _ in }) throws -> Outcome {
        var outcome = Outcome()
        var tried: [[Double]] = []
        var settings = settings
        settings.deadline = deadline
        settings.objectiveBound = nil
        settings.start = nil
        // The points that reach the polish: the last is the relaxation's when it was solved.
        var starts: [(solution: EmbeddedRepair.Solution, source: Source)] = []
        for source in Source.allCases {
            guard !deadline.hasPassed else { break }
            if let point = try start(from: source, library: library, settings: settings, log: log, tried: &tried, into: &outcome) {
                starts.append((point, source))
            }
        }
        let holding = starts.filter(\.solution.check.holds)
        let origin = holding.isEmpty ? starts.last
            : holding.max { repair.isBetter($1.solution.check.objective, than: $0.solution.check.objective) }
        guard let origin, !deadline.hasPassed else { return outcome }
        try repair.polish(from: origin.solution, origin: origin.source.rawValue, deadline: deadline, library: library, settings: settings, log: log) {
            outcome.found($0, $1, $2, isBetter: repair.isBetter)
        }
        return outcome
    }

    /// The linked input columns' values at `point` (of the plan's `base` columns): what a start is, for the networks.
    private func linkedInputs(_ point: [Double]) -> [Double] {
        repair.plan.instances.flatMap { instance in
            instance.inputs.compactMap { source -> Double? in
                if case .column(let c) = source { return point[c] }
                return nil
            }
        }
    }

    /// The LP of `source` solved and its point repaired, both recorded in `outcome`; the point to
    /// polish from (repaired when that holds), or nil when the LP gave none or one tried before.
    /// `tried` holds the linked inputs of the LPs before: an LP that gives the same (the relaxation
    /// often does, when no row binds a network) is not repaired again.
    private func start(from source: Source, library: HiGHSLibrary, settings lp: SolverSettings, log: (String) -> Void,
                       tried: inout [[Double]], into outcome: inout Outcome) throws -> EmbeddedRepair.Solution? {
        let base = repair.plan.base
        let run: HiGHSRun
        switch source {
        case .modelLP:
            var own = base
            // The combined model bounds the networks' output columns (and nothing the user's rows do not).
            for c in 0..<own.columnCount { own.setBounds(c, lower: model.columnLower[c], upper: model.columnUpper[c]) }
            run = try HiGHSRun(model: own, settings: lp, library: library, relaxIntegrality: true)
        case .relaxation:
            run = try HiGHSRun(model: model, settings: lp, library: library, relaxIntegrality: true)
            // The big-M relaxations of wide networks are large and degenerate: as for the network's own
            // relaxation start (`DenseRelaxationPoint`), the interior point method (with crossover) is the fast one.
            try run.solver.setOption("solver", "ipm")
        }
        let ending = try run.run()
        guard let values = ending.values, let lpObjective = ending.objective else {
            log("\(source.description): \(ending.status.rawValue) (HiGHS: \(ending.solverStatus)) in \(seconds(ending.seconds)) s; no start from it")
            return nil
        }
        var point = Array(values.prefix(base.columnCount))
        // The user's integer columns take the nearest integer within their bounds; the repair solves the rest.
        for c in 0..<base.columnCount where base.columnIsInteger[c] {
            point[c] = min(max(point[c].rounded(), base.columnLower[c]), base.columnUpper[c])
        }
        let inputs = linkedInputs(point)
        if tried.contains(where: { zip($0, inputs).allSatisfy { abs($0 - $1) <= Tolerance.feasibility * max(1, abs($1)) } }) {
            log("\(source.description) (objective \(lpObjective), \(seconds(ending.seconds)) s): the networks' inputs of a start before")
            return nil
        }
        tried.append(inputs)
        let check = try EmbeddedSolutionCheck(plan: repair.plan, networks: repair.original, values: point)
        let unrepaired = EmbeddedRepair.Solution(values: point, check: check)
        let repaired = try repair.holdingOrRepaired(point, check: check, library: library, settings: lp)
        if let repaired {
            log("\(source.description) (objective \(lpObjective), \(seconds(ending.seconds)) s) repaired: objective \(repaired.check.objective)")
            outcome.found(repaired, lpObjective, "\(source.rawValue) repaired", isBetter: repair.isBetter)
        } else {
            log("\(source.description) (objective \(lpObjective), \(seconds(ending.seconds)) s): its true outputs break the model")
            outcome.found(unrepaired, lpObjective, "\(source.rawValue) (repair infeasible)", isBetter: repair.isBetter)
        }
        return repaired ?? unrepaired
    }

    private func seconds(_ value: Double) -> String {
        String(format: "%.2f", value)
    }
}
