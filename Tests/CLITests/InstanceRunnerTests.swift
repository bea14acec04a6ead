import Foundation
import Testing
import TestSupport

/// `verify --instances` on lists of fixtures (issue 14, section 5): an instance that fails says why in
/// both formats, the JSON Lines say what the CSV says, and SIGINT or SIGTERM stops the run with the
/// results so far written, the instance in progress `interrupted`.
@Suite(.serialized) struct InstanceRunnerTests {
    /// A list in a fresh folder: a sat instance, a property file that does not exist, a property that
    /// names an input element mlp_2x8 lacks, and (with `hardTimeout`) small_cnn with a property neither
    /// sampling nor the bounds decide, whose MILP runs for minutes; then the sat instance again.
    private func list(hardTimeout: Int? = nil) throws -> (folder: URL, list: String, rows: [(String, String)]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-instances-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["onnx/mlp_2x8.onnx", "onnx/small_cnn.onnx", "specs/mlp_2x8.robustness.vnnlib"] {
            try FileManager.default.copyItem(atPath: Paths.fixture(file), toPath: folder.appendingPathComponent(URL(fileURLWithPath: file).lastPathComponent).path)
        }
        try "(declare-const X_0 Real)\n(assert (<= X_9 1))\n".write(to: folder.appendingPathComponent("bad.vnnlib"), atomically: true, encoding: .utf8)
        let box = (0..<64).map { "(declare-const X_\($0) Real)\n(assert (>= X_\($0) 0))\n(assert (<= X_\($0) 1))" }.joined(separator: "\n")
        let outputs = (0..<3).map { "(declare-const Y_\($0) Real)" }.joined(separator: "\n")
        try "\(box)\n\(outputs)\n(assert (>= Y_0 2.5))\n".write(to: folder.appendingPathComponent("hard.vnnlib"), atomically: true, encoding: .utf8)
        var rows = [("mlp_2x8.onnx", "mlp_2x8.robustness.vnnlib"), ("mlp_2x8.onnx", "missing.vnnlib"), ("mlp_2x8.onnx", "bad.vnnlib")]
        var text = rows.map { "\($0.0),\($0.1),30" }
        if let hardTimeout {
            rows.append(("small_cnn.onnx", "hard.vnnlib"))
            text.append("small_cnn.onnx,hard.vnnlib,\(hardTimeout)")
        }
        rows.append(rows[0])
        text.append(text[0])
        let list = folder.appendingPathComponent("instances.csv").path
        try (text.joined(separator: "\n") + "\n").write(toFile: list, atomically: true, encoding: .utf8)
        return (folder, list, rows)
    }

    /// The rows of a results CSV, each split into its five fields (the last, the reason, unquoted).
    static func csvRows(_ text: String) -> [[String]] {
        text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            guard var reason = fields.last, reason.hasPrefix("\"") else { return fields }
            reason = String(reason.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
            return fields.dropLast() + [reason]
        }
    }

    /// The JSON Lines of `text`, each parsed.
    static func jsonRecords(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
    }

    @Test(.needsHiGHS) func failedInstancesSayWhyAndTheJSONLinesSayWhatTheCSVSays() throws {
        let (folder, list, rows) = try list()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = try Tool.nnmip(["verify", "--instances", list, "--jobs", "2"])
        let jsonl = try Tool.nnmip(["verify", "--instances", list, "--jobs", "2", "--format", "json"])
        #expect(csv.status == 0 && jsonl.status == 0, "\(csv.stderr)\(jsonl.stderr)")
        #expect(csv.stdout.hasPrefix("onnx,vnnlib,result,seconds,reason\n"), "\(csv.stdout)")
        let table = Self.csvRows(csv.stdout), records = try Self.jsonRecords(jsonl.stdout)
        #expect(table.count == rows.count && records.count == rows.count, "\(csv.stdout)\n\(jsonl.stdout)")
        let schema = try JSONSchema("verify.schema.json")
        for (k, (row, record)) in zip(table, records).enumerated() {
            let problems = schema.problems(record, against: schema.definition("instance"))
            #expect(problems.isEmpty, "line \(k + 1): \(problems)")
            #expect(row.count == 5 && row[0] == rows[k].0 && row[1] == rows[k].1, "\(row)")
            #expect(record["onnx"] as? String == rows[k].0 && record["vnnlib"] as? String == rows[k].1, "\(record)")
            #expect(record["result"] as? String == row[2] && record["reason"] as? String == row[4], "\(record) vs \(row)")
        }
        #expect(table[0][2] == "sat" && table[0][4] == "the box center", "\(table[0])")
        let worker = try #require(records[0]["verify"] as? [String: Any])
        #expect(worker["result"] as? String == "sat" && worker["counterexample"] is [String: Any], "\(worker)")
        // The missing file and the broken property: error, with the worker's first error line, which names the file.
        let missing = folder.appendingPathComponent("missing.vnnlib").path, bad = folder.appendingPathComponent("bad.vnnlib").path
        #expect(table[1][2] == "error" && table[1][4].contains(missing) && table[1][4].hasSuffix("(exit status 66)"), "\(table[1])")
        #expect(table[2][2] == "error" && table[2][4].contains("\(bad): line 2: 'X_9'") && table[2][4].hasSuffix("(exit status 65)"), "\(table[2])")
        #expect(records[1]["verify"] is NSNull && records[2]["verify"] is NSNull)
        #expect(csv.stderr.contains("error (\(table[2][4]))") && csv.stderr.contains("mlp_2x8.onnx,bad.vnnlib"), "the progress line says why too:\n\(csv.stderr)")
    }

    /// SIGINT (Ctrl-C) while small_cnn's MILP runs: the runner passes the stop on to the worker, which
    /// reports `interrupted`; the instances before it are written, the ones after it are not started,
    /// and the exit status is 130 (143 for SIGTERM, with the JSON Lines written to --results).
    @Test(.needsHiGHS, arguments: [(SIGINT, "text"), (SIGTERM, "json")])
    func aSignalStopsTheRunnerWithTheResultsSoFar(signal: Int32, format: String) throws {
        let (folder, list, _) = try list(hardTimeout: 300)
        defer { try? FileManager.default.removeItem(at: folder) }
        let results = folder.appendingPathComponent("results.\(format)").path
        let start = Date()
        let run = try Tool.nnmip(["verify", "--instances", list, "--jobs", "1", "--format", format, "--results", results], sending: signal, after: 4)
        let seconds = Date().timeIntervalSince(start)
        #expect(run.status == 128 + signal, "\(run.status)\n\(run.stderr)")
        #expect(seconds < 4 + 10, "the runner went on for \(seconds - 4) s after the signal")
        let written = try String(contentsOfFile: results, encoding: .utf8)
        let outcomes: [(result: String, reason: String)]
        if format == "json" {
            outcomes = try Self.jsonRecords(written).map { ($0["result"] as? String ?? "", $0["reason"] as? String ?? "") }
        } else {
            outcomes = Self.csvRows(written).map { ($0[2], $0[4]) }
        }
        #expect(outcomes.map(\.result) == ["sat", "error", "error", "interrupted"], "\(written)")
        #expect(outcomes.last?.reason == "interrupted by signal \(signal)", "\(written)")
        #expect(run.stderr.contains("[4/5] interrupted") && !run.stderr.contains("[5/5]"), "\(run.stderr)")
    }
}
