import NNIR

/// A point of a user's model with embedded networks, judged on the original
/// networks: each network is evaluated (by the reference evaluator) at the
/// values that feed its inputs, and the user's rows, column bounds and
/// integrality are checked with the networks' true outputs in the output
/// columns. `solve --model` checks every solution so, and `check --model`
/// judges another solver's.
public struct EmbeddedSolutionCheck: Sendable {
    /// One network instance at the point.
    public struct Instance: Sendable {
        /// The instance's name.
        public var name: String
        /// The values feeding its inputs, flattened.
        public var inputs: [Double]
        /// The point's values of its output columns.
        public var pointOutputs: [Double]
        /// The original network's outputs at `inputs`.
        public var networkOutputs: [Double]
        /// The largest |point output − network output|.
        public var outputDifference: Double
        /// Whether `outputDifference` is within `Tolerance.allowed` of the values' magnitude.
        public var outputsAgree: Bool
    }

    /// One broken row, column bound or integrality, with the networks' true outputs.
    public struct Violation: Sendable {
        /// By how much.
        public var amount: Double
        /// What: `row 'budget'`, `column 'p_0' (upper bound 1)`, `column 'n' (integrality)`.
        public var place: String
        /// How much a solver's rounding allows there (see `EmbeddedSolutionCheck`'s init).
        public var allowed: Double
    }

    /// Every instance, in order.
    public let instances: [Instance]
    /// The largest violation (by amount) of a row, bound or integrality of the model, nil when none
    /// is violated at all.
    public let largestViolation: Violation?
    /// How many rows, bounds and integralities are violated beyond what rounding allows.
    public let violationCount: Int
    /// The objective with the networks' true outputs.
    public let objective: Double

    /// Whether the point holds: every instance's outputs agree with its network's, and no row,
    /// bound or integrality is violated beyond rounding.
    public var holds: Bool {
        instances.allSatisfy(\.outputsAgree) && violationCount == 0
    }

    /// Judges the point `values` (one per column of `plan.base`: the user's columns, then the new
    /// ones) with `networks[i]`, the original network of instance `i`. The output columns in
    /// `missingOutputs` are ones the point does not give (a solution of another formulation has no
    /// `NAME.yK`): they take the network's outputs, and their difference counts as 0.
    ///
    /// A row `lo <= Σ a·x <= hi` may miss by `Tolerance.allowed` of the largest magnitude among its
    /// terms and ends, times 1 + Σ |a| (each output may differ from the network's by that much); a
    /// bound by `Tolerance.allowed` of its magnitude; an integer column by `Tolerance.feasibility`.
    /// - Throws: `Diagnostic(.malformedInput)` when a value is not a finite number.
    public init(plan: EmbeddingPlan, networks: [Graph], values: [Double], missingOutputs: Set<Int> = []) throws {
        let model = plan.base
        precondition(values.count == model.columnCount && networks.count == plan.instances.count, "one value per column, one network per instance")
        if let c = values.indices.first(where: { !values[$0].isFinite && !missingOutputs.contains($0) }) {
            throw Diagnostic(.malformedInput, location: "column '\(model.columnNames[c])'", "its value is \(values[c]), not a finite number")
        }
        var judged = values
        instances = try zip(plan.instances, networks).map { instance, graph in
            let inputs = instance.inputs.map { source -> Double in
                switch source {
                case .column(let c): values[c]
                case .constant(let value): value
                }
            }
            let networkOutputs = try Evaluator(graph: graph).evaluate(inputs: graph.inputTensors(fromFlat: inputs)).flatMap { $0 }
            let pointOutputs = zip(instance.outputs, networkOutputs).map { missingOutputs.contains($0) ? $1 : values[$0] }
            for (column, value) in zip(instance.outputs, networkOutputs) { judged[column] = value }
            let difference = Tolerance.largestDifference([pointOutputs], [networkOutputs])
            let scale = Tolerance.scale(of: inputs + pointOutputs + networkOutputs)
            return Instance(name: instance.name, inputs: inputs, pointOutputs: pointOutputs, networkOutputs: networkOutputs,
                            outputDifference: difference, outputsAgree: difference <= Tolerance.allowed(scale: scale))
        }
        var violations: [Violation] = []
        for r in 0..<model.rowCount {
            let entries = model.row(r)
            let terms = entries.map { $0.coefficient * judged[$0.column] }
            let activity = terms.reduce(0, +)
            let (lower, upper) = model.rowBounds(r)
            let amount = max(lower - activity, activity - upper, 0)
            guard amount > 0 else { continue }
            let scale = Tolerance.scale(of: terms + [lower, upper])
            let allowed = Tolerance.allowed(scale: scale) * (1 + entries.reduce(0) { $0 + abs($1.coefficient) })
            violations.append(Violation(amount: amount, place: "row '\(model.rowNames[r])'", allowed: allowed))
        }
        for c in 0..<model.columnCount {
            let value = judged[c], name = model.columnNames[c]
            if value < model.columnLower[c] {
                violations.append(Violation(amount: model.columnLower[c] - value, place: "column '\(name)' (lower bound \(model.columnLower[c]))",
                                            allowed: Tolerance.allowed(scale: model.columnLower[c])))
            }
            if value > model.columnUpper[c] {
                violations.append(Violation(amount: value - model.columnUpper[c], place: "column '\(name)' (upper bound \(model.columnUpper[c]))",
                                            allowed: Tolerance.allowed(scale: model.columnUpper[c])))
            }
            if model.columnIsInteger[c], abs(value - value.rounded()) > 0 {
                violations.append(Violation(amount: abs(value - value.rounded()), place: "column '\(name)' (integrality)", allowed: Tolerance.feasibility))
            }
        }
        largestViolation = violations.max { $0.amount < $1.amount }
        violationCount = violations.filter { $0.amount > $0.allowed }.count
        objective = (0..<model.columnCount).reduce(model.objectiveOffset) { $0 + model.objective[$1] * judged[$1] }
    }
}
