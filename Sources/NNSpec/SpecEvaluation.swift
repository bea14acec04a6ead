import NNIR

/// A spec judged at one concrete point: the values of its expressions and how
/// far the point is from satisfying its constraints, from the network's own
/// inputs and outputs (flattened, one array per tensor).
extension LinearExpression {
    /// The expression's value at the point.
    public func value(inputs: [[Double]], outputs: [[Double]]) -> Double {
        terms.reduce(constant) { sum, term in
            let tensor = term.element.side == .input ? inputs : outputs
            return sum + term.coefficient * tensor[term.element.tensor][term.element.element]
        }
    }
}

extension LinearConstraint {
    /// How much the constraint is violated at the point: 0 when it holds,
    /// otherwise the distance of `expression` from the allowed side of 0
    /// (infinite when the value is NaN, which satisfies nothing).
    public func violation(inputs: [[Double]], outputs: [[Double]]) -> Double {
        let value = expression.value(inputs: inputs, outputs: outputs)
        if value.isNaN { return .infinity }
        switch relation {
        case .lessEqual: return max(0, value)
        case .greaterEqual: return max(0, -value)
        case .equal: return abs(value)
        }
    }
}

extension Spec {
    /// How far `inputs` lie outside the input domain (boxes and balls): 0 inside.
    public func domainViolation(inputs: [[Double]]) -> Double {
        var worst = 0.0
        for (t, bounds) in inputBounds.enumerated() {
            guard let bounds else { continue }
            for (k, x) in inputs[t].enumerated() {
                worst = x.isNaN ? .infinity : max(worst, bounds.lower[k] - x, x - bounds.upper[k])
            }
        }
        for ball in balls {
            let distances = zip(inputs[ball.input], ball.center).map { abs($0 - $1) }
            let norm = ball.norm == .linf ? (distances.max() ?? 0) : distances.reduce(0, +)
            worst = max(worst, norm - ball.radius)
        }
        return worst
    }

    /// How far the point is from meeting the constraints: the largest
    /// violation of `constraints`, and of the best disjunct when there are
    /// disjuncts (the one the point comes closest to satisfying). 0 means the
    /// point satisfies the spec's constraints, so for a VNN-LIB property it is
    /// a counterexample.
    public func constraintViolation(inputs: [[Double]], outputs: [[Double]]) -> Double {
        let always = constraints.map { $0.violation(inputs: inputs, outputs: outputs) }.max() ?? 0
        guard !disjuncts.isEmpty else { return always }
        let best = disjuncts.indices.map { disjunctViolation($0, inputs: inputs, outputs: outputs) }.min() ?? 0
        return max(always, best)
    }

    /// The largest violation among the constraints of disjunct `index`.
    public func disjunctViolation(_ index: Int, inputs: [[Double]], outputs: [[Double]]) -> Double {
        disjuncts[index].map { $0.violation(inputs: inputs, outputs: outputs) }.max() ?? 0
    }
}
