import NNIR
import NNSpec

/// The cheap first step of verification: concrete points, evaluated on the
/// network, that might already satisfy a spec (so be counterexamples).
///
/// The box center and random points (one in five a random corner), projected onto the domain (an
/// L1 ball's box holds mostly points outside the ball), come first; then, from the few points whose
/// constraint violation was smallest, projected gradient descent on that violation through the
/// network, and a pattern search (coordinate steps that halve when none helps). Everything is
/// seeded, so runs repeat.
struct CounterexampleSearch {
    let spec: Spec
    let projection: DomainProjection
    let evaluator: Evaluator
    let seed: UInt64

    private var box: [Bounds] { projection.boxes }

    /// Local searches started from the best sampled points.
    static let starts = 5
    /// Network evaluations each local search may spend.
    static let evaluationsPerStart = 2_000

    /// What the search found.
    struct Outcome {
        /// A point that satisfies the spec exactly, its outputs, how it was found and by which stage
        /// (`sampling` or `localSearch`), if the search found one.
        var counterexample: (inputs: [[Double]], outputs: [[Double]], which: String, stage: VerificationStage)?
        /// Otherwise the points that came closest (the sampled ones, and where the gradient descents
        /// from them ended), closest first, for the searches after this one.
        var closest: [[[Double]]] = []
    }

    /// Samples, then with `localSearch` descends from the closest samples (see the type's comment).
    func run(samples: Int, localSearch: Bool, deadline: Deadline) throws -> Outcome {
        var generator = SplitMix64(seed: seed)
        var best: [(violation: Double, point: [[Double]])] = []
        for sample in 0...samples {
            if sample % 50 == 0 && deadline.hasPassed { return Outcome() }
            let point = projection.project(box.map { b in
                b.lower.indices.map { k -> Double in
                    let (l, u) = (b.lower[k], b.upper[k])
                    if sample == 0 { return l + (u - l) / 2 }
                    if sample % 5 == 0 { return Bool.random(using: &generator) ? l : u }
                    return l + (u - l) * generator.nextUnit()
                }
            })
            guard spec.domainViolation(inputs: point) <= 0 else { continue }
            let outputs = try evaluator.evaluate(inputs: point)
            let violation = spec.constraintViolation(inputs: point, outputs: outputs)
            if violation <= 0 { return Outcome(counterexample: (point, outputs, sample == 0 ? "the box center" : "random point \(sample)", .sampling)) }
            best.append((violation, point))
            best.sort { $0.violation < $1.violation }
            if best.count > Self.starts { best.removeLast() }
        }
        var closest = best
        func outcome() -> Outcome { Outcome(closest: closest.sorted { $0.violation < $1.violation }.map(\.point)) }
        guard localSearch else { return outcome() }
        let gradient = ProjectedGradient(graph: evaluator.graph, score: PointScore(spec: spec, goal: .counterexample), projection: projection,
                                         steps: Self.gradientSteps)
        for (rank, start) in best.enumerated() where !deadline.hasPassed {
            let end = try gradient.descend(from: start.point, deadline: deadline)
            guard spec.domainViolation(inputs: end.inputs) <= 0 else { continue }
            if end.value.violation <= 0 {
                return Outcome(counterexample: (end.inputs, end.outputs, "projected gradient descent from sampled point \(rank + 1)", .localSearch))
            }
            closest.append((end.value.violation, end.inputs))
        }
        for (rank, start) in best.enumerated() {
            if let found = try descend(from: start.point, violation: start.violation, deadline: deadline) {
                return Outcome(counterexample: (found.0, found.1, "a local search from sampled point \(rank + 1)", .localSearch))
            }
        }
        return outcome()
    }

    /// Gradient steps from each start.
    static let gradientSteps = 200

    /// Pattern search on the constraint violation from `point`, inside the box.
    private func descend(from point: [[Double]], violation: Double, deadline: Deadline) throws -> ([[Double]], [[Double]])? {
        var current = point, currentViolation = violation
        var step = box.map { b in zip(b.lower, b.upper).map { ($1 - $0) / 4 } }
        var evaluations = 0
        while evaluations < Self.evaluationsPerStart {
            var improved = false
            for t in current.indices {
                for k in current[t].indices where step[t][k] > 0 {
                    for direction in [1.0, -1.0] {
                        var candidate = current
                        candidate[t][k] = min(max(current[t][k] + direction * step[t][k], box[t].lower[k]), box[t].upper[k])
                        guard candidate[t][k] != current[t][k], spec.domainViolation(inputs: candidate) <= 0 else { continue }
                        guard evaluations < Self.evaluationsPerStart else { return nil }
                        if evaluations % 32 == 0 && deadline.hasPassed { return nil }
                        let outputs = try evaluator.evaluate(inputs: candidate)
                        evaluations += 1
                        let value = spec.constraintViolation(inputs: candidate, outputs: outputs)
                        if value <= 0 { return (candidate, outputs) }
                        if value < currentViolation {
                            (current, currentViolation, improved) = (candidate, value, true)
                            break
                        }
                    }
                }
            }
            if !improved {
                var anyLeft = false
                for t in step.indices {
                    for k in step[t].indices {
                        step[t][k] /= 2
                        if step[t][k] > 1e-9 * max(1, box[t].upper[k] - box[t].lower[k]) { anyLeft = true } else { step[t][k] = 0 }
                    }
                }
                if !anyLeft { return nil }
            }
        }
        return nil
    }
}
