import NNMIPKit

/// What `solve` prints, as text or JSON.
struct SolveReport {
    let result: SolveResult
    let graph: Graph
    let spec: Spec

    /// The objective evaluated on the network's own outputs at the solution.
    var networkObjective: Double? {
        guard let point = result.point, let objective = spec.objective else { return nil }
        return objective.expression.value(inputs: point.inputs, outputs: point.networkOutputs)
    }

    private var scalars: [(String, String)] {
        func number(_ value: Double?) -> String { value.map { $0.isFinite ? "\($0)" : "null" } ?? "null" }
        return [
            ("objective", number(result.objective)),
            ("bound", number(result.bound)),
            ("gap", number(result.gap)),
            ("seconds", secondsText(result.seconds, decimals: 3)),
            ("nodes", "\(result.nodes)"),
            ("network_objective", number(networkObjective)),
            ("output_difference", number(result.point?.outputDifference)),
        ]
    }

    /// The status as the text report says it: `feasible` names its gap, `feasible (gap 0.41)`
    /// (JSON keeps the two apart, in `status` and `gap`).
    var statusText: String {
        guard result.status == .feasible, let gap = result.gap, gap.isFinite else { return result.status.rawValue }
        return "\(result.status.rawValue) (gap \(String(format: "%.4g", gap)))"
    }

    var text: String {
        var lines = ["status: \(statusText)"]
        lines += scalars.map { "\($0.0): \($0.1 == "null" ? "-" : $0.1)" }
        if let point = result.point {
            for (input, values) in zip(graph.inputs, point.inputs) { lines.append("input \(graph.inputName(input) ?? "?"): \(vectorText(values))") }
            for (output, values) in zip(graph.outputs, point.networkOutputs) { lines.append("output \(output.name): \(vectorText(values))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        var fields = ["\"status\": \"\(result.status.rawValue)\"", "\"solver_status\": \"\(result.solverStatus)\""]
        fields += scalars.map { "\"\($0.0)\": \($0.1)" }
        if let point = result.point {
            let inputNames = graph.inputs.map { graph.inputName($0) ?? "?" }, outputNames = graph.outputs.map(\.name)
            fields.append("\"inputs\": \(jsonVectors(inputNames, point.inputs))")
            fields.append("\"outputs\": \(jsonVectors(outputNames, point.networkOutputs))")
            fields.append("\"milp_outputs\": \(jsonVectors(outputNames, point.milpOutputs))")
        }
        return "{\n  " + fields.joined(separator: ",\n  ") + "\n}\n"
    }
}
