import NNIR
import NNMILP
import NNSolve
import NNSpec

/// A second, independent check of a margin MILP's refutation before it counts
/// towards `unsat`.
///
/// HiGHS judges feasibility within its tolerances; on networks whose values
/// are large or whose bounds are tight, it can call a feasible MILP infeasible.
/// Two things must hold up: concrete points of the domain, evaluated on the
/// original network, must not reach a margin HiGHS says is out of reach (a
/// point's margin is a lower bound on the MILP's optimum); and with the inputs
/// fixed at such a point, HiGHS must find the same MILP feasible, with the
/// network's margin there. A refutation that fails either is `unknown`, never
/// `unsat`.
struct RefutationCheck {
    /// The case whose MILP was solved.
    let verificationCase: VerificationCase
    /// The property (for the input domain).
    let spec: Spec
    /// The original network's judge (box and evaluator).
    let check: CounterexampleCheck

    /// Seeded random points tried after the box center.
    static let samples = 32
    /// The time the solve at the center gets even when the MILP used up the limit (with the inputs
    /// fixed, presolve leaves little to solve; one that still runs out makes the answer `unknown`).
    static let minimumSeconds = 1.0

    /// The case's margin at a point: the smallest slack of its constraints that are not hard (the
    /// MILP's t), or nil when the point misses the domain or a hard constraint (equalities and
    /// constraints on inputs only, which the MILP keeps as rows).
    func margin(inputs: [[Double]], outputs: [[Double]]) -> Double? {
        guard spec.domainViolation(inputs: inputs) <= Tolerance.feasibility else { return nil }
        var margin = Double.infinity
        for constraint in verificationCase.constraints {
            if constraint.isInputOnly || constraint.relation == .equal {
                guard constraint.violation(inputs: inputs, outputs: outputs) <= Tolerance.feasibility else { return nil }
                continue
            }
            let value = constraint.expression.value(inputs: inputs, outputs: outputs)
            margin = min(margin, constraint.relation == .greaterEqual ? value : -value)
        }
        return margin.isInfinite ? 0 : margin  // without soft constraints the MILP's t is at most 0
    }

    /// The largest margin among the box center and `samples` seeded random points of the box, or
    /// nil when none meets the hard constraints.
    func bestSampledMargin(seed: UInt64) -> Double? {
        var generator = SplitMix64(seed: seed)
        var best: Double?
        for sample in 0...Self.samples {
            let inputs = check.box.samplePoint(sample, using: &generator)
            guard let outputs = try? check.evaluator.evaluate(inputs: inputs),
                  let value = margin(inputs: inputs, outputs: outputs), !value.isNaN else { continue }
            best = max(best ?? value, value)
        }
        return best
    }

    /// Why the claim "the case's largest margin is at most `claimedMaximum`" does not hold up, or
    /// nil when no sampled point contradicts it.
    func contradiction(claimedMaximum: Double, seed: UInt64) -> String? {
        guard let sampled = bestSampledMargin(seed: seed),
              sampled > claimedMaximum + Tolerance.feasibility * max(1, abs(sampled)) else { return nil }
        return "HiGHS found the largest margin of the MILP of \(verificationCase) at most \(claimedMaximum), but a point of the domain reaches \(sampled) on the network (numerics)"
    }

    /// Why HiGHS's solve of `formulation` (the case's margin MILP over `bounded`) with the inputs
    /// fixed at the box center is not what the network computes there, or nil when it agrees (or the
    /// center misses a hard constraint, so there is nothing to compare).
    func disagreementAtCenter(_ formulation: Formulation, bounded: Graph, encloses: Bool, library: HiGHSLibrary, settings: SolverSettings) throws -> String? {
        let center = check.box.map { b in b.lower.indices.map { b.lower[$0] + (b.upper[$0] - b.lower[$0]) / 2 } }
        guard let outputs = try? check.evaluator.evaluate(inputs: center),
              let expected = margin(inputs: center, outputs: outputs) else { return nil }
        var fixed = formulation
        for (t, input) in formulation.names.inputs.enumerated() {
            for (k, column) in input.columns.enumerated() { fixed.model.setBounds(column, lower: center[t][k], upper: center[t][k]) }
        }
        var solve = settings
        solve.objectiveBound = nil
        solve.relativeGap = nil
        let outcome = try EmbeddedSolve(original: check.evaluator.graph, formulated: bounded, spec: spec, formulation: fixed, library: library)
            .run(settings: solve)
        // The MILP minimizes -t; with the inputs fixed, t is the network's margin at the center.
        guard outcome.status == .optimal, let objective = outcome.objective else {
            return "HiGHS finds the MILP of \(verificationCase) \(outcome.status.rawValue) with the inputs fixed at the box center, where the network's margin is \(expected) (numerics)"
        }
        // An enclosure's margin at the center is at least the network's (it holds the network's values), not equal.
        let allowed = Tolerance.feasibility * max(1, abs(expected)) * 10
        guard encloses ? -objective >= expected - allowed : abs(-objective - expected) <= allowed else {
            return "with the inputs fixed at the box center, the MILP of \(verificationCase) has margin \(-objective) where the network's is \(expected) (numerics)"
        }
        return nil
    }
}
