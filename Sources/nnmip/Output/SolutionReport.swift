import NNMIPKit

/// What `solution read` prints, as text or JSON (`schemas/solution-read.schema.json`).
struct SolutionReport {
    let file: SolutionFile
    let map: NameMapFile
    let check: SolutionCheck

    /// `passed`, or `failed` when the check rejected the solution (the error that follows says why).
    private var verdict: String { check.failure == nil ? "passed" : "failed" }

    var text: String {
        var lines = ["format: \(file.format)", "status: \(file.status ?? "-")", "objective: \(file.objective.map { "\($0)" } ?? "-")"]
        lines += zip(map.inputs, check.inputs).map { "input \($0.name): \(vectorText($1))" }
        lines += zip(map.outputs, check.networkOutputs).map { "output \($0.name): \(vectorText($1))" }
        lines.append("output_difference: \(check.outputDifference)")
        lines.append("check: \(verdict)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same fields, with the file's own output values beside the network's and, when the check
    /// failed, its reason (the message the error gives).
    var json: String {
        var object = JSONObject()
        object.add("format", string: file.format)
        object.add("status", string: file.status)
        object.add("objective", number: file.objective)
        object.add("inputs", json: jsonVectors(map.inputs.map(\.name), check.inputs))
        object.add("outputs", json: jsonVectors(map.outputs.map(\.name), check.networkOutputs))
        object.add("file_outputs", json: jsonVectors(map.outputs.map(\.name), check.fileOutputs))
        object.add("output_difference", number: check.outputDifference)
        object.add("check", string: verdict)
        object.add("failure", string: check.failure.map { "\($0)" })
        return object.pretty
    }
}
