import NNIR
import NNMILP
import NNSolve
import NNSpec

/// Makes a point of a user's model with networks embedded truly feasible.
///
/// **Repair**: the original networks are evaluated at the point's inputs;
/// every network's input columns are fixed to those values and its output
/// columns to the true outputs, and the rest of the user's model (an LP, or a
/// MILP when it has other integer columns) is solved for a feasible solution
/// and its objective. **Polish**: the user's model with each original network
/// restricted to its activation pattern at the point (its `LinearRegion`, exact
/// there) is solved, from the new point again while it improves; a polished
/// solution that does not hold is repaired. The surrogate search repairs its
/// MILPs' solutions, and `EmbeddedRelaxationStart` the LP relaxation's.
public struct EmbeddedRepair: Sendable {
    /// A truly feasible solution of the user's model: a value for every column of the plan's `base`,
    /// judged on the original networks (its check holds).
    public struct Solution: Sendable {
        /// The values of the plan's `base` columns.
        public var values: [Double]
        /// The solution judged on the original networks.
        public var check: EmbeddedSolutionCheck
    }

    /// The embedding resolved against the user's model.
    public var plan: EmbeddingPlan
    /// Each instance's original network: every point is judged on it.
    public var original: [Graph]
    /// Each instance's input bounds, flattened.
    public var inputBounds: [Bounds]
    /// Each instance's network file, for messages.
    public var paths: [String]
    /// Polishing rounds (LPs over the linear regions of the point) at most, from each start.
    public var polishRounds = 25
    /// Rounds (LPs over linear regions) at most of a walk toward a point that holds.
    public var walkRounds = 25
    /// How far past the phase-one LP's point a stalled walk takes its next regions, as a share of its last step.
    static let walkOvershoot = 0.25

    /// Repairs and polishes points of `plan`, judged on `original` (instance `i` in `inputBounds[i]`, from file `paths[i]`).
    public init(plan: EmbeddingPlan, original: [Graph], inputBounds: [Bounds], paths: [String]) {
        self.plan = plan
        self.original = original
        self.inputBounds = inputBounds
        self.paths = paths
    }

    /// The user's model with every network's input columns fixed to `values` and its output columns to
    /// the networks' true outputs there (`check`), solved for the rest of its columns; nil when that is
    /// infeasible (or not solved in time), or when its solution does not hold on the original networks.
    public func repair(_ values: [Double], check: EmbeddedSolutionCheck, library: HiGHSLibrary, settings: SolverSettings) throws -> Solution? {
        var model = plan.base
        for (instance, judged) in zip(plan.instances, check.instances) {
            for case .column(let c) in instance.inputs {
                let value = min(max(values[c], model.columnLower[c]), model.columnUpper[c])
                model.setBounds(c, lower: value, upper: value)
            }
            for (c, truth) in zip(instance.outputs, judged.networkOutputs) {
                guard truth >= model.columnLower[c] - Tolerance.allowed(scale: truth),
                      truth <= model.columnUpper[c] + Tolerance.allowed(scale: truth) else { return nil }
                let value = min(max(truth, model.columnLower[c]), model.columnUpper[c])
                model.setBounds(c, lower: value, upper: value)
            }
        }
        let ending = try HiGHSRun(model: model, settings: settings, library: library).run()
        guard let repaired = ending.values else { return nil }
        let judged = try EmbeddedSolutionCheck(plan: plan, networks: original, values: repaired)
        return judged.holds ? Solution(values: repaired, check: judged) : nil
    }

    /// The point `values` (of the plan's `base` columns, judged `check`) as it is when it holds,
    /// else repaired.
    public func holdingOrRepaired(_ values: [Double], check: EmbeddedSolutionCheck, library: HiGHSLibrary,
                                  settings: SolverSettings) throws -> Solution? {
        check.holds ? Solution(values: values, check: check) : try repair(values, check: check, library: library, settings: settings)
    }

    /// Whether `value` is a better objective than `other` in the user's model's sense.
    func isBetter(_ value: Double, than other: Double) -> Bool {
        plan.base.sense == .maximize ? value > other : value < other
    }

    /// Each instance's input domain.
    private var inputSpecs: [Spec] {
        zip(original, inputBounds).map { EmbeddedFormulation.inputSpec($0, bounds: $1) }
    }

    /// The user's model with each original network restricted to its linear region at `inputs`
    /// (instance `i` at `inputs[i]`, flattened), under `specs` (`inputSpecs`).
    private func regionModel(at inputs: [[Double]], specs: [Spec]) throws -> EmbeddedFormulation {
        let regions = try zip(original, specs).enumerated().map { i, pair in
            try LinearRegion.fixed(pair.0, spec: pair.1, at: pair.0.inputTensors(fromFlat: inputs[i]))
        }
        return try EmbeddedFormulation.join(plan, bounded: regions, specs: specs, paths: paths)
    }

    /// Up to `polishRounds` solves of the user's model with each original network restricted to its
    /// linear region at the point, each at the last one's solution, while the objective improves by more
    /// than the tolerance; every polished solution (repaired when it does not hold) goes to `found`
    /// with its LP objective and its source (`polish`). When `start` does not hold and its regions
    /// cannot meet the model, `walkToFeasibility` looks for a point that does (source `walk`), and
    /// polishing goes on from there.
    func polish(from start: Solution, origin: String, deadline: Deadline, library: HiGHSLibrary, settings: SolverSettings,
                log: (String) -> Void, found: (Solution, Double, String) -> Void) throws {
        var current = start
        var solve = settings
        solve.deadline = deadline
        let specs = inputSpecs
        for round in 1...max(1, polishRounds) {
            guard !deadline.hasPassed else { break }
            let formulation = try regionModel(at: current.check.instances.map(\.inputs), specs: specs)
            let outcome = try EmbeddedModelSolve(plan: plan, embedded: formulation.embedded, networks: original, library: library).run(settings: solve)
            guard let values = outcome.values, let check = outcome.check, let lpObjective = outcome.objective else {
                if !current.check.holds, outcome.status == .infeasible,
                   let feasible = try walkToFeasibility(from: current, deadline: deadline, library: library, settings: solve, log: log) {
                    found(feasible, feasible.check.objective, "walk")
                    current = feasible
                    continue
                }
                log("polish of the \(origin) point, round \(round): \(outcome.status.rawValue) (HiGHS: \(outcome.solverStatus)); stopping")
                break
            }
            guard let polished = try holdingOrRepaired(Array(values.prefix(plan.base.columnCount)), check: check, library: library, settings: solve) else {
                log("polish of the \(origin) point, round \(round): its solution does not hold and cannot be repaired; stopping")
                break
            }
            found(polished, lpObjective, "polish")
            log("polish of the \(origin) point, round \(round): \(current.check.objective) -> \(polished.check.objective)")
            // Go on from the new point while it improves by more than the solver's tolerance (or the start did not hold).
            let gain = abs(polished.check.objective - current.check.objective) > Tolerance.feasibility * max(1, abs(current.check.objective))
            let improved = !current.check.holds || (isBetter(polished.check.objective, than: current.check.objective) && gain)
            current = polished
            guard improved else { break }
        }
    }

    /// From a point whose true outputs break the model: region by region, the LP that keeps each
    /// original network in its linear region at the point and minimizes the total violation of the
    /// user's rows on the networks' output columns and of those columns' bounds (`MILPModel.elastic`;
    /// every other row stays as it is). Its solution picks the next regions; when the violation stops
    /// falling, they are taken a little past it (`walkOvershoot` of the last step again), across the
    /// ReLU boundaries the LP stopped at. Returns the first point that holds (repaired when it must
    /// be), or nil after `walkRounds` LPs, by `deadline`, or when an LP fails.
    func walkToFeasibility(from start: Solution, deadline: Deadline, library: HiGHSLibrary, settings: SolverSettings,
                           log: (String) -> Void) throws -> Solution? {
        let base = plan.base
        let holders = Array(Set(plan.instances.flatMap(\.outputs))).sorted()
        let holding = Set(holders)
        let elasticRows = Set((0..<base.rowCount).filter { r in base.row(r).contains { holding.contains($0.column) } })
        let specs = inputSpecs
        var regionInputs = start.check.instances.map(\.inputs)
        var violation = Double.infinity
        var solve = settings
        solve.deadline = deadline
        for round in 1...max(1, walkRounds) {
            guard !deadline.hasPassed else {
                log("walk toward feasibility: out of time after \(round - 1) rounds (violation \(violation))")
                return nil
            }
            let formulation = try regionModel(at: regionInputs, specs: specs)
            let phaseOne = formulation.embedded.model.elastic(rows: elasticRows, bounds: holders)
            let ending = try HiGHSRun(model: phaseOne, settings: solve, library: library).run()
            guard let values = ending.values, let least = ending.objective else {
                log("walk toward feasibility, round \(round): \(ending.status.rawValue) (HiGHS: \(ending.solverStatus)); stopping")
                return nil
            }
            let point = Array(values.prefix(base.columnCount))
            let check = try EmbeddedSolutionCheck(plan: plan, networks: original, values: point)
            if let feasible = try holdingOrRepaired(point, check: check, library: library, settings: solve) {
                log("walk toward feasibility, round \(round): a point that holds, objective \(feasible.check.objective)")
                return feasible
            }
            let reached = check.instances.map(\.inputs)
            let stalled = violation.isFinite && !(least < violation - Tolerance.feasibility * max(1, violation))
            log("walk toward feasibility, round \(round): violation \(least)\(stalled ? ", stalled: stepping past it" : "")")
            regionInputs = stalled ? zip(zip(reached, regionInputs), inputBounds).map { pair, bounds in
                zip(zip(pair.0, pair.1), zip(bounds.lower, bounds.upper)).map { xs, range in
                    min(max(xs.0 + Self.walkOvershoot * (xs.0 - xs.1), range.0), range.1)
                }
            } : reached
            violation = min(violation, least)
        }
        log("walk toward feasibility: no point that holds after \(walkRounds) rounds (violation \(violation))")
        return nil
    }
}
