import NNIR
import NNSpec

/// A first incumbent without a MILP: the best of the box center and seeded
/// random points of the input domain, by the objective on the network.
///
/// HiGHS can spend many seconds without a feasible point on networks whose
/// every input is feasible (seen on random ReLU networks with 100 inputs and
/// 3 hidden layers of 100); a start from a sampled point gives every MILP an
/// incumbent from its first node.
public struct SampledStart {
    /// The network the points are evaluated on.
    public var graph: Graph
    /// The domain, constraints and objective.
    public var spec: Spec
    /// Random points after the center.
    public var samples = 100
    /// The seed of the random points.
    public var seed: UInt64 = 1

    /// Prepares the sampling.
    public init(graph: Graph, spec: Spec) {
        self.graph = graph
        self.spec = spec
    }

    /// The best point that lies in the domain and meets the constraints (within
    /// `Tolerance.feasibility`), with its objective, or nil when none does.
    /// Without an objective, the first such point. Sampling stops early, with the best point so
    /// far, once `deadline` has passed.
    public func best(deadline: Deadline = .none) throws -> (point: NetworkPoint, objective: Double)? {
        let box = try spec.resolvedInputBounds(symbols: SymbolTable(graph: graph))
        let evaluator = Evaluator(graph: graph)
        var generator = SplitMix64(seed: seed)
        var best: (point: NetworkPoint, objective: Double)?
        for sample in 0...samples {
            if sample % 10 == 0 && sample > 0 && deadline.hasPassed { break }
            let inputs = box.samplePoint(sample, using: &generator)
            guard spec.domainViolation(inputs: inputs) <= Tolerance.feasibility else { continue }
            let point = try NetworkPoint(inputs: inputs, evaluator: evaluator)
            guard spec.constraintViolation(inputs: inputs, outputs: point.networkOutputs) <= Tolerance.feasibility else { continue }
            guard let objective = spec.objective else { return (point, 0) }
            let value = objective.expression.value(inputs: inputs, outputs: point.networkOutputs)
            let improves = best.map { objective.sense == .maximize ? value > $0.objective : value < $0.objective } ?? true
            if improves { best = (point, value) }
        }
        return best
    }
}
