import NNMIPKit

/// What `verify` prints for one instance: VNN-COMP's result text, or one JSON object on one line
/// (`schemas/verify.schema.json`), so that the answers of many runs gather into JSON Lines.
struct VerifyReport {
    let result: VerificationResult
    let graph: Graph
    /// The outputs (by position) whose final Softmax or LogSoftmax was verified on its logits: the
    /// counterexample shows them normalized, as the model computes them.
    var normalizedOutputs: [Int: OutputNormalization] = [:]

    init(result: VerificationResult, graph: Graph) {
        self.result = result
        self.graph = graph
    }

    /// The counterexample, with the model's own outputs.
    var counterexample: Counterexample? {
        result.counterexample.map { inputs, outputs in
            (inputs, outputs.enumerated().map { t, values in normalizedOutputs[t]?.apply(values) ?? values })
        }
    }

    /// The VNN-COMP result: the answer, then for sat every input and output value.
    var text: String {
        var text = result.answer.rawValue + "\n"
        if let (inputs, outputs) = counterexample {
            let entries = inputs.joined().enumerated().map { "(X_\($0) \($1))" } + outputs.joined().enumerated().map { "(Y_\($0) \($1))" }
            text += "(" + entries.joined(separator: "\n ") + ")\n"
        }
        return text
    }

    /// The answer, the stage that gave it, why, the seconds and the counterexample (null unless sat).
    var json: String {
        var object = JSONObject()
        object.add("result", string: result.answer.rawValue)
        object.add("stage", string: result.stage.rawValue)
        object.add("reason", string: result.reason)
        object.add("seconds", json: secondsText(result.seconds, decimals: 3))
        if let (inputs, outputs) = counterexample {
            var counterexample = JSONObject()
            counterexample.add("inputs", json: jsonVectors(graph.inputs.map { graph.inputName($0) ?? "?" }, inputs))
            counterexample.add("outputs", json: jsonVectors(graph.outputs.map(\.name), outputs))
            object.add("counterexample", json: counterexample.inline)
        } else {
            object.add("counterexample", json: "null")
        }
        return object.inline + "\n"
    }
}
