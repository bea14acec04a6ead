import Foundation

/// The answers of the VNN-COMP result format.
public enum VerificationAnswer: String, Sendable {
    /// A counterexample exists (and was checked on the network).
    case sat
    /// No input in the domain violates the property.
    case unsat
    /// The time ran out first.
    case timeout
    /// Neither could be established (a solver failure, or a MILP point that
    /// did not hold up on the network).
    case unknown
}

/// The outcome of `PropertyVerification.run`.
public struct VerificationResult: Sendable {
    /// The answer.
    public var answer: VerificationAnswer
    /// For `sat`: the input and the network's outputs there, by the reference evaluator.
    public var counterexample: (inputs: [[Double]], outputs: [[Double]])?
    /// How the answer was reached, for people ("random point 17", "bounds", "MILP of disjunct 2").
    public var reason: String
    /// Wall-clock seconds.
    public var seconds: Double
}

/// Decides a VNN-LIB property (a spec whose feasible points are
/// counterexamples) for a network, as VNN-COMP asks: cheap steps first, then
/// one MILP per disjunct with the embedded HiGHS.
///
/// 1. The box centre, random points and random corners are evaluated, and a
///    local search starts from the points closest to violating the property
///    (`CounterexampleSearch`); a point that satisfies the spec ends the run
///    with `sat`.
/// 2. The pass pipeline bounds every neuron; a disjunct with a constraint that
///    the output bounds rule out needs no MILP. If every disjunct is ruled
///    out, the answer is `unsat`.
/// 3. For a network with few inputs, each remaining disjunct first gets
///    branch and bound over the input box (`InputSplitting`) for a quarter
///    of the time left.
/// 4. Each remaining disjunct's MILP is solved in turn within the time left.
///    It maximises the margin t by which the disjunct's output constraints
///    hold (t below each constraint's slack), with HiGHS's objective bound
///    just below t = 0: nodes where t cannot reach it are pruned, and the
///    callback stops HiGHS at the first solution that checks out on the
///    network. Such a solution is re-checked on the network
///    (`check`) before it counts; a MILP with no solution of t >= 0 rules the
///    disjunct out.
public struct PropertyVerification {
    /// The network as given.
    public var graph: Graph
    /// The property: input domain, constraints and disjuncts that describe a counterexample.
    public var spec: Spec
    /// The passes run before the MILPs.
    public var passes: Pipeline
    /// Random points tried before anything else (besides the centre).
    public var samples = 500
    /// The seed of the random points: the same run gives the same answer.
    public var seed: UInt64 = 1
    /// Whether a local search follows the random points.
    public var searchesLocally = true
    /// Whether networks with few inputs get branch and bound over the input box before the MILP.
    public var splitsInputs = true
    /// Pruned surrogates whose margin MILPs are searched, before the exact MILP, for a point that
    /// violates the property on the original network (they can find counterexamples, never prove unsat).
    public var surrogates: [SurrogatePruning] = []
    /// The share of the time left after the bounds that the surrogates get together.
    public var surrogateShare = 0.5
    /// How far a MILP solution's outputs may miss a constraint on the network
    /// (absolute): the MILP solver's own feasibility tolerance is 1e-6.
    public static let tolerance = 1e-6

    /// Prepares the verification of `spec` on `graph`.
    public init(graph: Graph, spec: Spec, passes: Pipeline) {
        self.graph = graph
        self.spec = spec
        self.passes = passes
    }

    /// Runs the steps above within `timeout` seconds. `library` is the HiGHS
    /// to solve MILPs with (and for `bounds-lp`); `log` hears one line per step.
    public func run(timeout: Double, library: HiGHSLibrary, settings: SolverSettings = SolverSettings(),
                    log: (String) -> Void = { _ in }) throws -> VerificationResult {
        if let pass = passes.functionChangingPasses.first {
            throw Diagnostic(.usage, location: "passes", "'\(pass)' changes the network; the passes here must keep its function")
        }
        let start = MonotonicClock.now()
        let deadline = start + timeout
        func result(_ answer: VerificationAnswer, _ reason: String, _ counterexample: (inputs: [[Double]], outputs: [[Double]])? = nil) -> VerificationResult {
            VerificationResult(answer: answer, counterexample: counterexample, reason: reason, seconds: MonotonicClock.now() - start)
        }
        let box = try spec.resolvedInputBounds(symbols: SymbolTable(graph: graph))
        let evaluator = Evaluator(graph: graph)

        let search = CounterexampleSearch(spec: spec, box: box, evaluator: evaluator, seed: seed)
        if let (point, outputs, which) = try search.run(samples: samples, localSearch: searchesLocally, deadline: deadline) {
            log("counterexample at \(which)")
            return result(.sat, which, (point, outputs))
        }
        log("no counterexample among \(samples + 1) sampled points and a local search from the best of them")
        guard MonotonicClock.now() < deadline else { return result(.timeout, "time ran out while sampling") }

        var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library))
        let bounded = try Compilation.optimized(graph, spec: spec, passes: PassManager(pipeline: passes), context: &context)
        let cases: [DisjunctChoice] = spec.disjuncts.isEmpty ? [.any] : spec.disjuncts.indices.map { .only($0) }
        let open = cases.filter { !ruledOutByBounds($0, bounded) }
        log("bounds (\(passes)) rule out \(cases.count - open.count) of \(cases.count) cases")
        if open.isEmpty { return result(.unsat, "bounds") }

        if let found = try searchSurrogates(open, box: box, evaluator: evaluator, deadline: deadline, library: library, settings: settings, log: log) {
            return result(.sat, found.source, (found.inputs, found.outputs))
        }

        var unknown: String?
        var provers = open.count < cases.count ? ["bounds"] : []
        func proved(by prover: String) { if !provers.contains(prover) { provers.append(prover) } }
        for choice in open {
            var constraints = spec.constraints
            if case .only(let k) = choice { constraints += spec.disjuncts[k] }
            if splitsInputs, let splitting = InputSplitting(graph: graph, constraints: constraints, box: box[0]) {
                // A quarter of the time left goes to splitting the input box; the MILP gets the rest if it
                // must. On ACAS Xu, splitting decides most cases in a second, and the MILP the rest.
                let budget = MonotonicClock.now() + (deadline - MonotonicClock.now()) / 4
                var found: (inputs: [[Double]], outputs: [[Double]])?
                let outcome = try splitting.run(deadline: budget) { centre in
                    found = check([centre], box: box, evaluator: evaluator)
                    return found != nil
                }
                switch outcome {
                case .counterexample:
                    log("input splitting of \(describe(choice)): counterexample")
                    if let found { return result(.sat, "input splitting of \(describe(choice))", found) }
                case .refuted(let explored):
                    log("input splitting of \(describe(choice)): no counterexample in \(explored) boxes")
                    proved(by: "input splitting")
                    continue
                case .undecided(let left, let explored):
                    log("input splitting of \(describe(choice)): \(left) boxes left after \(explored); trying the MILP")
                }
            }
            let remaining = deadline - MonotonicClock.now()
            guard remaining > 0 else { return result(.timeout, "time ran out before the MILP of \(describe(choice))") }
            let formulation = try marginFormulation(bounded, choice)
            var solve = settings
            solve.timeLimit = min(remaining, settings.timeLimit ?? .infinity)
            // HiGHS's default gaps keep "optimal with t < 0" a proof; a loose user gap would not.
            solve.relativeGap = nil
            // Nodes where t cannot reach -tolerance are pruned; whatever is found is re-checked anyway.
            solve.objectiveBound = Self.tolerance
            var found: (inputs: [[Double]], outputs: [[Double]])?
            let outcome = try EmbeddedSolve(original: graph, formulated: bounded, spec: spec, formulation: formulation, library: library).run(settings: solve, onSolution: { point, _, _ in
                if let checked = check(point.inputs, box: box, evaluator: evaluator) { found = checked; return .interrupt }
                return .proceed
            })
            log("MILP of \(describe(choice)): \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s")
            if found == nil, let point = outcome.point { found = check(point.inputs, box: box, evaluator: evaluator) }
            if let found { return result(.sat, "MILP of \(describe(choice))", found) }
            switch (outcome.solverStatus, outcome.point) {
            case (.infeasible, _), (.objectiveBound, nil):
                proved(by: "MILP")  // no point reaches t = 0
            case (.optimal, _?) where (outcome.objective ?? 0) > Self.tolerance:
                proved(by: "MILP")  // the largest margin is negative: no counterexample
            case (.timeLimit, _):
                return result(.timeout, "time ran out in the MILP of \(describe(choice))")
            case (_, _?):
                unknown = "the MILP of \(describe(choice)) found a point that is not a counterexample on the network (numerics)"
            default:
                unknown = "HiGHS stopped on the MILP of \(describe(choice)) with status \(outcome.solverStatus)"
            }
        }
        if let unknown { return result(.unknown, unknown) }
        return result(.unsat, provers.joined(separator: ", "))
    }

    /// The surrogate stage: for each surrogate and each open case, the margin MILP of the pruned network
    /// (bounded by the same passes) with its share of `surrogateShare` of the time left; every solution
    /// HiGHS finds is checked on the original network, and the first that violates the property there
    /// ends the stage. The surrogate's MILP has no objective bound: its own optimum says nothing of the
    /// original network, so every improving point is worth a check.
    private func searchSurrogates(_ open: [DisjunctChoice], box: [Bounds], evaluator: Evaluator, deadline: Double,
                                  library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void)
        throws -> (inputs: [[Double]], outputs: [[Double]], source: String)? {
        guard !surrogates.isEmpty else { return nil }
        let stageEnd = MonotonicClock.now() + (deadline - MonotonicClock.now()) * surrogateShare
        var runs = surrogates.count * open.count
        for surrogate in surrogates {
            guard MonotonicClock.now() < stageEnd else { return nil }
            var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library))
            let pruned = try Compilation.optimized(graph, spec: spec, passes: PassManager(pipeline: surrogate.pipeline(then: passes)), context: &context)
            for choice in open {
                let runStart = MonotonicClock.now()
                let budget = (stageEnd - runStart) / Double(runs)
                runs -= 1
                guard budget > 0 else { return nil }
                // Three quarters of the run's share for the MILP, the rest (at least) for polishing its closest point.
                var solve = settings
                solve.timeLimit = budget * 0.75
                solve.relativeGap = nil
                var found: (inputs: [[Double]], outputs: [[Double]])?
                // The surrogate's point closest to a counterexample on the original network, for polishing.
                var closest: (inputs: [[Double]], violation: Double)?
                let outcome = try EmbeddedSolve(original: graph, formulated: pruned, spec: spec, formulation: marginFormulation(pruned, choice), library: library)
                    .run(settings: solve, onSolution: { point, _, _ in
                        if found == nil { found = check(point.inputs, box: box, evaluator: evaluator) }
                        let violation = caseViolation(choice, point.inputs, point.networkOutputs)
                        if violation < closest?.violation ?? .infinity { closest = (point.inputs, violation) }
                        return found == nil ? .proceed : .interrupt
                    })
                if found == nil, let point = outcome.point { found = check(point.inputs, box: box, evaluator: evaluator) }
                var source = "surrogate \(surrogate) MILP of \(describe(choice))"
                log("\(source): \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s; \(found == nil ? "no counterexample on the original network" : "counterexample on the original network")")
                if found == nil, let closest {
                    found = try polish(closest.inputs, choice, box: box, evaluator: evaluator, deadline: runStart + budget, library: library, settings: settings)
                    if found != nil { source += ", polished" }
                    log("polishing its closest point (violation \(closest.violation)) in the original network's linear region: \(found == nil ? "no counterexample" : "counterexample")")
                }
                if let found { return (found.inputs, found.outputs, source) }
            }
        }
        return nil
    }

    /// How far the network's outputs at a point are from meeting one case (0 when they do).
    private func caseViolation(_ choice: DisjunctChoice, _ inputs: [[Double]], _ outputs: [[Double]]) -> Double {
        let always = spec.constraints.map { $0.violation(inputs: inputs, outputs: outputs) }.max() ?? 0
        guard case .only(let k) = choice else { return always }
        return max(always, spec.disjunctViolation(k, inputs: inputs, outputs: outputs))
    }

    /// Up to `polishRounds` LPs of the margin over the ORIGINAL network's linear region at the point,
    /// each from the last one's optimum while the margin grows: a counterexample if one reaches it.
    private func polish(_ inputs: [[Double]], _ choice: DisjunctChoice, box: [Bounds], evaluator: Evaluator, deadline: Double,
                        library: HiGHSLibrary, settings: SolverSettings) throws -> (inputs: [[Double]], outputs: [[Double]])? {
        var current = inputs
        var violation = Double.infinity
        for _ in 0..<Self.polishRounds {
            let remaining = deadline - MonotonicClock.now()
            guard remaining > 0 else { return nil }
            let region = try LinearRegion.fixed(graph, spec: spec, at: current)
            var solve = settings
            solve.timeLimit = remaining
            solve.relativeGap = nil
            let outcome = try EmbeddedSolve(original: graph, formulated: region, spec: spec, formulation: marginFormulation(region, choice), library: library)
                .run(settings: solve)
            guard let point = outcome.point else { return nil }
            if let found = check(point.inputs, box: box, evaluator: evaluator) { return found }
            let next = caseViolation(choice, point.inputs, point.networkOutputs)
            guard next < violation - Self.tolerance else { return nil }
            (current, violation) = (point.inputs, next)
        }
        return nil
    }

    /// Linear-region LPs at most per surrogate point polished.
    static let polishRounds = 10

    /// The MILP of one case: the network and the hard constraints (equalities
    /// and constraints on inputs only) as rows, and a column t with
    /// t <= slack of every other constraint of the case; minimise -t.
    private func marginFormulation(_ graph: Graph, _ choice: DisjunctChoice) throws -> Formulation {
        var constraints = spec.constraints
        if case .only(let k) = choice { constraints += spec.disjuncts[k] }
        let isHard = { (c: LinearConstraint) in c.isInputOnly || c.relation == .equal }
        var base = spec
        base.objective = nil
        base.disjuncts = []
        base.constraints = constraints.filter(isHard)
        var formulation = try Formulator.formulate(graph, spec: base, name: "verify")
        let names = formulation.names
        func column(_ element: TensorElement) -> Int {
            (element.side == .input ? names.inputs : names.outputs)[element.tensor].columns[element.element]
        }
        let soft = constraints.filter { !isHard($0) }
        // Without soft constraints any feasible point is a counterexample: t = 0 at most.
        let t = formulation.model.addColumn("margin_t", lower: -.infinity, upper: soft.isEmpty ? 0 : .infinity)
        formulation.model.setObjective(t, -1)
        formulation.model.sense = .minimize
        for (i, constraint) in soft.enumerated() {
            // slack = e for e >= 0 and -e for e <= 0; the row is t - slack <= 0.
            let sign = constraint.relation == .greaterEqual ? 1.0 : -1.0
            let entries = [(t, 1.0)] + constraint.expression.terms.map { (column($0.element), -sign * $0.coefficient) }
            _ = formulation.model.addRow("margin_\(i)", entries, .lessEqual, sign * constraint.expression.constant)
        }
        return formulation
    }

    private func describe(_ choice: DisjunctChoice) -> String {
        switch choice {
        case .any: "the property"
        case .only(let k): "disjunct \(k)"
        }
    }

    /// The input clamped into the box, if the network's outputs there satisfy
    /// the spec within `tolerance`: the counterexample as it will be reported.
    func check(_ inputs: [[Double]], box: [Bounds], evaluator: Evaluator) -> (inputs: [[Double]], outputs: [[Double]])? {
        let clamped = zip(inputs, box).map { x, b in x.indices.map { min(max(x[$0], b.lower[$0]), b.upper[$0]) } }
        guard spec.domainViolation(inputs: clamped) <= Self.tolerance,
              let outputs = try? evaluator.evaluate(inputs: clamped),
              spec.constraintViolation(inputs: clamped, outputs: outputs) <= Self.tolerance
        else { return nil }
        return (clamped, outputs)
    }

    /// Whether the bounds on the inputs and outputs of `graph` show that some
    /// constraint of the case can never hold (interval arithmetic on the
    /// constraint, which must miss by more than its own rounding error).
    private func ruledOutByBounds(_ choice: DisjunctChoice, _ graph: Graph) -> Bool {
        let inputs = graph.inputs.map { graph[$0].bounds! }
        let outputs = graph.outputs.map { graph[$0.value].bounds! }
        var constraints = spec.constraints
        if case .only(let k) = choice { constraints += spec.disjuncts[k] }
        return constraints.contains { constraint in
            var low = constraint.expression.constant, high = constraint.expression.constant
            var magnitude = abs(constraint.expression.constant)
            for term in constraint.expression.terms {
                let b = term.element.side == .input ? inputs[term.element.tensor] : outputs[term.element.tensor]
                let (l, u) = (b.lower[term.element.element], b.upper[term.element.element])
                low += term.coefficient >= 0 ? term.coefficient * l : term.coefficient * u
                high += term.coefficient >= 0 ? term.coefficient * u : term.coefficient * l
                magnitude += abs(term.coefficient) * max(abs(l), abs(u))
            }
            let slack = 4 * Double(constraint.expression.terms.count + 1) * Double.ulpOfOne * magnitude
            switch constraint.relation {
            case .lessEqual: return low > slack
            case .greaterEqual: return high < -slack
            case .equal: return low > slack || high < -slack
            }
        }
    }
}
