import NNIR
import NNSpec

extension VerificationCase {
    /// Whether the bounds on the inputs and outputs of `graph` show that some
    /// constraint of the case can never hold: interval arithmetic on the
    /// constraint, which must miss by more than its own rounding error.
    func isRuledOut(byBoundsOf graph: Graph) -> Bool {
        let inputs = graph.inputs.map { graph[$0].bounds! }
        let outputs = graph.outputs.map { graph[$0.value].bounds! }
        return constraints.contains { constraint in
            var low = constraint.expression.constant, high = constraint.expression.constant
            var magnitude = abs(constraint.expression.constant)
            for term in constraint.expression.terms {
                let b = term.element.side == .input ? inputs[term.element.tensor] : outputs[term.element.tensor]
                let (l, u) = (b.lower[term.element.element], b.upper[term.element.element])
                low += term.coefficient >= 0 ? term.coefficient * l : term.coefficient * u
                high += term.coefficient >= 0 ? term.coefficient * u : term.coefficient * l
                magnitude += abs(term.coefficient) * max(abs(l), abs(u))
            }
            let slack = 4 * Double(constraint.expression.terms.count + 1) * Double.ulpOfOne * magnitude
            switch constraint.relation {
            case .lessEqual: return low > slack
            case .greaterEqual: return high < -slack
            case .equal: return low > slack || high < -slack
            }
        }
    }
}
