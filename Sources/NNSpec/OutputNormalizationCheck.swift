import NNIR

extension Spec {
    /// The first constraint (of the conjunction, then of the disjuncts) whose meaning would change if
    /// the outputs of `normalized` (by output position) held their logits instead of their final
    /// Softmax or LogSoftmax; nil when none would. Softmax keeps the order of its elements, so a
    /// constraint on it must compare two of them alone (`Y_i >= Y_j`, `Y_i - Y_j <= 0`); LogSoftmax
    /// keeps their differences, so its terms' coefficients must sum to zero.
    public func normalizationConflict(_ normalized: [Int: OutputNormalization]) -> LinearConstraint? {
        (constraints + disjuncts.joined()).first { constraint in
            let terms = constraint.expression.nonzeroTerms
            return normalized.contains { tensor, normalization in
                let own = terms.filter { $0.element.side == .output && $0.element.tensor == tensor }
                guard !own.isEmpty else { return false }
                switch normalization {
                case .softmax:
                    return !(own.count == 2 && terms.count == 2 && own[0].coefficient == -own[1].coefficient
                             && constraint.expression.constant == 0)
                case .logSoftmax:
                    let sum = own.reduce(0) { $0 + $1.coefficient }, scale = own.reduce(0) { $0 + abs($1.coefficient) }
                    return abs(sum) > 1e-12 * scale
                }
            }
        }
    }
}
