import NNIR

extension Spec {
    /// Moves constraints on a single input element (`x3 <= 0.5`, VNN-LIB's
    /// `(>= X_0 -1)`) into `inputBounds`, where they cost no MILP rows.
    ///
    /// An input element that no top-level constraint bounds but that every
    /// disjunct bounds gets the hull of the disjuncts' bounds; the disjuncts
    /// keep their own constraints, so the hull only serves bound propagation.
    public mutating func absorbInputBounds(symbols: SymbolTable) {
        var kept: [LinearConstraint] = []
        for constraint in constraints {
            if let (element, lower, upper) = Self.singleElementBounds(constraint) {
                var box = inputBounds[element.tensor] ?? Self.unbounded(symbols.inputs[element.tensor].count)
                box.lower[element.element] = max(box.lower[element.element], lower)
                box.upper[element.element] = min(box.upper[element.element], upper)
                inputBounds[element.tensor] = box
            } else {
                kept.append(constraint)
            }
        }
        constraints = kept
        guard !disjuncts.isEmpty else { return }
        for (t, input) in symbols.inputs.enumerated() {
            var box = inputBounds[t] ?? Self.unbounded(input.count)
            for k in 0..<input.count where !box.lower[k].isFinite || !box.upper[k].isFinite {
                var hull = (lower: Double.infinity, upper: -Double.infinity)
                for disjunct in disjuncts {
                    var own = (lower: -Double.infinity, upper: Double.infinity)
                    for constraint in disjunct {
                        guard let (element, lower, upper) = Self.singleElementBounds(constraint),
                              element == TensorElement(.input, tensor: t, element: k) else { continue }
                        own = (max(own.lower, lower), min(own.upper, upper))
                    }
                    hull = (min(hull.lower, own.lower), max(hull.upper, own.upper))
                }
                box.lower[k] = max(box.lower[k], hull.lower)
                box.upper[k] = min(box.upper[k], hull.upper)
            }
            inputBounds[t] = box
        }
    }

    /// The final box of every input: `inputBounds` intersected with the balls.
    /// Fails when an element has no finite bound or the domain is empty.
    public func resolvedInputBounds(symbols: SymbolTable) throws -> [Bounds] {
        var boxes = symbols.inputs.indices.map { inputBounds[$0] ?? Self.unbounded(symbols.inputs[$0].count) }
        for ball in balls {
            let box = Bounds(lower: ball.center.map { $0 - ball.radius }, upper: ball.center.map { $0 + ball.radius })
            boxes[ball.input] = Bounds(lower: zip(boxes[ball.input].lower, box.lower).map { max($0, $1) },
                                       upper: zip(boxes[ball.input].upper, box.upper).map { min($0, $1) })
        }
        for (t, box) in boxes.enumerated() {
            let name = symbols.inputs[t].name
            for k in box.lower.indices {
                guard box.lower[k].isFinite, box.upper[k].isFinite else {
                    throw Diagnostic(.usage, location: "input '\(name)'",
                                     "element \(k) has no \(box.lower[k].isFinite ? "upper" : "lower") bound; a MILP needs bounded inputs: give --input-box LO:HI, --input-bounds FILE, --linf-ball X0:EPS or a --spec")
                }
                guard box.lower[k] <= box.upper[k] else {
                    throw Diagnostic(.usage, location: "input '\(name)'",
                                     "the input domain is empty: element \(k) must lie in [\(box.lower[k]), \(box.upper[k])]")
                }
            }
        }
        return boxes
    }

    /// `(element, lower, upper)` when the constraint bounds one input element.
    private static func singleElementBounds(_ constraint: LinearConstraint) -> (TensorElement, Double, Double)? {
        let terms = constraint.expression.nonzeroTerms
        guard terms.count == 1, terms[0].element.side == .input else { return nil }
        // coefficient · x + constant  (relation)  0
        let (coefficient, constant) = (terms[0].coefficient, constraint.expression.constant)
        let value = -constant / coefficient
        // Division can round; only exact divisions may replace a row by a bound.
        guard value * coefficient == -constant, value.isFinite else { return nil }
        let upperSide = (constraint.relation == .lessEqual) == (coefficient > 0)
        switch constraint.relation {
        case .equal: return (terms[0].element, value, value)
        default: return upperSide ? (terms[0].element, -.infinity, value) : (terms[0].element, value, .infinity)
        }
    }

    private static func unbounded(_ count: Int) -> Bounds {
        Bounds(lower: Array(repeating: -.infinity, count: count), upper: Array(repeating: .infinity, count: count))
    }
}
