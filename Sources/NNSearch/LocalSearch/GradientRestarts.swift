import Foundation
import NNIR
import NNSpec

/// A member of the surrogate search that runs on a core of its own beside the MILPs: projected
/// gradient ascent on the original network from seeded random points of the domain, restart after
/// restart, until the search ends. Every end point better than the judge's best is judged (source
/// `gradient`), so the next MILP starts from it.
final class GradientRestarts: Sendable {
    private let group = DispatchGroup()
    private let stop = Interruption()

    /// Starts the restarts on another thread for `graph` under `spec`, judged by `judge`, until
    /// `deadline` (or `finish()`).
    init(graph: Graph, spec: Spec, seed: UInt64, judge: OriginalNetworkJudge<NetworkPoint>, deadline: Deadline) throws {
        guard let objective = spec.objective else { throw Diagnostic(.usage, location: "surrogate", "the gradient member needs an objective") }
        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        let ascent = ProjectedGradient(graph: graph, score: PointScore(spec: spec, goal: .optimum(objective)), projection: projection)
        let until = Deadline(time: deadline.time, interruption: stop)
        DispatchQueue.global().async(group: group) { [stop] in
            var generator = SplitMix64(seed: seed)
            let evaluator = Evaluator(graph: graph)
            // Restart 0 would be the domain's center, which the sampled start has judged already.
            var restart = 1
            while !until.hasPassed && !deadline.hasPassed && !stop.isRequested {
                let start = projection.boxes.samplePoint(restart, using: &generator)
                restart += 1
                guard let end = try? ascent.descend(from: start, deadline: until), end.value.violation <= Tolerance.feasibility,
                      spec.domainViolation(inputs: end.inputs) <= Tolerance.feasibility else { continue }
                let value = objective.sense == .maximize ? -end.value.loss : end.value.loss
                guard judge.best.map({ judge.isBetter(value, than: $0.objective) }) ?? true,
                      let point = try? NetworkPoint(inputs: end.inputs, evaluator: evaluator) else { continue }
                judge.judge(point, value, "gradient")
            }
        }
    }

    /// Stops the restarts and waits until the last one has ended (at once when called again).
    func finish() {
        stop.request(signal: 0)
        group.wait()
    }
}
