import NNIR
import NNSpec

/// What a local search on the original network minimises: how far a point is from meeting the
/// spec's constraints, then (for an optimisation) the objective in the direction of its sense.
/// Also the linear expression whose gradient leads downhill at the point.
struct PointScore {
    /// What the search is after.
    enum Goal {
        /// A point meeting every constraint (a counterexample to a VNN-LIB property): the score is the violation.
        case counterexample
        /// The best objective among points meeting the constraints (within `Tolerance.feasibility`).
        case optimum(Objective)
    }

    /// A point's score: lower is better, violation first.
    struct Value: Comparable {
        /// The spec's constraint violation (0 when every constraint holds).
        var violation: Double
        /// The objective with its sense turned into a minimisation (0 for a counterexample).
        var loss: Double

        static func < (a: Value, b: Value) -> Bool {
            let feasible = Tolerance.feasibility
            if a.violation > feasible || b.violation > feasible { return a.violation < b.violation }
            return a.loss < b.loss
        }
    }

    let spec: Spec
    let goal: Goal

    /// The score at a point with these inputs and network outputs.
    func value(inputs: [[Double]], outputs: [[Double]]) -> Value {
        let violation = spec.constraintViolation(inputs: inputs, outputs: outputs)
        guard case .optimum(let objective) = goal else { return Value(violation: violation, loss: 0) }
        let value = objective.expression.value(inputs: inputs, outputs: outputs)
        return Value(violation: violation, loss: objective.sense == .maximize ? -value : value)
    }

    /// Whether the search can stop at `value`: a counterexample once nothing is violated.
    func isFinal(_ value: Value) -> Bool {
        if case .counterexample = goal { return value.violation <= 0 }
        return false
    }

    /// The expression to decrease at the point: the most violated constraint's (signed so that
    /// decreasing it reduces the violation) while one is violated beyond what the goal allows, else the
    /// objective's (signed as a minimisation); nil when nothing is left to decrease.
    func descent(inputs: [[Double]], outputs: [[Double]]) -> LinearExpression? {
        let allowed: Double
        switch goal {
        case .counterexample: allowed = 0
        case .optimum: allowed = Tolerance.feasibility
        }
        if let (constraint, violation) = mostViolated(inputs: inputs, outputs: outputs), violation > allowed {
            let value = constraint.expression.value(inputs: inputs, outputs: outputs)
            let sign: Double
            switch constraint.relation {
            case .lessEqual: sign = 1
            case .greaterEqual: sign = -1
            case .equal: sign = value < 0 ? -1 : 1
            }
            var expression = LinearExpression()
            expression.add(constraint.expression, times: sign)
            return expression
        }
        guard case .optimum(let objective) = goal else { return nil }
        var expression = LinearExpression()
        expression.add(objective.expression, times: objective.sense == .maximize ? -1 : 1)
        return expression
    }

    /// The constraint whose violation is the spec's violation at the point: the worst of the
    /// constraints that always hold and of the disjunct the point comes closest to meeting.
    private func mostViolated(inputs: [[Double]], outputs: [[Double]]) -> (LinearConstraint, Double)? {
        func worst(_ constraints: [LinearConstraint]) -> (LinearConstraint, Double)? {
            constraints.map { ($0, $0.violation(inputs: inputs, outputs: outputs)) }.max { $0.1 < $1.1 }
        }
        var candidates = [worst(spec.constraints)]
        if !spec.disjuncts.isEmpty {
            candidates.append(spec.disjuncts.compactMap(worst).min { $0.1 < $1.1 })
        }
        return candidates.compactMap { $0 }.max { $0.1 < $1.1 }
    }
}
