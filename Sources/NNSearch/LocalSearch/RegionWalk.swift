import NNIR
import NNMILP
import NNSolve
import NNSpec

/// The walk of Relax-and-Walk (Tong, Cai and Serra, arXiv 2401.03451) on the original network: from
/// a point, the LP over its linear region (every ReLU fixed to its phase there, `RegionLP`) gives
/// the region's best point. ReLUs whose pre-activation is 0 at that optimum sit on boundaries it
/// binds at; the region with their phases switched holds the same point, so its LP is at least as
/// good, and better where the objective keeps rising across the boundary. The walk steps into the
/// first neighbour whose LP improves on the objective (the evaluator's own phases at the optimum,
/// then every binding ReLU switched at once, then each alone in a seeded order) and repeats; it
/// ends in a region none of whose tried neighbours is better, after `moves` steps, or at the deadline.
///
/// Every point is judged by the reference evaluator on the original network, not by the LP: the LP
/// is exact on the region, and the evaluator's value is what counts. Without `crossesBoundaries` the
/// walk only polishes: it repeats the LP over the region of the evaluator's phases at each optimum.
/// Its `goal` is the spec's objective, or a verification case's counterexample (the LPs then minimise
/// the case's margin, and the walk ends at the first point that meets the case within the tolerance).
struct RegionWalk {
    /// What the walk improves.
    enum Goal {
        /// The spec's objective, among the points that meet its constraints (the LPs keep them).
        case objective
        /// A counterexample of the case: its violation (0 at a counterexample), lowest first, by the
        /// LPs of its margin (`VerificationCase.marginFormulation`).
        case counterexample(VerificationCase)
    }

    /// The network every point is evaluated on.
    let original: Graph
    /// The domain, constraints and objective.
    let spec: Spec
    /// The loaded HiGHS.
    let library: HiGHSLibrary
    /// HiGHS's settings for each LP (its deadline is the walk's).
    var settings = SolverSettings()
    /// Regions after the first, at most.
    var moves = 100
    /// Neighbours with one switched ReLU tried at each step, at most (besides the one with all switched).
    var singleSwitches = 12
    /// Whether the walk crosses boundaries; without, it polishes (see the type's comment).
    var crossesBoundaries = true
    /// The seed of the order in which single switches are tried.
    var seed: UInt64 = 1
    /// What the walk improves (the spec's objective unless set).
    var goal = Goal.objective

    /// Prepares walks on `original` under `spec` (which must have an objective unless `goal` is a counterexample).
    init(original: Graph, spec: Spec, library: HiGHSLibrary) {
        self.original = original
        self.spec = spec
        self.library = library
    }

    /// A point of the walk: its inputs and outputs, the LP's objective there and the goal's value on
    /// the original network: the objective (NaN when the point breaks a constraint of the spec
    /// there), or the case's violation.
    struct Step {
        var point: NetworkPoint
        var lpObjective: Double
        var objective: Double
    }

    /// The best point of the walk from `inputs` (nil when the LP over the start's region has no
    /// solution), its LPs solved by `lps` (made by `regionLPs()`, reused across walks); `reached`
    /// hears every LP optimum as it is found. Stops at `deadline`.
    func walk(from inputs: [[Double]], lps: RegionLP, deadline: Deadline, reached: (Step) -> Void = { _ in }) throws -> Step? {
        let value = try goalValue()
        let maximizes = if case .objective = goal { spec.objective?.sense == .maximize } else { false }
        let evaluator = Evaluator(graph: original)
        func isBetter(_ a: Double, than b: Double) -> Bool {
            guard !a.isNaN else { return false }
            guard !b.isNaN else { return true }
            let margin = Tolerance.feasibility * max(1, abs(b))
            return maximizes ? a > b + margin : a < b - margin
        }
        func optimum(over pattern: ActivationPattern) throws -> Step? {
            guard !deadline.hasPassed, let (point, lpObjective) = try lps.optimum(over: pattern, deadline: deadline) else { return nil }
            let step = Step(point: point, lpObjective: lpObjective, objective: value(point))
            reached(step)
            return step
        }
        // A walk for a counterexample is over at the first point that is one (within the tolerance
        // that `CounterexampleCheck` allows).
        func isFinal(_ step: Step) -> Bool {
            if case .counterexample = goal { return step.objective <= Tolerance.feasibility }
            return false
        }

        var pattern = ActivationPattern(graph: original, values: try evaluator.evaluateAll(inputs: inputs))
        guard var current = try optimum(over: pattern) else { return nil }
        var generator = SplitMix64(seed: seed)
        for _ in 0..<moves where !deadline.hasPassed && !isFinal(current) {
            let values = try evaluator.evaluateAll(inputs: current.point.inputs)
            // The evaluator's phases at the optimum first (polishing's step: the optimum's own region as
            // the evaluator sees it), then the switches of the binding ReLUs.
            let atOptimum = ActivationPattern(graph: original, values: values)
            var neighbours = atOptimum != pattern ? [atOptimum] : []
            if crossesBoundaries {
                var binding = bindingNeurons(values: values, switchable: lps.switchable.keys)
                if !binding.isEmpty { neighbours.append(pattern.flipping(binding)) }
                if binding.count > 1 {
                    for k in stride(from: binding.count - 1, to: 0, by: -1) { binding.swapAt(k, Int(generator.next() % UInt64(k + 1))) }
                    neighbours += binding.prefix(singleSwitches).map { pattern.flipping([$0]) }
                }
            }
            var moved = false
            for neighbour in neighbours {
                guard let next = try optimum(over: neighbour) else { continue }
                if isBetter(next.objective, than: current.objective) {
                    (pattern, current, moved) = (neighbour, next, true)
                    break
                }
            }
            if !moved { break }
        }
        return current
    }

    /// The goal's value at a point on the original network (see `Step.objective`).
    private func goalValue() throws -> (NetworkPoint) -> Double {
        switch goal {
        case .objective:
            guard let objective = spec.objective else { throw Diagnostic(.usage, location: "walk", "the region walk needs an objective") }
            return { [spec] point in
                let feasible = spec.constraintViolation(inputs: point.inputs, outputs: point.networkOutputs) <= Tolerance.feasibility
                return feasible ? objective.expression.value(inputs: point.inputs, outputs: point.networkOutputs) : .nan
            }
        case .counterexample(let verificationCase):
            return { verificationCase.violation(inputs: $0.inputs, outputs: $0.networkOutputs) }
        }
    }

    /// The LPs the walks solve, in one HiGHS instance: those of the spec's objective, or of the case's margin.
    func regionLPs() throws -> RegionLP {
        try RegionLP(original: original, spec: spec, library: library, settings: settings) { [spec, goal] bounded in
            switch goal {
            case .objective: try Formulator.formulate(bounded, spec: spec, name: "region")
            case .counterexample(let verificationCase): try verificationCase.marginFormulation(bounded, spec: spec)
            }
        }
    }

    /// The walk from `inputs` with LPs of its own (see `walk(from:lps:deadline:reached:)`).
    func walk(from inputs: [[Double]], deadline: Deadline, reached: (Step) -> Void = { _ in }) throws -> Step? {
        try walk(from: inputs, lps: regionLPs(), deadline: deadline, reached: reached)
    }

    /// The switchable ReLUs whose pre-activation is 0 at the point of `values` within the tolerance at
    /// that layer's scale, in the network's order.
    private func bindingNeurons(values: [[Double]], switchable: some Collection<ActivationPattern.Neuron>) -> [ActivationPattern.Neuron] {
        var scale: [Int: Double] = [:]
        return switchable.filter { neuron in
            let layer = values[neuron.node]
            let tolerance = Tolerance.feasibility * max(1, scale[neuron.node] ?? {
                let largest = layer.reduce(0) { max($0, abs($1)) }
                scale[neuron.node] = largest
                return largest
            }())
            return abs(layer[neuron.element]) <= tolerance
        }.sorted { ($0.node, $0.element) < ($1.node, $1.element) }
    }
}
