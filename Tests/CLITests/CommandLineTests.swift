import Foundation
import Testing
import TestSupport

/// The `nnmip` executable as a user runs it: output, exit statuses, files.
@Suite struct CommandLineTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"

    @Test func inspectShowsInterfaceAndSizes() throws {
        let result = try Tool.nnmip(["inspect", model])
        #expect(result.status == 0, "\(result.stderr)")
        for line in ["format: ONNX", "opset: 13", "  X [1, 4]", "  Y [1, 3]", "parameters: 139", "neurons: 19", "relus: 16"] {
            #expect(result.stdout.contains(line), "missing '\(line)' in:\n\(result.stdout)")
        }
        let json = try Tool.nnmip(["inspect", model, "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["relus"] as? Int == 16)
    }

    @Test func evalMatchesOnnxruntimeInTextAndJSON() throws {
        let expected = try ExpectedOutputs.load(Paths.fixture("onnx/mlp_2x8.onnx.expected.json"))
        let testCase = expected.cases[0]
        let input = "[" + (testCase.inputs["X"] ?? []).map(\.description).joined(separator: ",") + "]"
        let text = try Tool.nnmip(["eval", model, "--input", "-"], stdin: input)
        #expect(text.status == 0, "\(text.stderr)")
        let values = text.stdout.split(separator: "\n").compactMap { Double($0) }
        #expect(firstMismatch(values, testCase.outputs["Y"] ?? []) == nil, "\(text.stdout)")

        let json = try Tool.nnmip(["eval", model, "--input", "-", "--format", "json"], stdin: input)
        let object = try JSONDecoder().decode([String: [Double]].self, from: Data(json.stdout.utf8))
        #expect(object["Y"] == values)
    }

    @Test func emitIRWritesAFileThatReadsBackAndEvaluatesTheSame() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ir = dir.appendingPathComponent("model.nnir").path
        let first = try Tool.nnmip(["compile", "fixtures/onnx/small_cnn.onnx", "--emit-ir", "--ir-full-weights", "-o", ir])
        #expect(first.status == 0, "\(first.stderr)")
        let again = dir.appendingPathComponent("again.nnir").path
        #expect(try Tool.nnmip(["compile", ir, "--emit-ir", "--ir-full-weights", "-o", again]).status == 0)
        #expect(try String(contentsOfFile: ir, encoding: .utf8) == String(contentsOfFile: again, encoding: .utf8))

        let point = "[" + (0..<64).map { String(Double($0) / 64) }.joined(separator: ",") + "]"
        let fromONNX = try Tool.nnmip(["eval", "fixtures/onnx/small_cnn.onnx", "--input", "-"], stdin: point)
        let fromIR = try Tool.nnmip(["eval", ir, "--input", "-"], stdin: point)
        #expect(fromONNX.status == 0 && fromONNX.stdout == fromIR.stdout)
    }

    @Test func outputCutsTheGraphBeforeASoftmax() throws {
        let refused = try Tool.nnmip(["inspect", "fixtures/onnx/softmax_tail.onnx"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--output 'logits'"), "\(refused.stderr)")
        let cut = try Tool.nnmip(["inspect", "fixtures/onnx/softmax_tail.onnx", "--output", "logits"])
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stdout.contains("  logits [1, 3]"))
    }

    /// Exit statuses are documented in --help and the man page; each failure names the file.
    @Test(arguments: [
        (["inspect", "fixtures/bad/truncated.onnx"], Int32(65), "fixtures/bad/truncated.onnx"),
        (["inspect", "fixtures/bad/nan_weights.onnx"], 65, "fc1"),
        (["inspect", "fixtures/bad/unsupported_op.onnx"], 1, "'sin1' (Sin)"),
        (["inspect", "fixtures/does-not-exist.onnx"], 66, "fixtures/does-not-exist.onnx"),
        (["inspect", "fixtures/onnx/mlp_2x8.onnx", "--output", "nope"], 64, "no tensor named 'nope'"),
        (["inspect", "--frobnicate", "fixtures/onnx/mlp_2x8.onnx"], 64, "frobnicate"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx"], 64, "--input-box LO:HI"),
        (["eval", "fixtures/onnx/mlp_2x8.onnx", "--input", "fixtures/onnx/README.md"], 65, "not valid JSON"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--emit-ir", "-o", "/nonexistent-dir/out.nnir"], 73, "/nonexistent-dir/out.nnir"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--minimize", "y1"], 64, "give either --maximize or --minimize, not both"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--minimize", "y1"], 64, "give either --maximize or --minimize, not both"),
    ])
    func failuresHaveDocumentedStatusesAndNoStackTrace(arguments: [String], status: Int32, mentions: String) throws {
        let result = try Tool.nnmip(arguments)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(mentions), "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
    }

    /// Warnings go through the same printer as errors, and the command still succeeds.
    @Test func roundingForFixedMPSIsAWarning() throws {
        let result = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--maximize", "y0", "--mps-fixed", "-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("nnmip: warning: -: ") && result.stderr.contains("numbers were rounded to fit fixed MPS's 12-character fields"), "\(result.stderr)")
        #expect(result.stdout.contains("ROWS"))
    }

    @Test func aFailedCompileLeavesNoFileBehind() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out.nnir").path
        let result = try Tool.nnmip(["compile", "fixtures/bad/shape_mismatch.onnx", "--emit-ir", "-o", out])
        #expect(result.status == 65)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }
}
