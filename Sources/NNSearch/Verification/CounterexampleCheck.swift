import NNIR
import NNSpec

/// The judge of every stage: a point counts as a counterexample only when,
/// clamped into the input box, it lies in the spec's domain and the ORIGINAL
/// network's outputs there (by the reference evaluator) meet the spec's
/// constraints, both within `Tolerance.feasibility`.
struct CounterexampleCheck {
    /// The property.
    let spec: Spec
    /// The input box of the spec's domain, one per network input.
    let box: [Bounds]
    /// The original network's evaluator.
    let evaluator: Evaluator

    /// The counterexample as it will be reported, if `inputs` is one.
    func confirm(_ inputs: [[Double]]) -> Counterexample? {
        let clamped = zip(inputs, box).map { x, b in x.indices.map { min(max(x[$0], b.lower[$0]), b.upper[$0]) } }
        guard spec.domainViolation(inputs: clamped) <= Tolerance.feasibility,
              let outputs = try? evaluator.evaluate(inputs: clamped),
              spec.constraintViolation(inputs: clamped, outputs: outputs) <= Tolerance.feasibility
        else { return nil }
        return (clamped, outputs)
    }
}
