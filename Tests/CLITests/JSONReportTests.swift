import Foundation
import Testing
import TestSupport

/// `verify --format json` and `solution read --format json` (issue 14, section 5), run as a user runs
/// them: the JSON parses, has the fields its schema in schemas/ documents and nothing else, and says
/// what the text form says.
@Suite struct JSONReportTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `text` parsed by JSONSerialization, for the schema check (its numbers may be 1 ulp off).
    private func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// `verify --format json`, decoded with JSONDecoder, which reads every number back exactly.
    struct VerifyReport: Decodable {
        struct Counterexample: Decodable {
            var inputs: [String: [Double]]
            var outputs: [String: [Double]]
        }
        var result: String
        var stage: String
        var reason: String
        var seconds: Double
        var counterexample: Counterexample?
    }

    /// `solution read --format json`, decoded with JSONDecoder.
    struct SolutionReport: Decodable {
        var format: String
        var status: String?
        var objective: Double?
        var inputs: [String: [Double]]
        var outputs: [String: [Double]]
        var file_outputs: [String: [Double]]
        var output_difference: Double
        var check: String
        var failure: String?
    }

    /// A VNN-LIB property over mlp_2x8's 4 inputs in [lo, hi], asking for `output`.
    private func property(_ folder: URL, _ name: String, lo: Double, hi: Double, output: String) throws -> String {
        let inputs = (0..<4).map { "(declare-const X_\($0) Real)\n(assert (>= X_\($0) \(lo)))\n(assert (<= X_\($0) \(hi)))" }
        let text = inputs.joined(separator: "\n") + "\n" + (0..<3).map { "(declare-const Y_\($0) Real)" }.joined(separator: "\n")
            + "\n(assert \(output))\n"
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A sat property (the box center is a counterexample): the JSON gives the answer of the text's first
    /// line, and its counterexample is the text's X_i and Y_i, by name and in order.
    @Test(.needsHiGHS) func verifysJSONSaysWhatItsTextSays() throws {
        let property = "fixtures/specs/mlp_2x8.robustness.vnnlib"
        // One thread, so that runs repeat: with two, the attack beside the stages may find another counterexample first.
        let text = try Tool.nnmip(["verify", model, property, "--quiet", "--threads", "1"])
        let json = try Tool.nnmip(["verify", model, property, "--quiet", "--threads", "1", "--format", "json"])
        #expect(text.status == 0 && json.status == 0, "\(text.stderr)\(json.stderr)")
        #expect(json.stdout.hasSuffix("}\n") && json.stdout.filter { $0 == "\n" }.count == 1, "one object on one line: \(json.stdout)")
        let problems = try JSONSchema("verify.schema.json").problems(try object(json.stdout))
        #expect(problems.isEmpty, "\(problems)")
        let report = try JSONDecoder().decode(VerifyReport.self, from: Data(json.stdout.utf8))
        #expect(report.result == "sat" && text.stdout.hasPrefix("sat\n"), "\(json.stdout)\n\(text.stdout)")
        #expect(report.stage == "sampling" && report.reason == "the box center", "\(json.stdout)")

        let (x, y) = VerifyCommandTests.counterexample(text.stdout)
        #expect(report.counterexample?.inputs == ["X": x] && report.counterexample?.outputs == ["Y": y], "\(json.stdout)\n\(text.stdout)")
        // --out keeps VNN-COMP's text format whatever --format prints.
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("result.txt").path
        _ = try Tool.nnmip(["verify", model, property, "--quiet", "--threads", "1", "--format", "json", "--out", out])
        #expect(try String(contentsOfFile: out, encoding: .utf8) == text.stdout)
    }

    /// An output the bounds rule out over a small box: unsat by the bounds stage, with no counterexample.
    @Test(.needsHiGHS) func anUnsatAnswerNamesTheBoundsStage() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let unreachable = try property(folder, "p.vnnlib", lo: -0.1, hi: 0.1, output: "(>= Y_0 1000)")
        let json = try Tool.nnmip(["verify", model, unreachable, "--quiet", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(try JSONSchema("verify.schema.json").problems(try object(json.stdout)).isEmpty, "\(json.stdout)")
        let report = try JSONDecoder().decode(VerifyReport.self, from: Data(json.stdout.utf8))
        #expect(report.result == "unsat" && report.stage == "bounds" && report.reason == "bounds", "\(json.stdout)")
        #expect(report.counterexample == nil && json.stdout.contains(#""counterexample": null"#), "\(json.stdout)")
    }

    /// The variables of `names.json` for the first input and the first output.
    private func variables(_ names: String) throws -> (inputs: [String], outputs: [String]) {
        let map = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: names))) as? [String: Any])
        func first(_ key: String) -> [String] { ((map[key] as? [[String: Any]])?.first?["variables"] as? [String]) ?? [] }
        return (first("inputs"), first("outputs"))
    }

    /// HiGHS's own solution of the compiled MPS, read back as text and as JSON: the two agree, the JSON
    /// fits its schema, and a solution outside the box is reported as failed in JSON too (exit 2).
    @Test(.needs(.highs)) func solutionReadsJSONSaysWhatItsTextSays() throws {
        try Solver.highs.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mps = folder.appendingPathComponent("m.mps").path, names = folder.appendingPathComponent("names.json").path
        let solution = folder.appendingPathComponent("m.sol").path, options = folder.appendingPathComponent("h.options").path
        let compiled = try Tool.nnmip(["compile", model, "--input-box", "-1:1", "--maximize", "y1 - 2*y2", "-o", mps, "--names", names])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        try "log_file = \"\(folder.appendingPathComponent("h.log").path)\"\n".write(toFile: options, atomically: true, encoding: .utf8)
        let ran = try Tool.run(Solver.highs.executable, ["--model_file", mps, "--solution_file", solution, "--options_file", options])
        #expect(ran.status == 0, "\(ran.stdout)\(ran.stderr)")

        let text = try Tool.nnmip(["solution", "read", solution, "--names", names])
        let json = try Tool.nnmip(["solution", "read", solution, "--names", names, "--format", "json"])
        #expect(text.status == 0 && json.status == 0, "\(text.stderr)\(json.stderr)")
        let schema = try JSONSchema("solution-read.schema.json")
        let problems = schema.problems(try object(json.stdout))
        #expect(problems.isEmpty, "\(problems)")
        let report = try JSONDecoder().decode(SolutionReport.self, from: Data(json.stdout.utf8))
        let fields = textFields(text.stdout)
        #expect(report.format == fields["format"] && report.status == fields["status"], "\(json.stdout)\n\(text.stdout)")
        #expect(report.objective == Double(fields["objective"] ?? "") && report.output_difference == Double(fields["output_difference"] ?? ""),
                "\(json.stdout)\n\(text.stdout)")
        #expect(report.check == "passed" && fields["check"] == "passed" && report.failure == nil)
        let inputs = try #require(report.inputs["X"]), outputs = try #require(report.outputs["Y"])
        #expect(fields["input X"] == "\(inputs)" && fields["output Y"] == "\(outputs)", "\(json.stdout)\n\(text.stdout)")
        #expect(report.file_outputs["Y"]?.count == 3)

        // The same point with x0 moved outside [-1, 1], as a Gurobi .sol: printed, failed, and exit 2.
        var moved = inputs
        moved[0] = 1.5
        let evaluated = try Tool.nnmip(["eval", model, "--input", "-"], stdin: "\(moved)")
        let (inputNames, outputNames) = try variables(names)
        let values = moved.map { "\($0)" } + evaluated.stdout.split(separator: "\n").map(String.init)
        let outside = folder.appendingPathComponent("outside.sol").path
        let lines = ["# Objective value = 0"] + zip(inputNames + outputNames, values).map { "\($0) \($1)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: outside, atomically: true, encoding: .utf8)
        let failed = try Tool.nnmip(["solution", "read", outside, "--names", names, "--format", "json"])
        #expect(failed.status == 2, "\(failed.status) \(failed.stderr)")
        #expect(schema.problems(try object(failed.stdout)).isEmpty, "\(failed.stdout)")
        let failure = try JSONDecoder().decode(SolutionReport.self, from: Data(failed.stdout.utf8))
        #expect(failure.check == "failed" && failure.inputs["X"] == moved, "\(failed.stdout)")
        let why = try #require(failure.failure)
        #expect(why.contains(outside) && failed.stderr.contains(why), "the JSON gives the error's message: \(why)\n\(failed.stderr)")
    }
}
