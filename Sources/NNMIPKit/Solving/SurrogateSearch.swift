/// The search of the "surrogate within a surrogate" (CPAIOR 2026): the MILP
/// of a pruned copy of the network is solved, and every improving solution is
/// judged on the ORIGINAL network; the best original objective is the answer.
///
/// Sparsities are tried in turn, each with an equal share of the time left.
/// Then the best point is polished: the original network's ReLU activation
/// pattern at that point is fixed, and the LP of that linear region (exact for
/// the original network there) gives a point at least as good; this repeats
/// from the new point while it improves. Optionally the dense MILP then
/// starts from the best point for the rest of the time.
public struct SurrogateSearch {
    /// One judged solution, for the trace.
    public struct TraceEntry: Sendable {
        /// Seconds since the search began.
        public var seconds: Double
        /// Which MILP found it: `prune=0.8`, or `dense`.
        public var source: String
        /// The objective the MILP saw (on its own network).
        public var surrogateObjective: Double
        /// The objective on the original network (NaN when the point breaks an output constraint there).
        public var originalObjective: Double
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
    /// The sparsities to try, in order.
    public var sparsities: [Double]
    /// The passes after pruning (bounds and dead-neuron elimination shrink the surrogate further).
    public var passes: Pipeline
    /// Whether the dense MILP gets the time left, started from the best point.
    public var finishDense = false
    /// Polishing rounds (LPs over the linear region of the best point) at most.
    public var polishRounds = 10

    /// Prepares a search.
    public init(original: Graph, spec: Spec, sparsities: [Double], passes: Pipeline) {
        self.original = original
        self.spec = spec
        self.sparsities = sparsities
        self.passes = passes
    }

    /// Searches for `timeLimit` seconds with `library`; `log` hears one line per MILP.
    public func run(timeLimit: Double, library: HiGHSLibrary, settings: SolverSettings = SolverSettings(),
                    log: (String) -> Void = { _ in }) throws -> Result {
        guard let objective = spec.objective else {
            throw Diagnostic(.usage, location: "surrogate", "the search needs an objective (--maximize or --minimize)")
        }
        let start = MonotonicClock.now()
        let deadline = start + timeLimit
        var result = Result(best: nil, trace: [], dense: nil)
        func better(_ a: Double, than b: Double) -> Bool { objective.sense == .maximize ? a > b : a < b }
        func judge(_ point: NetworkPoint, _ milpObjective: Double, _ source: String) {
            let feasible = spec.constraintViolation(inputs: point.inputs, outputs: point.networkOutputs) <= PropertyVerification.tolerance
            let value = feasible ? objective.expression.value(inputs: point.inputs, outputs: point.networkOutputs) : .nan
            result.trace.append(TraceEntry(seconds: MonotonicClock.now() - start, source: source, surrogateObjective: milpObjective, originalObjective: value))
            if feasible, result.best.map({ better(value, than: $0.objective) }) ?? true { result.best = (point, value, source) }
        }

        for (k, sparsity) in sparsities.enumerated() {
            let shares = Double(sparsities.count - k) + (finishDense ? 1 : 0)
            let budget = (deadline - MonotonicClock.now()) / shares
            guard budget > 0 else { break }
            let source = "prune=\(sparsity)"
            let prune = "\(PrunePass.name){sparsity=\(sparsity)}"
            let pipeline = try Pipeline(parsing: passes.entries.isEmpty ? prune : prune + "," + passes.description)
            var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library))
            let surrogate = try Compilation.optimized(original, spec: spec, passes: PassManager(pipeline: pipeline), context: &context)
            let formulation = try Formulator.formulate(surrogate, spec: spec, name: "surrogate")
            var solve = settings
            solve.timeLimit = budget
            let outcome = try EmbeddedSolve(original: original, formulated: surrogate, spec: spec, formulation: formulation, library: library)
                .run(settings: solve, onSolution: { point, milpObjective, _ in
                    judge(point, milpObjective, source)
                    return .proceed
                })
            log("\(source): \(formulation.statistics.binaries) binaries, \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s; best on the original network so far: \(result.best.map { "\($0.objective)" } ?? "none")")
        }

        var rounds = 0
        while rounds < polishRounds, let best = result.best, MonotonicClock.now() < deadline {
            rounds += 1
            let region = try linearRegion(at: best.point.inputs)
            let formulation = try Formulator.formulate(region, spec: spec, name: "polish")
            var solve = settings
            solve.timeLimit = deadline - MonotonicClock.now()
            let outcome = try EmbeddedSolve(original: original, formulated: region, spec: spec, formulation: formulation, library: library)
                .run(settings: solve)
            guard let point = outcome.point, let value = outcome.objective else {
                log("polish \(rounds): \(outcome.status.rawValue) (HiGHS: \(outcome.solverStatus)); stopping")
                break
            }
            let before = best.objective
            judge(point, value, "polish")
            log("polish \(rounds): \(outcome.status.rawValue); original objective \(before) -> \(result.best?.objective ?? before)")
            // Stop once a round no longer improves by more than the solver's tolerance.
            guard let now = result.best?.objective, better(now, than: before), abs(now - before) > PropertyVerification.tolerance * max(1, abs(before)) else { break }
        }

        if finishDense, deadline - MonotonicClock.now() > 0 {
            var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library))
            let dense = try Compilation.optimized(original, spec: spec, passes: PassManager(pipeline: passes), context: &context)
            let formulation = try Formulator.formulate(dense, spec: spec, name: "dense")
            var solve = settings
            solve.timeLimit = deadline - MonotonicClock.now()
            solve.start = result.best?.point.inputs
            let outcome = try EmbeddedSolve(original: original, formulated: dense, spec: spec, formulation: formulation, library: library)
                .run(settings: solve, onSolution: { point, milpObjective, _ in
                    judge(point, milpObjective, "dense")
                    return .proceed
                })
            if let point = outcome.point, let value = outcome.objective { judge(point, value, "dense") }
            result.dense = outcome
            log("dense, started from the best point: \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s")
        }
        return result
    }

    /// The original network bounded over the spec's domain, with every ReLU and Leaky ReLU fixed to its
    /// phase at `inputs` (its pre-activation bounded to the side it is on): formulated, it is the LP of the
    /// linear region that holds `inputs`, exact for the original network there.
    private func linearRegion(at inputs: [[Double]]) throws -> Graph {
        var graph = try Compilation.bounded(original, spec: spec)
        let values = try Evaluator(graph: original).evaluateAll(inputs: inputs)
        for node in graph.nodes {
            switch node.operation {
            case .relu, .leakyRelu:
                let operand = node.operands[0].index
                guard var bounds = graph.nodes[operand].bounds else { continue }
                for (k, value) in values[operand].enumerated() {
                    if value >= 0 { bounds.lower[k] = max(bounds.lower[k], 0) } else { bounds.upper[k] = min(bounds.upper[k], 0) }
                }
                graph.nodes[operand].bounds = bounds
            default:
                continue
            }
        }
        IntervalBounds.annotate(&graph)
        return graph
    }
}
