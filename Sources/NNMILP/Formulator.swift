import NNIR
import NNSpec

/// Which disjunct(s) of a spec's disjunction the MILP enforces.
public enum DisjunctChoice: Sendable, Equatable {
    /// One MILP in which binary variables choose the disjunct that holds.
    case any
    /// Only disjunct `k` (0-based), as plain rows.
    case only(Int)

    /// Fails (a usage error of `--disjunct`) when the choice names no disjunct of `spec`.
    public func check(against spec: Spec) throws {
        guard case .only(let k) = self, !spec.disjuncts.indices.contains(k) else { return }
        let has = spec.disjuncts.isEmpty ? "no disjunction, so there is no disjunct to choose"
                                         : "\(spec.disjuncts.count) disjuncts, numbered 0 to \(spec.disjuncts.count - 1)"
        throw Diagnostic(.usage, location: "--disjunct \(k)", "the spec has \(has)")
    }
}

/// The result of formulation: the model, what its columns mean, and counts.
public struct Formulation: Sendable {
    /// The MILP.
    public var model: MILPModel
    /// The meaning of every column.
    public var names: NameMap
    /// Counts for `--stats`.
    public var statistics: FormulationStatistics
}

/// Builds the exact MILP of a network with bounds on every node (see
/// `IntervalBounds`) under a spec.
///
/// Linear layers become equality rows defining one column per element;
/// reshapes, gathers and scale-and-shift layers only rewrite terms. A ReLU
/// with lower bound >= 0 is the identity and one with upper bound <= 0 is
/// zero; every other ReLU gets the big-M formulation with its own bounds as
/// the constants. Max pooling is exact with one selector binary per window
/// candidate that can win.
public struct Formulator {
    private let graph: Graph
    private let spec: Spec
    private var model: MILPModel
    private var names = NameMap()
    private var statistics = FormulationStatistics()
    /// The value of every element of every node, as a term over columns.
    private var terms: [[AffineTerm]]

    private init(graph: Graph, spec: Spec, name: String) {
        self.graph = graph
        self.spec = spec
        self.model = MILPModel(name: name)
        self.terms = Array(repeating: [], count: graph.nodes.count)
    }

    /// Formulates `graph`, whose nodes all carry bounds, under `spec`.
    public static func formulate(_ graph: Graph, spec: Spec, disjuncts: DisjunctChoice = .any, name: String = "nnmip") throws -> Formulation {
        var formulator = Formulator(graph: graph, spec: spec, name: name)
        try formulator.formulateNetwork()
        formulator.bindOutputs()
        try formulator.addSpecRows(disjuncts)
        formulator.statistics.variables = formulator.model.columnCount
        formulator.statistics.binaries = formulator.model.integerCount
        formulator.statistics.constraints = formulator.model.rowCount
        formulator.statistics.nonzeros = formulator.model.nonzeroCount
        formulator.names.describeLayers(of: graph)
        try SolverLimits.check(formulator.model, names: formulator.names, graph: graph)
        return Formulation(model: formulator.model, names: formulator.names, statistics: formulator.statistics)
    }

    // MARK: - Network

    private mutating func formulateNetwork() throws {
        for (index, node) in graph.nodes.enumerated() {
            guard let bounds = node.bounds else {
                throw Diagnostic(.usage, location: "node %\(index)", "has no bounds; bounds must be computed before formulation")
            }
            let operands = node.operands.map { terms[$0.index] }
            switch node.operation {
            case .input(let name):
                let columns = (0..<node.elementCount).map { k in
                    addColumn("x_l\(index)_n\(k)", bounds.lower[k], bounds.upper[k], NameMap.Entry(node: index, element: k, role: .input))
                }
                names.inputs.append(NameMap.Tensor(name: name, node: index, shape: node.shape, columns: columns))
                terms[index] = columns.map(AffineTerm.variable)
            case .affine(let affine):
                terms[index] = (0..<node.elementCount).map { row in
                    var sum = RowSum(constant: affine.bias[row])
                    switch affine.weights {
                    case .dense(_, let columns, let values):
                        let base = row * columns
                        for c in 0..<columns where values[base + c] != 0 {
                            accumulate(operands[0][c], values[base + c], into: &sum)
                        }
                    case .sparse(let m):
                        for e in m.rowStart[row]..<m.rowStart[row + 1] {
                            accumulate(operands[0][m.columnIndex[e]], m.values[e], into: &sum)
                        }
                    }
                    return finishDefinition(index, row, bounds, sum)
                }
            case .convolution(let conv):
                let windows = SpatialWindows(input: graph[node.operands[0]].shape, output: node.shape, window: conv.window)
                terms[index] = (0..<node.elementCount).map { row in
                    var sum = RowSum(constant: 0)
                    convolutionRow(conv, windows, output: row, operand: operands[0], into: &sum)
                    return finishDefinition(index, row, bounds, sum)
                }
            case .averagePool(let pool, let countIncludePad):
                let windows = SpatialWindows(input: graph[node.operands[0]].shape, output: node.shape, window: pool.window)
                terms[index] = (0..<node.elementCount).map { row in
                    var sum = RowSum(constant: 0)
                    let (c, oh, ow) = windows.position(ofOutput: row)
                    let taps = windows.taps(channel: c, oh: oh, ow: ow)
                    let divisor = countIncludePad ? windows.paddedTapCount(oh: oh, ow: ow) : taps.count
                    if divisor > 0 {
                        for tap in taps { accumulate(operands[0][tap], 1 / Double(divisor), into: &sum) }
                    }
                    return finishDefinition(index, row, bounds, sum)
                }
            case .add:
                terms[index] = (0..<node.elementCount).map { k in
                    let (a, b) = (operands[0][k], operands[1][k])
                    if a.column == nil || b.column == nil || a.column == b.column {
                        let column = a.column ?? b.column
                        return AffineTerm(column: column, coefficient: (a.column == nil ? 0 : a.coefficient) + (b.column == nil ? 0 : b.coefficient),
                                          constant: a.constant + b.constant)
                    }
                    var sum = RowSum(constant: 0)
                    accumulate(a, 1, into: &sum)
                    accumulate(b, 1, into: &sum)
                    return finishDefinition(index, k, bounds, sum)
                }
            case .scaleShift(let scale, let shift):
                terms[index] = operands[0].indices.map { operands[0][$0].scaled(scale[$0], plus: shift[$0]) }
            case .reshape:
                terms[index] = operands[0]
            case .gather(let indices):
                terms[index] = indices.map { $0 < 0 ? .constant(0) : operands[0][$0] }
            case .smooth(let function):
                throw Diagnostic(.unsupported, location: node.location ?? "node %\(index)",
                                 "\(function.name) is not piecewise linear; the pwl-approx pass must replace it before formulation",
                                 hint: OptionHint(option: "--pwl-segments", "Give --pwl-segments 8 to compile its piecewise-linear interpolant (a surrogate), and --pwl-enclosure too for a sound enclosure."))
            case .band(let below, let above):
                terms[index] = band(index, node, below: below, above: above, operand: operands[0], bounds: bounds)
            case .relu:
                terms[index] = try relu(index, node, operand: operands[0], operandBounds: boundsOf(node.operands[0]))
            case .leakyRelu(let alpha):
                terms[index] = try leakyRelu(index, node, alpha: alpha, operand: operands[0], operandBounds: boundsOf(node.operands[0]))
            case .maxPool(let pool):
                let windows = SpatialWindows(input: graph[node.operands[0]].shape, output: node.shape, window: pool.window)
                terms[index] = try maxPool(index, node, windows, operand: operands[0], operandBounds: boundsOf(node.operands[0]))
            }
        }
    }

    private func boundsOf(_ value: ValueID) -> Bounds {
        graph[value].bounds ?? Bounds(lower: [], upper: [])
    }

    /// The row being built for one element of a linear node: its entries go
    /// straight into the model; the constant and whether any column appeared are kept here.
    private struct RowSum {
        var constant: Double
        var dependsOnColumns = false
        /// How far the terms folded into `constant` (see `smallestCoefficient`) may move the row.
        var slack = 0.0
    }

    /// The smallest |coefficient| a row keeps: HiGHS drops smaller ones as it reads a model (its
    /// `small_matrix_value`, 1e-9), which on oval21's cifar_deep_kw and cifar_wide_kw, with the input
    /// fixed to a point, made their MILPs infeasible. A smaller term `w · x` becomes the constant
    /// `w · mid(x)`, and the row's equality a pair of rows `|w| · halfwidth(x)` either side: exact
    /// when `x` is fixed, and otherwise a relaxation by at most that (the network's own value stays
    /// feasible).
    public static let smallestCoefficient = 1e-9

    /// Adds `weight · term` to the row being built.
    @inline(__always)
    private mutating func accumulate(_ term: AffineTerm, _ weight: Double, into sum: inout RowSum) {
        if let column = term.column {
            let coefficient = weight * term.coefficient
            let (lower, upper) = (model.columnLower[column], model.columnUpper[column])
            if abs(coefficient) <= Self.smallestCoefficient, lower.isFinite, upper.isFinite {
                let middle = lower / 2 + upper / 2
                sum.constant += coefficient * middle
                // The half width, and the rounding of the product folded (far below any tolerance).
                sum.slack += abs(coefficient) * ((upper - lower) / 2 + 1e-15 * abs(middle))
            } else {
                model.addEntry(column, coefficient)
                sum.dependsOnColumns = true
            }
        }
        sum.constant += weight * term.constant
    }

    /// Ends the row built for element `k` of node `index` as `h = Σ entries + constant` (± the
    /// slack of folded terms) with a new column `h`, or returns the constant when no column was involved.
    private mutating func finishDefinition(_ index: Int, _ k: Int, _ bounds: Bounds, _ sum: RowSum) -> AffineTerm {
        guard sum.dependsOnColumns || sum.slack > 0 else { return .constant(sum.constant) }
        let column = addColumn("h_l\(index)_n\(k)", bounds.lower[k], bounds.upper[k], NameMap.Entry(node: index, element: k, role: .linear))
        model.addEntry(column, -1)
        if sum.slack > 0 {
            // Two rows rather than a range, which the LP format cannot carry to every reader.
            let upper = model.finishRow("r_l\(index)_n\(k)", .lessEqual, -sum.constant + sum.slack)
            model.addRow("r_l\(index)_n\(k)_lower", model.row(upper).map { ($0.column, $0.coefficient) }, .greaterEqual, -sum.constant - sum.slack)
        } else {
            model.finishRow("r_l\(index)_n\(k)", .equal, -sum.constant)
        }
        return .variable(column)
    }

    private mutating func convolutionRow(_ conv: Convolution, _ g: SpatialWindows, output: Int, operand: [AffineTerm], into sum: inout RowSum) {
        sum.constant += conv.bias[g.position(ofOutput: output).channel]
        g.forEachConvolutionTap(output: output, outChannels: conv.outChannels, groups: conv.groups) { weight, input in
            if conv.weights[weight] != 0 { accumulate(operand[input], conv.weights[weight], into: &sum) }
        }
    }

    // MARK: - Nonlinear layers

    private mutating func relu(_ index: Int, _ node: Node, operand: [AffineTerm], operandBounds x: Bounds) throws -> [AffineTerm] {
        var layer = FormulationStatistics.Layer(node: index, operation: "relu", location: node.location)
        let result = try operand.indices.map { k -> AffineTerm in
            let (lower, upper) = (x.lower[k], x.upper[k])
            if lower >= 0 {
                layer.active += 1
                return operand[k]
            }
            if upper <= 0 {
                layer.inactive += 1
                return .constant(0)
            }
            layer.unstable += 1
            layer.binaries += 1
            try requireFinite(lower, upper, index, k)
            let h = operand[k]
            let a = addColumn("a_l\(index)_n\(k)", 0, upper, NameMap.Entry(node: index, element: k, role: .relu))
            let z = addColumn("z_l\(index)_n\(k)", 0, 1, NameMap.Entry(node: index, element: k, role: .reluIndicator), integer: true)
            // a >= h
            addTermRow("ra_l\(index)_n\(k)", [(a, 1)], minus: h, .greaterEqual, 0)
            // a <= h - lower·(1 - z)   ⇔   a - h - lower·z <= -lower
            addTermRow("rm_l\(index)_n\(k)", [(a, 1), (z, -lower)], minus: h, .lessEqual, -lower)
            // a <= upper·z
            model.addRow("ru_l\(index)_n\(k)", [(a, 1), (z, -upper)], .lessEqual, 0)
            return .variable(a)
        }
        statistics.layers.append(layer)
        return result
    }

    /// `h + below <= y <= h + above`: one continuous column per element with a
    /// non-empty band (an empty one is `h` itself).
    private mutating func band(_ index: Int, _ node: Node, below: [Double], above: [Double], operand: [AffineTerm], bounds: Bounds) -> [AffineTerm] {
        operand.indices.map { k -> AffineTerm in
            if below[k] == 0 && above[k] == 0 { return operand[k] }
            let y = addColumn("e_l\(index)_n\(k)", bounds.lower[k], bounds.upper[k], NameMap.Entry(node: index, element: k, role: .band))
            addTermRow("rbl_l\(index)_n\(k)", [(y, 1)], minus: operand[k], .greaterEqual, below[k])
            addTermRow("rbh_l\(index)_n\(k)", [(y, 1)], minus: operand[k], .lessEqual, above[k])
            return .variable(y)
        }
    }

    private mutating func leakyRelu(_ index: Int, _ node: Node, alpha: Double, operand: [AffineTerm], operandBounds x: Bounds) throws -> [AffineTerm] {
        var layer = FormulationStatistics.Layer(node: index, operation: "leaky_relu", location: node.location)
        let bounds = node.bounds ?? x
        let result = try operand.indices.map { k -> AffineTerm in
            let (lower, upper) = (x.lower[k], x.upper[k])
            if lower >= 0 {
                layer.active += 1
                return operand[k]
            }
            if upper <= 0 {
                layer.inactive += 1
                return operand[k].scaled(alpha, plus: 0)
            }
            layer.unstable += 1
            layer.binaries += 1
            try requireFinite(lower, upper, index, k)
            let h = operand[k]
            let y = addColumn("a_l\(index)_n\(k)", bounds.lower[k], bounds.upper[k], NameMap.Entry(node: index, element: k, role: .leakyRelu))
            let z = addColumn("z_l\(index)_n\(k)", 0, 1, NameMap.Entry(node: index, element: k, role: .leakyReluIndicator), integer: true)
            if alpha >= 0 && alpha <= 1 {
                // y = max(h, αh): y >= h, y >= αh, and two big-M rows that pin y to the active piece.
                addTermRow("ra_l\(index)_n\(k)", [(y, 1)], minus: h, .greaterEqual, 0)
                addTermRow("rb_l\(index)_n\(k)", [(y, 1)], minus: h.scaled(alpha, plus: 0), .greaterEqual, 0)
                // y <= h + (α − 1)·lower·(1 − z)
                let m1 = (alpha - 1) * lower
                addTermRow("rm_l\(index)_n\(k)", [(y, 1), (z, m1)], minus: h, .lessEqual, m1)
                // y <= αh + (1 − α)·upper·z
                addTermRow("ru_l\(index)_n\(k)", [(y, 1), (z, -(1 - alpha) * upper)], minus: h.scaled(alpha, plus: 0), .lessEqual, 0)
            } else {
                // General slope: z fixes the sign of h, and y equals the matching piece.
                // h >= lower·(1 − z)  and  h <= upper·z
                addTermRow("rs_l\(index)_n\(k)", [(z, -lower)], minus: h, .lessEqual, -lower)
                addTermRow("rt_l\(index)_n\(k)", [(z, upper)], minus: h, .greaterEqual, 0)
                // |y − h| <= M1·(1 − z),  |y − αh| <= M2·z, with M from the bounds of the differences.
                let m1 = max(abs(bounds.upper[k] - lower), abs(bounds.lower[k] - upper)) * (1 + 1e-12)
                let m2 = max(abs(bounds.upper[k] - alpha * (alpha > 0 ? lower : upper)), abs(bounds.lower[k] - alpha * (alpha > 0 ? upper : lower))) * (1 + 1e-12)
                addTermRow("rm_l\(index)_n\(k)", [(y, 1), (z, m1)], minus: h, .lessEqual, m1)
                addTermRow("rn_l\(index)_n\(k)", [(y, 1), (z, -m1)], minus: h, .greaterEqual, -m1)
                addTermRow("ru_l\(index)_n\(k)", [(y, 1), (z, -m2)], minus: h.scaled(alpha, plus: 0), .lessEqual, 0)
                addTermRow("rv_l\(index)_n\(k)", [(y, 1), (z, m2)], minus: h.scaled(alpha, plus: 0), .greaterEqual, 0)
            }
            return .variable(y)
        }
        statistics.layers.append(layer)
        return result
    }

    private mutating func maxPool(_ index: Int, _ node: Node, _ windows: SpatialWindows, operand: [AffineTerm], operandBounds x: Bounds) throws -> [AffineTerm] {
        var layer = FormulationStatistics.Layer(node: index, operation: "maxpool", location: node.location)
        let result = try (0..<node.elementCount).map { k -> AffineTerm in
            let (c, oh, ow) = windows.position(ofOutput: k)
            let taps = windows.taps(channel: c, oh: oh, ow: ow)
            guard !taps.isEmpty else {
                layer.active += 1
                return .constant(0)
            }
            // A tap whose upper bound is below another tap's lower bound never wins.
            let best = taps.map { x.lower[$0] }.max()!
            let candidates = taps.filter { x.upper[$0] >= best }
            if candidates.count == 1 {
                layer.active += 1
                return operand[candidates[0]]
            }
            layer.unstable += 1
            layer.binaries += candidates.count
            let top = candidates.map { x.upper[$0] }.max()!
            for tap in candidates { try requireFinite(x.lower[tap], x.upper[tap], index, k) }
            let y = addColumn("m_l\(index)_n\(k)", best, top, NameMap.Entry(node: index, element: k, role: .maxPool))
            var selectors: [(Int, Double)] = []
            for (t, tap) in candidates.enumerated() {
                let z = addColumn("z_l\(index)_n\(k)_t\(t)", 0, 1, NameMap.Entry(node: index, element: k, role: .maxPoolSelector, tap: tap), integer: true)
                selectors.append((z, 1))
                // y >= x_t
                addTermRow("rg_l\(index)_n\(k)_t\(t)", [(y, 1)], minus: operand[tap], .greaterEqual, 0)
                // y <= x_t + (max of the others' upper bounds − lower_t)·(1 − z_t)
                let others = candidates.filter { $0 != tap }.map { x.upper[$0] }.max() ?? top
                let bigM = max((others - x.lower[tap]).nextUp, 0)
                addTermRow("rs_l\(index)_n\(k)_t\(t)", [(y, 1), (z, bigM)], minus: operand[tap], .lessEqual, bigM)
            }
            model.addRow("rz_l\(index)_n\(k)", selectors, .equal, 1)
            return .variable(y)
        }
        statistics.layers.append(layer)
        return result
    }

    private func requireFinite(_ lower: Double, _ upper: Double, _ index: Int, _ k: Int) throws {
        guard lower.isFinite, upper.isFinite else {
            let location = graph.nodes[index].location.map { " (\($0))" } ?? ""
            throw Diagnostic(.unsupported, location: "node %\(index)\(location), element \(k)",
                             "its input bounds are infinite, so no big-M is valid; bound the network inputs more tightly")
        }
    }

    // MARK: - Outputs and spec

    /// Gives every output element a column of its own when its term is not already a plain column.
    private mutating func bindOutputs() {
        for (j, output) in graph.outputs.enumerated() {
            let node = graph[output.value]
            let bounds = node.bounds ?? Bounds(lower: [], upper: [])
            let columns = terms[output.value.index].enumerated().map { k, term -> Int in
                if let column = term.plainColumn { return column }
                let y = addColumn("y_o\(j)_n\(k)", bounds.lower[k], bounds.upper[k], NameMap.Entry(node: output.value.index, element: k, role: .output))
                addTermRow("ry_o\(j)_n\(k)", [(y, 1)], minus: term, .equal, 0)
                return y
            }
            names.outputs.append(NameMap.Tensor(name: output.name, node: output.value.index, shape: node.shape, columns: columns))
        }
    }

    private mutating func addSpecRows(_ choice: DisjunctChoice) throws {
        if let objective = spec.objective {
            guard objective.expression.constant == 0 else {
                throw Diagnostic(.usage, location: "objective", "has the constant term \(objective.expression.constant), which does not change the optimum; leave it out")
            }
            model.sense = objective.sense == .maximize ? .maximize : .minimize
            for term in objective.expression.terms {
                let c = names.column(of: term.element)
                model.setObjective(c, model.objective[c] + term.coefficient)
            }
        }
        try addEmptyIntervals()
        for ball in spec.balls where ball.norm == .l1 {
            addL1Ball(ball)
        }
        for (i, constraint) in spec.constraints.enumerated() {
            addConstraint(constraint, name: "spec_c\(i)")
        }
        try choice.check(against: spec)
        switch choice {
        case .only(let k):
            for (i, constraint) in spec.disjuncts[k].enumerated() { addConstraint(constraint, name: "spec_d\(k)_c\(i)") }
        case .any where spec.disjuncts.isEmpty:
            break
        case .any where spec.disjuncts.count == 1:
            for (i, constraint) in spec.disjuncts[0].enumerated() { addConstraint(constraint, name: "spec_d0_c\(i)") }
        case .any:
            var selectors: [(Int, Double)] = []
            for (k, disjunct) in spec.disjuncts.enumerated() {
                let d = addColumn("d_\(k)", 0, 1, NameMap.Entry(node: -1, element: k, role: .disjunctSelector), integer: true)
                selectors.append((d, 1))
                for (i, constraint) in disjunct.enumerated() { addConditionalConstraint(constraint, selector: d, name: "spec_d\(k)_c\(i)") }
            }
            model.addRow("spec_choose", selectors, .equal, 1)
        }
    }

    /// `Σ coefficient · column` of a spec expression (its constant left out).
    private func entries(_ expression: LinearExpression) -> [(Int, Double)] {
        expression.terms.map { (names.column(of: $0.element), $0.coefficient) }
    }

    private mutating func addConstraint(_ constraint: LinearConstraint, name: String) {
        model.addRow(name, entries(constraint.expression), rowSense(constraint.relation), -constraint.expression.constant)
    }

    /// The constraint when `selector` is 1, relaxed by big-M from the column bounds when it is 0.
    private mutating func addConditionalConstraint(_ constraint: LinearConstraint, selector: Int, name: String) {
        let terms = entries(constraint.expression)
        let (low, high) = range(terms, constant: constraint.expression.constant)
        let rhs = -constraint.expression.constant
        if constraint.relation != .greaterEqual, high > 0 {
            // e <= high·(1 − d)
            model.addRow(constraint.relation == .equal ? "\(name)_le" : name, terms + [(selector, high)], .lessEqual, rhs + high)
        }
        if constraint.relation != .lessEqual, low < 0 {
            // e >= low·(1 − d)
            model.addRow(constraint.relation == .equal ? "\(name)_ge" : name, terms + [(selector, low)], .greaterEqual, rhs + low)
        }
    }

    /// The range of `Σ coefficient · column + constant` over the column bounds, rounded outward.
    private func range(_ terms: [(Int, Double)], constant: Double) -> (Double, Double) {
        var low = constant, high = constant, magnitude = abs(constant)
        for (c, w) in terms {
            let a = w * model.columnLower[c], b = w * model.columnUpper[c]
            low += min(a, b)
            high += max(a, b)
            magnitude += max(abs(a), abs(b))
        }
        let slack = Double(terms.count + 2) * Double.ulpOfOne * magnitude
        return ((low - slack).nextDown, (high + slack).nextUp)
    }

    /// An input element whose interval in the domain is empty (lower above upper) has the interval
    /// turned round as its column's bounds (`Spec.boundingBoxes`), so the domain itself is stated
    /// as two rows, x >= lower and x <= upper: the MILP is infeasible, as the domain is empty.
    private mutating func addEmptyIntervals() throws {
        for (t, box) in try spec.resolvedInputBounds(symbols: SymbolTable(graph: graph)).enumerated() {
            let input = names.inputs[t]
            for k in box.lower.indices where box.lower[k] > box.upper[k] {
                model.addRow("spec_empty_l\(input.node)_n\(k)_lower", [(input.columns[k], 1)], .greaterEqual, box.lower[k])
                model.addRow("spec_empty_l\(input.node)_n\(k)_upper", [(input.columns[k], 1)], .lessEqual, box.upper[k])
            }
        }
    }

    private mutating func addL1Ball(_ ball: NormBall) {
        let input = names.inputs[ball.input]
        var distances: [(Int, Double)] = []
        for (k, x) in input.columns.enumerated() {
            let center = ball.center[k]
            let reach = max(model.columnUpper[x] - center, center - model.columnLower[x], 0)
            let t = addColumn("t_l\(input.node)_n\(k)", 0, reach, NameMap.Entry(node: input.node, element: k, role: .l1Distance))
            // t >= x − center  and  t >= center − x
            model.addRow("rp_l\(input.node)_n\(k)", [(t, 1), (x, -1)], .greaterEqual, -center)
            model.addRow("rn_l\(input.node)_n\(k)", [(t, 1), (x, 1)], .greaterEqual, center)
            distances.append((t, 1))
        }
        model.addRow("rl1_l\(input.node)", distances, .lessEqual, ball.radius)
    }

    private func rowSense(_ relation: Relation) -> MILPModel.RowSense {
        switch relation {
        case .lessEqual: .lessEqual
        case .greaterEqual: .greaterEqual
        case .equal: .equal
        }
    }

    // MARK: - Helpers

    private mutating func addColumn(_ name: String, _ lower: Double, _ upper: Double, _ entry: NameMap.Entry, integer: Bool = false) -> Int {
        names.entries.append(entry)
        return model.addColumn(name, lower: lower, upper: upper, integer: integer)
    }

    /// Adds the row `Σ entries − term (sense) rhs`, folding the term's constant into the right-hand side.
    private mutating func addTermRow(_ name: String, _ entries: [(Int, Double)], minus term: AffineTerm, _ sense: MILPModel.RowSense, _ rhs: Double) {
        for (c, w) in entries { model.addEntry(c, w) }
        if let column = term.column { model.addEntry(column, -term.coefficient) }
        model.finishRow(name, sense, rhs + term.constant)
    }
}
