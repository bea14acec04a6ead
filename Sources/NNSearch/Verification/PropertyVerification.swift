import NNIR
import NNMILP
import NNPasses
import NNSolve
import NNSpec

/// Decides a VNN-LIB property (a spec whose feasible points are
/// counterexamples) for a network, as VNN-COMP asks: the stages in order of
/// cost, then one MILP per disjunct with the embedded HiGHS.
///
/// The property splits into cases (`VerificationCase`: the spec's constraints
/// plus one disjunct); each stage has its own file.
///
/// 0. An input domain that its bounds show empty (`Spec.emptyDomainReason`) has no
///    counterexample: the answer is `unsat` at once.
/// 1. The passes before the first one with a time budget of its own
///    (`Pipeline.splitBeforeFirstTimedPass`: all of `-O2`, milliseconds) bound
///    every neuron; a case with a constraint that the output bounds rule out
///    needs no MILP (`BoundScreening`). If every case is ruled out, the answer
///    is `unsat`, before any sampling.
/// 2. The box center, random points and random corners are evaluated, and a
///    local search starts from the points closest to violating the property
///    (`CounterexampleSearch`); a point that satisfies the spec ends the run
///    with `sat`. Region walks from the closest points follow (`RegionWalkStage`),
///    here or, where branch and bound over ReLU splits applies, after it (step 5).
/// 3. The rest of the passes (`bounds-alpha` and `bounds-lp` in `-O3`) continue from the bounds
///    of step 1, so no bound is computed twice, and screen the open cases again.
/// 4. With `surrogates`, pruned networks' margin MILPs look for a point that
///    violates the property on the original network (`SurrogateStage`).
/// 5. For a network with more inputs than that, branch and bound over ReLU
///    splits (`ReLUBranchAndBoundStage`) takes the open cases together for 80%
///    of the time left; the MILPs get the cases it leaves open.
///    For a network with few inputs, each remaining case instead gets
///    branch and bound over the input box (`InputSplittingStage`) for a
///    quarter of the time left.
/// 6. Each remaining case's margin MILP is solved in turn within the time left (`MarginMILP`),
///    or, when input splitting left the case open in a few boxes, one MILP per box (`solveMargins`).
///    It maximizes the margin t by which the disjunct's output constraints
///    hold (t below each constraint's slack), with HiGHS's objective bound
///    just below t = 0: nodes where t cannot reach it are pruned, and the
///    callback stops HiGHS at the first solution that checks out on the
///    network. Such a solution is re-checked on the network
///    (`CounterexampleCheck`) before it counts; a MILP with no solution of
///    t >= 0 rules the case out.
///
/// A network with smooth activations (sigmoid, tanh, ...) takes the same stages, on sound
/// grounds: the bounds passes relax each smooth activation between two certified lines, the
/// searches evaluate the network itself, and the MILPs formulate its sound piecewise-linear
/// enclosure (`pwl-approx{enclosure=true}` with `smoothSegments` pieces), so an infeasible MILP
/// is a proof and each of its points is a candidate the network re-checks. The region walks and
/// the surrogate stage, which formulate the network's own linear regions, do not run.
///
/// With `attacksBesideStages` (two cores), projected gradient restarts from
/// random points of the domain (`ConcurrentAttack`) run on a thread of their own
/// from step 1 to the end (or until branch and bound over ReLU splits takes
/// their core, with `branchingWorkers` above 1); the first counterexample they
/// find stops the other stages. With `attacksOnly`, step 2 is followed by those restarts alone on the
/// caller's thread (and beside it), and no MILP runs.
///
/// Every stage, pass and MILP takes its budget out of one deadline, so the run
/// ends by it; an interruption of the deadline (a signal) ends the run at the
/// next check with `unknown`, or `sat` when a counterexample was already found.
public struct PropertyVerification {
    /// The network as given.
    public var graph: Graph
    /// The property: input domain, constraints and disjuncts that describe a counterexample.
    public var spec: Spec
    /// The passes run before the MILPs.
    public var passes: Pipeline
    /// Random points tried before anything else (besides the center).
    public var samples = 500
    /// The seed of the random points: the same run gives the same answer.
    public var seed: UInt64 = 1
    /// Whether a local search follows the random points.
    public var searchesLocally = true
    /// Whether networks with few inputs get branch and bound over the input box before the MILP.
    public var splitsInputs = true
    /// Whether networks with more inputs get branch and bound over ReLU splits before the MILP.
    public var branchesOnReLUs = true
    /// The threads that branch and bound over ReLU splits runs on; with more than one, the attack
    /// beside the stages ends when it starts and leaves its core to it.
    public var branchingWorkers = 1
    /// Pruned surrogates whose margin MILPs are searched, before the exact MILP, for a point that
    /// violates the property on the original network (they can find counterexamples, never prove unsat).
    public var surrogates: [SurrogatePruning] = []
    /// The share of the time left after the bounds that the surrogates get together.
    public var surrogateShare = 0.5
    /// Whether gradient restarts run on a thread of their own beside the stages (for two cores or more).
    public var attacksBesideStages = false
    /// Whether the run only looks for a counterexample: after the sampling and local searches,
    /// gradient restarts until the timeout, no passes with a time budget and no MILP (the answer
    /// is `sat`, `timeout`, or `unsat` by the cheap bounds alone).
    public var attacksOnly = false
    /// The pieces per neuron of the enclosure of each smooth activation in the MILPs.
    public var smoothSegments = 8

    /// Whether the network has smooth activations, which only their enclosure formulates.
    var isSmooth: Bool { graph.hasSmoothActivations }

    /// `graph` (bounded) as the MILPs formulate it: itself, or for a smooth network its enclosure,
    /// bounded again by `cheap` (the enclosure keeps every bound it had).
    func milpGraph(_ bounded: Graph, cheap: Pipeline, library: HiGHSLibrary, deadline: Deadline) throws -> Graph {
        guard isSmooth else { return bounded }
        let enclosure = Pipeline.approximation(segments: smoothSegments, enclosure: true)
        return try BoundedNetwork.refined(bounded, pipeline: Pipeline(entries: [enclosure] + cheap.entries), library: library, deadline: deadline)
    }

    /// Prepares the verification of `spec` on `graph`.
    public init(graph: Graph, spec: Spec, passes: Pipeline) {
        self.graph = graph
        self.spec = spec
        self.passes = passes
    }

    /// Runs the steps above within `timeout` seconds, and by `settings.deadline`
    /// when that comes first (its interruption stops the run). `library` is the
    /// HiGHS to solve MILPs with (and for `bounds-lp`); `log` hears one line per step.
    public func run(timeout: Double, library: HiGHSLibrary, settings: SolverSettings = SolverSettings(),
                    log: (String) -> Void = { _ in }) throws -> VerificationResult {
        if let pass = passes.functionChangingPasses.first {
            throw Diagnostic(.usage, location: "passes", "'\(pass)' changes the network; the passes here must keep its function")
        }
        let start = MonotonicClock.now()
        let limit = settings.deadline.limited(toSeconds: timeout)
        // No input, so no counterexample: an empty domain is a property that holds.
        if let reason = spec.emptyDomainReason(symbols: SymbolTable(graph: graph)) {
            return Answers(start: start, deadline: limit).result(.unsat, by: .bounds, "the input domain is empty: \(reason)")
        }
        let box = try spec.resolvedInputBounds(symbols: SymbolTable(graph: graph))
        let check = CounterexampleCheck(spec: spec, box: box, evaluator: Evaluator(graph: graph))
        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        // The restarts beside the stages draw from a stream of their own, not the sampled points'.
        let beside = attacksBesideStages
            ? ConcurrentAttack(CounterexampleAttack(graph: graph, spec: spec, projection: projection, check: check,
                                                    seed: SplitMix64.seed(seed, stream: 1)),
                               following: limit.interruption)
            : nil
        // The stages stop when the restarts beside them find a counterexample.
        let deadline = Deadline(time: limit.time, interruption: beside?.stop ?? limit.interruption)
        let answers = Answers(start: start, deadline: deadline)
        var settings = settings
        settings.deadline = deadline
        var decided: VerificationResult
        do {
            decided = try decide(answers, check: check, projection: projection, beside: beside,
                                 library: library, settings: settings, log: log)
        } catch {
            _ = try? beside?.finish()
            throw error
        }
        // A counterexample the reference evaluator confirmed is the answer, whatever the stages
        // that it stopped said then (timeout, or unknown for the stop it asked for).
        if let found = try beside?.finish(), decided.answer != .sat {
            // An unsat beside a confirmed counterexample would be a bug in a proof: say so, keep the evidence.
            if decided.answer == .unsat { log("warning: a counterexample contradicts the proof by \(decided.reason)") }
            log("counterexample at \(found.source)")
            decided = answers.result(.sat, by: .localSearch, found.source, found.counterexample)
        }
        return decided
    }

    /// How `run` words its answers: with the seconds since it began, and a stop told apart from
    /// a timeout by the user's signal.
    private struct Answers {
        /// When the run began (`MonotonicClock` seconds).
        let start: Double
        let deadline: Deadline

        func result(_ answer: VerificationAnswer, by stage: VerificationStage, _ reason: String,
                    _ counterexample: Counterexample? = nil) -> VerificationResult {
            VerificationResult(answer: answer, counterexample: counterexample, reason: reason, stage: stage, seconds: MonotonicClock.now() - start)
        }

        /// The answer when the deadline came first, in `stage`: `timeout`, or `unknown` when a signal stopped the run.
        func stopped(in stage: VerificationStage, _ reason: String) -> VerificationResult {
            guard let signal = deadline.interruption?.signalNumber else { return result(.timeout, by: stage, reason) }
            return result(.unknown, by: stage, "interrupted by signal \(signal)")
        }
    }

    /// The stages of `run` (see the type's comment), within `answers.deadline`.
    private func decide(_ answers: Answers, check: CounterexampleCheck, projection: DomainProjection, beside: ConcurrentAttack?,
                        library: HiGHSLibrary, settings: SolverSettings,
                        log: (String) -> Void) throws -> VerificationResult {
        let deadline = answers.deadline
        let cases = VerificationCase.cases(of: spec)

        // The attack starts before the bounds: on the benchmark's MNIST networks its first restart
        // finds most counterexamples before the -O2 passes end.
        beside?.start(until: deadline)
        let (cheap, rest) = passes.splitBeforeFirstTimedPass
        var bounded = try BoundedNetwork.optimized(graph, spec: spec, pipeline: cheap, library: library, deadline: deadline)
        var open = cases.filter { !$0.isRuledOut(byBoundsOf: bounded) }
        log("bounds (\(cheap)) rule out \(cases.count - open.count) of \(cases.count) cases")
        if open.isEmpty { return answers.result(.unsat, by: .bounds, "bounds") }
        guard !deadline.hasPassed else { return answers.stopped(in: .bounds, "time ran out in the passes") }

        let search = CounterexampleSearch(spec: spec, projection: projection, evaluator: check.evaluator, seed: seed)
        let searched = try search.run(samples: samples, localSearch: searchesLocally, deadline: deadline)
        if let (point, outputs, which, stage) = searched.counterexample {
            log("counterexample at \(which)")
            return answers.result(.sat, by: stage, which, (point, outputs))
        }
        guard !deadline.hasPassed else { return answers.stopped(in: .sampling, "time ran out while sampling") }
        log("no counterexample among \(samples + 1) sampled points and a local search from the best of them")
        // Where branch and bound over ReLU splits applies, its proofs come before the walks, which only
        // look for counterexamples: on MNIST it proves in milliseconds what the walks search for seconds.
        let branches = branchesOnReLUs && !attacksOnly && ReLUBranchAndBound.applies(to: graph, bounded: bounded, cases: open)
        func walk() throws -> VerificationResult? {
            guard searchesLocally, !isSmooth, let found = try walkToCounterexample(open, from: searched.closest, check: check, deadline: deadline,
                                                                         library: library, settings: settings, log: log)
            else { return nil }
            return answers.result(.sat, by: .localSearch, found.source, found.counterexample)
        }
        if !branches, let found = try walk() { return found }
        if attacksOnly {
            // The restarts beside keep going too; these draw from the next stream.
            var attack = CounterexampleAttack(graph: graph, spec: spec, projection: projection, check: check,
                                              seed: SplitMix64.seed(seed, stream: 2))
            if let found = try attack.run(until: deadline, label: "") {
                return answers.result(.sat, by: .localSearch, found.source, found.counterexample)
            }
            return answers.stopped(in: .localSearch, "time ran out in the attack (\(attack.restarts) gradient restarts)")
        }

        if !rest.entries.isEmpty {
            bounded = try BoundedNetwork.refined(bounded, pipeline: rest, library: library, deadline: deadline)
            let before = open.count
            open = open.filter { !$0.isRuledOut(byBoundsOf: bounded) }
            log("bounds (\(rest)) rule out \(before - open.count) more of \(cases.count) cases")
            if open.isEmpty { return answers.result(.unsat, by: .bounds, "bounds") }
            guard !deadline.hasPassed else { return answers.stopped(in: .bounds, "time ran out in the passes") }
        }

        if !isSmooth, let found = try searchSurrogates(open, check: check, deadline: deadline, library: library, settings: settings, log: log) {
            return answers.result(.sat, by: .surrogate, found.source, found.counterexample)
        }

        var unknown: String?
        var provers = open.count < cases.count ? ["bounds"] : []
        var lastProver = VerificationStage.bounds
        func proved(by prover: String, _ stage: VerificationStage) {
            if !provers.contains(prover) { provers.append(prover) }
            lastProver = stage
        }
        if branches {
            switch try branchOnReLUs(open, bounded: bounded, check: check, beside: beside, deadline: deadline, library: library, log: log) {
            case .counterexample(let found):
                return answers.result(.sat, by: .branchAndBound, "branch and bound over ReLU splits", found)
            case .open(let left, let tighter):
                if left.count < open.count { proved(by: "branch and bound", .branchAndBound) }
                open = left
                bounded = tighter
            }
            if open.isEmpty { return answers.result(.unsat, by: lastProver, provers.joined(separator: ", ")) }
            if let found = try walk() { return found }
        }
        for verificationCase in open {
            var boxesLeft: [Bounds] = []
            switch try splitInputs(verificationCase, check: check, deadline: deadline, log: log) {
            case .counterexample(let found):
                return answers.result(.sat, by: .inputSplitting, "input splitting of \(verificationCase)", found)
            case .refuted:
                proved(by: "input splitting", .inputSplitting)
                continue
            case .undecided(let boxes):
                boxesLeft = boxes
            }
            let outcome = boxesLeft.isEmpty
                ? try solveMargin(verificationCase, bounded: milpGraph(bounded, cheap: cheap, library: library, deadline: deadline), check: check, deadline: deadline,
                                  library: library, settings: settings, log: log)
                : try solveMargins(verificationCase, boxes: boxesLeft, cheap: cheap, check: check, deadline: deadline,
                                   library: library, settings: settings, log: log)
            switch outcome {
            case .counterexample(let found):
                return answers.result(.sat, by: .milp, "MILP of \(verificationCase)", found)
            case .refuted:
                proved(by: "MILP", .milp)
            case .timeout(let reason):
                return answers.stopped(in: .milp, reason)
            case .unknown(let reason):
                unknown = reason
            }
        }
        if let unknown { return answers.result(.unknown, by: .milp, unknown) }
        return answers.result(.unsat, by: lastProver, provers.joined(separator: ", "))
    }
}
