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

    /// The final box of every input: `inputBounds` intersected with the balls' boxes. An element's
    /// interval may come out empty, its lower end above its upper one (see `emptyDomainReason`).
    /// Fails when an element has no finite bound: a MILP needs bounded inputs.
    public func resolvedInputBounds(symbols: SymbolTable) throws -> [Bounds] {
        let boxes = intersectedBoxes(symbols: symbols)
        if let (t, k, lower) = firstUnboundedElement(of: boxes) {
            throw Diagnostic(.usage, location: "input '\(symbols.inputs[t].name)'",
                             "element \(k) has no \(lower ? "lower" : "upper") bound; a MILP needs every input element bounded")
        }
        return boxes
    }

    /// The first input element of the domain without a finite lower (`lower` true) or upper bound:
    /// its input's position and the element, nil when every element is bounded.
    public func unboundedElement(symbols: SymbolTable) -> (input: Int, element: Int, lower: Bool)? {
        firstUnboundedElement(of: intersectedBoxes(symbols: symbols))
    }

    /// Why the input domain holds no point, as its bounds show: an element whose interval is empty
    /// once the boxes, the bounds of single-input constraints and the balls are intersected, or an L1
    /// ball whose center is farther from the box than its radius. Nil when the bounds leave a point
    /// (other constraints on the inputs may still rule every point out; only a solve tells).
    ///
    /// An empty domain is a problem like any other, whose answer is that nothing is feasible: the
    /// MILP of it is infeasible (`Formulator` states the empty intervals as rows), and no
    /// counterexample to a property on it exists.
    public func emptyDomainReason(symbols: SymbolTable) -> String? {
        let boxes = intersectedBoxes(symbols: symbols)
        for (t, box) in boxes.enumerated() {
            if let k = box.lower.indices.first(where: { box.lower[$0] > box.upper[$0] }) {
                return "element \(k) of input '\(symbols.inputs[t].name)' must lie in [\(box.lower[k]), \(box.upper[k])]"
            }
        }
        for ball in balls where ball.norm == .l1 {
            let box = boxes[ball.input]
            let distance = ball.center.indices.reduce(0.0) { sum, k in
                sum + max(0, box.lower[k] - ball.center[k], ball.center[k] - box.upper[k])
            }
            if distance > ball.radius {
                return "the L1 ball of radius \(ball.radius) around its center lies at L1 distance \(distance) from the box of input '\(symbols.inputs[ball.input].name)'"
            }
        }
        return nil
    }

    /// The box the network is bounded over: `resolvedInputBounds` with every empty interval [L, U]
    /// (L > U) turned round to [U, L]. Bounds over it hold on the domain too (which is empty), and
    /// the MILP keeps the empty intervals as rows, so it is infeasible as the domain is.
    public func boundingBoxes(symbols: SymbolTable) throws -> [Bounds] {
        try resolvedInputBounds(symbols: symbols).map { box in
            Bounds(lower: zip(box.lower, box.upper).map { min($0, $1) }, upper: zip(box.lower, box.upper).map { max($0, $1) })
        }
    }

    /// `inputBounds` intersected with the balls' boxes, each input unbounded where nothing bounds it.
    private func intersectedBoxes(symbols: SymbolTable) -> [Bounds] {
        var boxes = symbols.inputs.indices.map { inputBounds[$0] ?? Self.unbounded(symbols.inputs[$0].count) }
        for ball in balls {
            let box = Bounds(lower: ball.center.map { $0 - ball.radius }, upper: ball.center.map { $0 + ball.radius })
            boxes[ball.input] = Bounds(lower: zip(boxes[ball.input].lower, box.lower).map { max($0, $1) },
                                       upper: zip(boxes[ball.input].upper, box.upper).map { min($0, $1) })
        }
        return boxes
    }

    private func firstUnboundedElement(of boxes: [Bounds]) -> (input: Int, element: Int, lower: Bool)? {
        for (t, box) in boxes.enumerated() {
            if let k = box.lower.indices.first(where: { !box.lower[$0].isFinite || !box.upper[$0].isFinite }) {
                return (t, k, !box.lower[k].isFinite)
            }
        }
        return nil
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
