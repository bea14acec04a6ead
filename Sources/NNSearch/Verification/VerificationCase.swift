import NNMILP
import NNSpec

/// One case of a property: the spec's constraints plus, when the spec has
/// disjuncts, one of them. A counterexample meets every constraint of some
/// case, so each case is screened by bounds, split and solved on its own.
struct VerificationCase: CustomStringConvertible {
    /// Which disjunct the case adds (`.any` when the spec has none).
    let choice: DisjunctChoice
    /// The constraints a counterexample of this case meets.
    let constraints: [LinearConstraint]

    /// The case of `spec` that `choice` names.
    init(spec: Spec, choice: DisjunctChoice) {
        self.choice = choice
        var constraints = spec.constraints
        if case .only(let k) = choice { constraints += spec.disjuncts[k] }
        self.constraints = constraints
    }

    /// Every case of `spec`: one per disjunct, or the property as a whole when it has none.
    static func cases(of spec: Spec) -> [VerificationCase] {
        let choices: [DisjunctChoice] = spec.disjuncts.isEmpty ? [.any] : spec.disjuncts.indices.map { .only($0) }
        return choices.map { VerificationCase(spec: spec, choice: $0) }
    }

    /// "the property" or "disjunct K", as the log and the reasons say it.
    var description: String {
        switch choice {
        case .any: "the property"
        case .only(let k): "disjunct \(k)"
        }
    }

    /// How far the network's values at a point are from meeting the case (0 when they do).
    func violation(inputs: [[Double]], outputs: [[Double]]) -> Double {
        constraints.map { $0.violation(inputs: inputs, outputs: outputs) }.max() ?? 0
    }
}
