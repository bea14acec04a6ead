import NNIR
import NNSpec

/// The gradient member of the surrogate search: projected gradient ascent on the original network
/// from seeded random points of the domain, one restart per call. Every end point better than the
/// judge's best is judged (source `gradient`), so the next MILP starts from it.
struct GradientRestarts {
    private let spec: Spec
    private let objective: Objective
    private let projection: DomainProjection
    private let ascent: ProjectedGradient
    private let evaluator: Evaluator
    private var generator: SplitMix64
    /// Restart 0 would be the domain's center, which the sampled start has judged already.
    private var restart = 1

    /// Restarts on `graph` under `spec` (which must have an objective), from points drawn with `seed`.
    init(graph: Graph, spec: Spec, seed: UInt64) throws {
        guard let objective = spec.objective else { throw Diagnostic(.usage, location: "surrogate", "the gradient member needs an objective") }
        self.spec = spec
        self.objective = objective
        projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        ascent = ProjectedGradient(graph: graph, score: PointScore(spec: spec, goal: .optimum(objective)), projection: projection)
        evaluator = Evaluator(graph: graph)
        generator = SplitMix64(seed: seed)
    }

    /// One ascent from the next random point, stopping at `deadline`; its end goes to `judge` when
    /// better than its best, and is returned then (nil otherwise).
    @discardableResult
    mutating func next(judge: OriginalNetworkJudge<NetworkPoint>, deadline: Deadline) -> [[Double]]? {
        let start = projection.boxes.samplePoint(restart, using: &generator)
        restart += 1
        guard let end = try? ascent.descend(from: start, deadline: deadline), end.value.violation <= Tolerance.feasibility,
              spec.domainViolation(inputs: end.inputs) <= Tolerance.feasibility else { return nil }
        let value = objective.sense == .maximize ? -end.value.loss : end.value.loss
        guard judge.improves(value), let point = try? NetworkPoint(inputs: end.inputs, evaluator: evaluator) else { return nil }
        judge.judge(point, value, SearchMember.gradient.rawValue)
        return end.inputs
    }
}
