import NNIR
import NNMILP
import NNPasses
import NNSolve
import NNSpec

/// The search of the "surrogate within a surrogate" (CPAIOR 2026): the MILP
/// of a pruned copy of the network is solved, and every improving solution is
/// judged on the ORIGINAL network; the best original objective is the answer.
///
/// The best of a few sampled points, improved by projected gradient ascent on the original
/// network, is the first incumbent and the start of every MILP. Beside the MILPs (on the second
/// core, or before them in a share of the time with one), local searches on the original network
/// feed them better starts: the dense LP relaxation's point, polished (`lp-relaxation`), region walks
/// (`walk`) and gradient restarts (`gradient`); each running MILP is offered every new best point.
/// Surrogates (a pruning method and sparsity each) are tried in turn, each
/// with an equal share of the time left. With none and `finishDense`, this is
/// the dense MILP alone, traced the same way (the experiment's baseline).
/// Then the best point, and each surrogate's own optimum, is polished: the original network's ReLU activation pattern at
/// that point is fixed, and the LP of that linear region (exact for the
/// original network there) gives a point at least as good; this repeats from
/// the new point while it improves. Optionally the dense MILP then starts
/// from the best point for the rest of the time (polishing stops halfway).
/// `members` picks which of these run (`SearchMember`); without `milp` the local searches have
/// all the time.
public struct SurrogateSearch {
    /// One judged solution, for the trace.
    public struct TraceEntry: Sendable {
        /// Seconds since the search's `traceStart` (the command's start in nnmip), or since it began.
        public var seconds: Double
        /// Which MILP found it: `prune=0.8`, or `dense`.
        public var source: String
        /// The objective the MILP saw (on its own network).
        public var surrogateObjective: Double
        /// The objective on the original network (NaN when the point breaks an output constraint there).
        public var originalObjective: Double
        /// The input point, one flat vector per network input.
        public var inputs: [[Double]]

        /// Creates an entry.
        public init(seconds: Double, source: String, surrogateObjective: Double, originalObjective: Double, inputs: [[Double]]) {
            self.seconds = seconds
            self.source = source
            self.surrogateObjective = surrogateObjective
            self.originalObjective = originalObjective
            self.inputs = inputs
        }
    }

    /// The outcome.
    public struct Result: Sendable {
        /// The best point on the original network, its objective there and where it came from.
        public var best: (point: NetworkPoint, objective: Double, source: String)?
        /// Every improving solution of every MILP, judged.
        public var trace: [TraceEntry]
        /// The dense MILP's result when `finishDense` ran it.
        public var dense: SolveResult?
    }

    /// The network as given: every solution is judged on it.
    public var original: Graph
    /// The spec, with an objective.
    public var spec: Spec
    /// The surrogates to try, in order.
    public var surrogates: [SurrogatePruning]
    /// The passes after pruning (bounds and dead-neuron elimination shrink the surrogate further).
    public var passes: Pipeline
    /// Whether the dense MILP gets the time left, started from the best point.
    public var finishDense = false
    /// The pieces per neuron of the piecewise-linear surrogate (`pwl-approx`) that every MILP of a
    /// network with smooth activations formulates in their place, after pruning.
    public var smoothSegments = 8
    /// The `MonotonicClock` time the trace's seconds count from; the search's own start when nil.
    public var traceStart: Double?
    /// Polishing rounds (LPs over the linear region of the point) at most, from each start.
    public var polishRounds = 25
    /// Whether the local searches on the original network (`LocalSearchMembers`) run on another
    /// core while the MILPs run (the gradient restarts; the LP members run before the MILPs for at
    /// most `localShareBeforeMILPs` of the time); off, they all run before the MILPs for that share
    /// (one round), and the search is deterministic for a seed.
    public var searchesBesideMILPs = false
    /// The members that run (all by default).
    public var members = Set(SearchMember.allCases)
    /// The seed of the sampled start's and the restarts' random points.
    public var seed: UInt64 = 1
    /// The most parameters of the original network for which the search solves LPs over it (the
    /// dense relaxation, walks, polishing): the surrogate paper's largest networks (10^4-wide layers,
    /// 2*10^8 weights) make LPs with as many nonzeros, which HiGHS cannot solve in the time, and
    /// bounding their dense relaxation took minutes in single BLAS calls that no deadline stops.
    /// 784-1024x4-10 (4M) is below the default.
    public var largestNetworkForLPs = 10_000_000
    /// The most of the time the sampled start (and its gradient ascent) may take: on a 2*10^8-weight
    /// network, 100 samples and three ascents took 114 s; on the benchmark's others, milliseconds.
    static let sampleShare = 0.1

    /// Prepares a search.
    public init(original: Graph, spec: Spec, surrogates: [SurrogatePruning], passes: Pipeline) {
        self.original = original
        self.spec = spec
        self.surrogates = surrogates
        self.passes = passes
    }

    /// Searches for `timeLimit` seconds with `library`, and by `settings.deadline` when that comes
    /// first (its interruption stops the search, which keeps the best point so far); `log` hears one
    /// line per MILP.
    public func run(timeLimit: Double, library: HiGHSLibrary, settings: SolverSettings = SolverSettings(),
                    log: (String) -> Void = { _ in }) throws -> Result {
        guard let objective = spec.objective else {
            throw Diagnostic(.usage, location: "surrogate", "the search needs an objective (--maximize or --minimize)")
        }
        if let pass = passes.functionChangingPasses.first {
            throw Diagnostic(.usage, location: "passes", "'\(pass)' changes the network; the passes here must keep its function")
        }
        let deadline = settings.deadline.limited(toSeconds: timeLimit)
        var settings = settings
        settings.timeLimit = nil
        let judge = OriginalNetworkJudge<NetworkPoint>(maximize: objective.sense == .maximize, start: traceStart) { [spec] point in
            let feasible = spec.constraintViolation(inputs: point.inputs, outputs: point.networkOutputs) <= Tolerance.feasibility
            return (feasible ? objective.expression.value(inputs: point.inputs, outputs: point.networkOutputs) : .nan, point.inputs)
        }

        // LPs over the original network (its relaxation, walks, polishing) are as large as the network,
        // and a network with smooth activations has no LP form at all.
        var members = members
        let summary = GraphSummary(original)
        let solvesLPsOverOriginal = summary.parameters <= largestNetworkForLPs && summary.smoothUnits == 0
        if summary.smoothUnits > 0 {
            members.subtract([.walk, .lpRelaxation])
            log("the network has smooth activations: no LP over it (lp-relaxation, walk, polishing) is exact; sampling, the gradient and the MILPs of its piecewise-linear surrogates search it")
        } else if !solvesLPsOverOriginal {
            members.subtract([.walk, .lpRelaxation])
            log("the network has \(summary.parameters) parameters, more than \(largestNetworkForLPs): no LP over it (lp-relaxation, walk, polishing) would end in time; sampling, the gradient and the surrogates' MILPs search it")
        }
        let beside = searchesBesideMILPs && members.contains(.milp)
        let local = try LocalSearchMembers(original: original, spec: spec, passes: passes, members: members, besideMILPs: beside,
                                           library: library, settings: settings, seed: seed, judge: judge)
        defer { local.finish() }
        // Beside the MILPs, the gradient starts with the sampling rather than after it.
        if beside && !local.isEmpty { local.start(until: deadline) }
        // The best sampled point, improved by gradient ascent, is the first incumbent and every MILP's start.
        var sampling = SampledStart(graph: original, spec: spec)
        sampling.seed = seed
        if members.contains(.sample), let sampled = try sampling.best(deadline: deadline.share(Self.sampleShare)) {
            judge.judge(sampled.point, sampled.objective, sampled.source)
        }
        guard members.contains(.milp) else {
            try local.run(until: deadline)
            return Result(best: judge.best, trace: judge.trace, dense: nil)
        }
        let localDeadline = deadline.share(Self.localShareBeforeMILPs)
        if beside { try local.runLPMembers(until: localDeadline) } else if !local.isEmpty { try local.run(until: localDeadline, rounds: 1) }
        try solveSurrogates(judge: judge, deadline: deadline, library: library, settings: settings, log: log)
        let polishEnd = finishDense ? deadline.share(Self.polishShareBeforeDense) : deadline
        if solvesLPsOverOriginal { try polish(judge: judge, until: polishEnd, library: library, settings: settings, log: log) }
        let dense = finishDense ? try solveDense(judge: judge, deadline: deadline, library: library, settings: settings, log: log) : nil
        local.finish()
        if let failure = local.failure { log("the local searches beside the MILPs stopped: \(failure)") }
        return Result(best: judge.best, trace: judge.trace, dense: dense)
    }

    /// The most of the time that the local searches take before the MILPs: all of them without
    /// `searchesBesideMILPs`, the LP members with it.
    static let localShareBeforeMILPs = 0.2

    /// With `finishDense`, the share of the time left after the surrogates that polishing gets; the dense MILP gets the rest.
    static let polishShareBeforeDense = 0.5

    /// The surrogates' MILPs in turn, each with an equal share of the time left (the dense MILP
    /// counting as one more share with `finishDense`), each started from the best point so far.
    private func solveSurrogates(judge: OriginalNetworkJudge<NetworkPoint>, deadline: Deadline, library: HiGHSLibrary, settings: SolverSettings,
                                 log: (String) -> Void) throws {
        for (k, surrogate) in surrogates.enumerated() {
            let shares = Double(surrogates.count - k) + (finishDense ? 1 : 0)
            let budget = deadline.share(1 / shares)
            guard !budget.hasPassed else { break }
            let source = surrogate.description
            let building = MonotonicClock.now()
            let pruned = try BoundedNetwork.optimized(original, spec: spec, pipeline: surrogate.pipeline(then: milpPasses), library: library,
                                                      deadline: budget)
            let formulation = try Formulator.formulate(pruned, spec: spec, name: "surrogate")
            let built = MonotonicClock.now() - building
            var solve = settings
            solve.deadline = budget
            solve.start = judge.best?.point.inputs ?? settings.start
            let outcome = try EmbeddedSolve(original: original, formulated: pruned, spec: spec, formulation: formulation, library: library)
                .run(settings: solve, onSolution: { point, milpObjective, _ in
                    judge.judge(point, milpObjective, source)
                    return .proceed
                }, offer: Self.newBestPoints(of: judge))
            log("\(source): built in \(String(format: "%.2f", built)) s, \(formulation.statistics.binaries) binaries, \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s; best on the original network so far: \(judge.best.map { "\($0.objective)" } ?? "none")")
        }
    }

    /// Polishes the best point, then each surrogate's own optimum (its last improving solution): that
    /// can lie in a better region of the original network even when its value there is worse.
    private func polish(judge: OriginalNetworkJudge<NetworkPoint>, until polishEnd: Deadline, library: HiGHSLibrary, settings: SolverSettings,
                        log: (String) -> Void) throws {
        var ordered: [(origin: String, start: (inputs: [[Double]], objective: Double))] = []
        if let best = judge.best { ordered.append(("best", (best.point.inputs, best.objective))) }
        for surrogate in surrogates {
            guard let last = judge.trace.last(where: { $0.source == surrogate.description }), !last.originalObjective.isNaN,
                  !ordered.contains(where: { $0.start.inputs == last.inputs }) else { continue }
            ordered.append((surrogate.description, (last.inputs, last.originalObjective)))
        }
        for (origin, start) in ordered {
            try polish(from: start, origin: origin, judge: judge, until: polishEnd, library: library, settings: settings, log: log)
        }
    }

    /// Up to `polishRounds` LPs over the original network's linear region, each at the last one's
    /// optimum, while the objective on the original network improves by more than the tolerance.
    private func polish(from start: (inputs: [[Double]], objective: Double), origin: String, judge: OriginalNetworkJudge<NetworkPoint>,
                        until polishEnd: Deadline, library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void) throws {
        var current = start
        for round in 1...max(1, polishRounds) {
            guard !polishEnd.hasPassed else { break }
            let region = try LinearRegion.fixed(original, spec: spec, at: current.inputs)
            let formulation = try Formulator.formulate(region, spec: spec, name: "polish")
            var solve = settings
            solve.deadline = polishEnd
            let outcome = try EmbeddedSolve(original: original, formulated: region, spec: spec, formulation: formulation, library: library)
                .run(settings: solve)
            guard let point = outcome.point, let value = outcome.objective else {
                log("polish of the \(origin) point, round \(round): \(outcome.status.rawValue) (HiGHS: \(outcome.solverStatus)); stopping")
                break
            }
            judge.judge(point, value, "polish")
            let judged = judge.trace.last?.originalObjective ?? .nan
            log("polish of the \(origin) point, round \(round): \(outcome.status.rawValue); \(current.objective) -> \(judged)")
            // Stop once a round no longer improves by more than the solver's tolerance.
            guard !judged.isNaN, judge.isBetter(judged, than: current.objective),
                  abs(judged - current.objective) > Tolerance.feasibility * max(1, abs(current.objective)) else { break }
            current = (point.inputs, judged)
        }
    }

    /// What a running MILP is offered when HiGHS asks for a solution: the judge's best point when it
    /// has changed since the last offer (another member found it while the MILP ran), else nothing.
    private static func newBestPoints(of judge: OriginalNetworkJudge<NetworkPoint>) -> () -> [[Double]]? {
        var offered: [[Double]]?
        return {
            guard let best = judge.best?.point.inputs, best != offered else { return nil }
            offered = best
            return best
        }
    }

    /// The passes every MILP's graph gets (after pruning): `passes`, with `pwl-approx` for a smooth network.
    private var milpPasses: Pipeline {
        original.hasSmoothActivations ? passes.approximatingSmoothActivations(segments: smoothSegments, enclosure: false) : passes
    }

    /// The dense MILP (for a smooth network, of its unpruned surrogate) for the time left, started from the best point.
    private func solveDense(judge: OriginalNetworkJudge<NetworkPoint>, deadline: Deadline, library: HiGHSLibrary, settings: SolverSettings,
                            log: (String) -> Void) throws -> SolveResult? {
        guard !deadline.hasPassed else { return nil }
        let dense = try BoundedNetwork.optimized(original, spec: spec, pipeline: milpPasses, library: library, deadline: deadline)
        let formulation = try Formulator.formulate(dense, spec: spec, name: "dense")
        var solve = settings
        solve.deadline = deadline
        solve.start = judge.best?.point.inputs
        let outcome = try EmbeddedSolve(original: original, formulated: dense, spec: spec, formulation: formulation, library: library)
            .run(settings: solve, onSolution: { point, milpObjective, _ in
                judge.judge(point, milpObjective, "dense")
                return .proceed
            }, offer: Self.newBestPoints(of: judge))
        if let point = outcome.point, let value = outcome.objective { judge.judge(point, value, "dense") }
        log("dense, started from the best point: \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s")
        return outcome
    }
}
