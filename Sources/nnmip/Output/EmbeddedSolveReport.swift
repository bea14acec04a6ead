import NNMIPKit

/// What `solve --model` prints and `--solution` writes: the solve's outcome in the model's sense,
/// and the best solution judged on the original networks.
struct EmbeddedSolveReport {
    let result: EmbeddedModelSolve.Result
    let plan: EmbeddingPlan
    /// The --model file.
    let modelFile: String
    /// With --surrogate: where the best solution came from and how many solutions were judged.
    var search: (source: String, solutions: Int)?

    /// The format name of the JSON form, which `check --point` reads back.
    static let format = "nnmip-embedded-solution-1"

    /// `maximize (the model file)`: the sense applied and where it came from.
    var senseText: String {
        "\(plan.base.sense == .maximize ? "maximize" : "minimize") (\(plan.objectiveOrigin))"
    }

    /// The numbers of both forms, as JSON text (`null` where there is none).
    private var scalars: [(String, String)] {
        let check = result.check
        return [
            ("objective", jsonNumber(result.objective)),
            ("bound", jsonNumber(result.bound)),
            ("gap", jsonNumber(result.gap)),
            ("seconds", secondsText(result.seconds, decimals: 3)),
            ("nodes", "\(result.nodes)"),
            ("network_objective", jsonNumber(check?.objective)),
            ("output_difference", jsonNumber(check?.instances.map(\.outputDifference).max())),
        ]
    }

    var text: String {
        var lines = ["status: \(SolveReport.statusText(result.status, gap: result.gap))", "sense: \(senseText)"]
        lines += scalars.map { "\($0.0): \($0.1 == "null" ? "-" : $0.1)" }
        if let search { lines += ["source: \(search.source)", "solutions: \(search.solutions)"] }
        if let check = result.check {
            lines += EmbeddedCheckText(check).lines
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        var object = JSONObject()
        object.add("format", string: Self.format)
        object.add("model", string: modelFile)
        object.add("status", string: result.status.rawValue)
        object.add("solver_status", string: "\(result.solverStatus)")
        object.add("sense", string: plan.base.sense == .maximize ? "maximize" : "minimize")
        object.add("sense_origin", string: "\(plan.objectiveOrigin)")
        for (name, value) in scalars { object.add(name, json: value) }
        if let search {
            object.add("source", string: search.source)
            object.add("solutions", json: "\(search.solutions)")
        }
        if let check = result.check, let values = result.values {
            EmbeddedCheckText(check).addFields(to: &object)
            var columns = JSONObject()
            for (c, name) in plan.base.columnNames.enumerated() { columns.add(name, number: values[c]) }
            object.add("columns", json: columns.inline)
            object.add("networks", json: EmbeddedCheckText(check).instancesJSON)
        }
        return object.pretty
    }
}

/// The lines and JSON fields that judge a point of a model with embedded networks, shared by
/// `solve --model` and `check --model`.
struct EmbeddedCheckText {
    let check: EmbeddedSolutionCheck

    init(_ check: EmbeddedSolutionCheck) {
        self.check = check
    }

    /// `largest_violation: 1e-09 (row 'budget')`, or 0.
    var violationText: String {
        check.largestViolation.map { "\($0.amount) (\($0.place))" } ?? "0"
    }

    /// The text report's lines: the largest violation, whether the point holds, and each instance's output difference.
    var lines: [String] {
        ["largest_violation: \(violationText)", "check: \(check.holds ? "passed" : "failed")"]
            + check.instances.map { "output_difference \($0.name): \($0.outputDifference)" }
    }

    /// Adds `largest_violation` ({amount, place} or null) and `check` to a JSON report.
    func addFields(to object: inout JSONObject) {
        if let violation = check.largestViolation {
            var field = JSONObject()
            field.add("amount", number: violation.amount)
            field.add("place", string: violation.place)
            object.add("largest_violation", json: field.inline)
        } else {
            object.add("largest_violation", json: "null")
        }
        object.add("check", string: check.holds ? "passed" : "failed")
    }

    /// Each instance as a JSON object: name, inputs, its network's outputs, the point's output values and their difference.
    var instancesJSON: String {
        "[" + check.instances.map { instance in
            var object = JSONObject()
            object.add("name", string: instance.name)
            object.add("inputs", json: vectorText(instance.inputs))
            object.add("outputs", json: vectorText(instance.networkOutputs))
            object.add("milp_outputs", json: vectorText(instance.pointOutputs))
            object.add("output_difference", number: instance.outputDifference)
            return "\n    " + object.inline
        }.joined(separator: ",") + "\n  ]"
    }
}
