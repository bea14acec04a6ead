/// What `verify --instances` writes: one record per instance that ran, in the list's order, as CSV
/// (`onnx,vnnlib,result,seconds,reason`) or as JSON Lines, one object per line
/// (`schemas/verify.schema.json`, `$defs/instance`).
struct InstanceResults {
    /// How one instance ended.
    struct Outcome {
        /// The worker's answer (sat, unsat, timeout, unknown), or what happened to it: `error` (it
        /// failed, or printed no answer), `interrupted` (SIGINT or SIGTERM stopped the run first),
        /// `timeout` (it overran its timeout by `InstanceRunner.grace` and was stopped).
        var result: String
        /// Wall-clock seconds of the worker process.
        var seconds: Double
        /// Why: the worker's own reason for its answer, the first line of its error (naming the file
        /// and the place), or how it was stopped.
        var reason: String
        /// The worker's `verify --format json` object, on one line, when it printed one.
        var report: String?
    }

    let records: [(instance: InstanceRunner.Instance, outcome: Outcome)]

    /// A header, then one row per record; the reason is quoted as CSV quotes (RFC 4180) when it holds
    /// a comma, a quote or a line break. It is the last column, so `cut -d, -f1-4` keeps the four others.
    var csv: String {
        let rows = records.map { record in
            [record.instance.written, record.outcome.result, secondsText(record.outcome.seconds, decimals: 2),
             Self.csvField(record.outcome.reason)].joined(separator: ",")
        }
        return (["onnx,vnnlib,result,seconds,reason"] + rows).joined(separator: "\n") + "\n"
    }

    /// One JSON object per line: the instance's paths as listed, its timeout, result, seconds and
    /// reason as in the CSV, and `verify`, the worker's own JSON object (null when it printed none).
    var jsonLines: String {
        records.map { record in
            var object = JSONObject()
            object.add("onnx", string: record.instance.listed.onnx)
            object.add("vnnlib", string: record.instance.listed.vnnlib)
            object.add("timeout", number: record.instance.timeout)
            object.add("result", string: record.outcome.result)
            object.add("seconds", json: secondsText(record.outcome.seconds, decimals: 2))
            object.add("reason", string: record.outcome.reason)
            object.add("verify", json: record.outcome.report ?? "null")
            return object.inline + "\n"
        }.joined()
    }

    /// `text` as one CSV field.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
