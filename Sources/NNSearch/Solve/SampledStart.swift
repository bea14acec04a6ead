import NNIR
import NNSpec

/// A first incumbent without a MILP: the best of the domain's center and seeded random points, by
/// the objective on the network (evaluated in batches, `BatchEvaluator`), then improved by projected gradient ascent on the original
/// network from the best few of them.
///
/// HiGHS can spend many seconds without a feasible point on networks whose
/// every input is feasible (seen on random ReLU networks with 100 inputs and
/// 3 hidden layers of 100); a start from a sampled point gives every MILP an
/// incumbent from its first node. Points are drawn in the input box and projected onto the
/// domain, so that an L1 ball (whose box holds mostly points outside it) gets points too.
public struct SampledStart {
    /// The network the points are evaluated on.
    public var graph: Graph
    /// The domain, constraints and objective.
    public var spec: Spec
    /// Random points after the center.
    public var samples = 100
    /// The seed of the random points.
    public var seed: UInt64 = 1
    /// How many of the best sampled points the gradient ascent starts from.
    public var gradientStarts = 3
    /// Gradient steps from each of them.
    public var gradientSteps = 100

    /// Prepares the sampling.
    public init(graph: Graph, spec: Spec) {
        self.graph = graph
        self.spec = spec
    }

    /// The best point found.
    public struct Found: Sendable {
        /// The point and the network's outputs there.
        public var point: NetworkPoint
        /// The objective there (0 without an objective).
        public var objective: Double
        /// Where it came from: `sample` or `gradient`.
        public var source: String
    }

    /// The best point that lies in the domain and meets the constraints (within
    /// `Tolerance.feasibility`), or nil when none does. Without an objective, the first such
    /// point. Sampling and the ascent stop early, with the best point so far, once `deadline` has passed.
    public func best(deadline: Deadline = .none) throws -> Found? {
        let symbols = SymbolTable(graph: graph)
        let projection = try DomainProjection(spec: spec, symbols: symbols)
        let score = PointScore(spec: spec, goal: spec.objective.map(PointScore.Goal.optimum) ?? .counterexample)
        let evaluator = Evaluator(graph: graph)
        var generator = SplitMix64(seed: seed)
        // Ten points between looks at the clock, evaluated as one batch; they are only ranked with the
        // batch's values: `found` judges the point it returns with the reference evaluator.
        let batch = BatchEvaluator(graph: graph)
        var ranked: [(inputs: [[Double]], value: PointScore.Value)] = []
        var next = 0
        while next <= samples {
            if next > 0 && deadline.hasPassed { break }
            let points = (next...min(samples, next + 9)).map { projection.project(projection.boxes.samplePoint($0, using: &generator)) }
            for (inputs, outputs) in zip(points, try batch.evaluate(points: points)) {
                ranked.append((inputs, score.value(inputs: inputs, outputs: outputs)))
            }
            next += points.count
        }
        ranked.sort { $0.value < $1.value }
        var best = try found(ranked.first?.inputs, evaluator: evaluator, source: "sample")
        if spec.objective == nil, best != nil { return best }

        let ascent = ProjectedGradient(graph: graph, score: score, projection: projection, steps: gradientSteps)
        var bestValue = ranked.first?.value
        for start in ranked.prefix(gradientStarts) where !deadline.hasPassed {
            let end = try ascent.descend(from: start.inputs, deadline: deadline)
            guard bestValue.map({ end.value < $0 }) ?? true else { continue }
            bestValue = end.value
            if let improved = try found(end.inputs, evaluator: evaluator, source: "gradient") { best = improved }
        }
        return best
    }

    /// The end of a projected-gradient ascent of the objective from `start` on the graph (judged by
    /// the reference evaluator), when it is a feasible point; nil otherwise.
    public func ascended(from start: [[Double]], deadline: Deadline = .none) throws -> Found? {
        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        let score = PointScore(spec: spec, goal: spec.objective.map(PointScore.Goal.optimum) ?? .counterexample)
        let end = try ProjectedGradient(graph: graph, score: score, projection: projection, steps: gradientSteps).descend(from: start, deadline: deadline)
        return try found(end.inputs, evaluator: Evaluator(graph: graph), source: "gradient")
    }

    /// `inputs` as a found point when they lie in the domain and meet the constraints.
    private func found(_ inputs: [[Double]]?, evaluator: Evaluator, source: String) throws -> Found? {
        guard let inputs, spec.domainViolation(inputs: inputs) <= Tolerance.feasibility else { return nil }
        let point = try NetworkPoint(inputs: inputs, evaluator: evaluator)
        guard spec.constraintViolation(inputs: inputs, outputs: point.networkOutputs) <= Tolerance.feasibility else { return nil }
        let objective = spec.objective.map { $0.expression.value(inputs: inputs, outputs: point.networkOutputs) } ?? 0
        return Found(point: point, objective: objective, source: source)
    }
}
