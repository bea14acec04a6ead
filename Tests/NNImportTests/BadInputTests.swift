import Foundation
import NNImport
import NNIR
import Testing
import TestSupport

/// Broken files (fixtures/bad, see its README): each must give a diagnostic
/// of the right kind naming the file and the place, never a crash or a hang.
@Suite struct BadInputTests {
    @Test(arguments: [
        ("truncated.onnx", FailureKind.malformedInput, ["does not parse"]),
        ("random_bytes.onnx", .malformedInput, ["does not parse"]),
        ("empty.onnx", .malformedInput, ["empty"]),
        ("dangling_input.onnx", .malformedInput, ["'fc2'", "relu_missing"]),
        ("shape_mismatch.onnx", .malformedInput, ["'fc1'", "Gemm", "4", "6"]),
        ("huge_tensor.onnx", .malformedInput, ["huge.weight", "1000000"]),
        ("nan_weights.onnx", .malformedInput, ["fc1", "nan"]),
        ("unsupported_op.onnx", .unsupported, ["'sin1'", "Sin"]),
        ("external_data_missing.onnx", .io, ["fc1.weight", "external_data_missing.bin"]),
        // issue 14: two writers of one tensor, a 0-sized dimension, an integer input, an unknown operator in a newer opset.
        ("duplicate_writer.onnx", .malformedInput, ["node 'fc1_again' (Gemm)", "node 'fc1' (Gemm)", "'h1'"]),
        ("zero_dim.onnx", .malformedInput, ["input 'X'", "[0, 4]", "dimension 0"]),
        ("int64_input.onnx", .unsupported, ["input 'X'", "INT64"]),
        ("unknown_op_newer_opset.onnx", .unsupported, ["node 'act1' (FutureActivation)", "'FutureActivation' is not supported"]),
        // issue 18: the piecewise-linear operators' limits.
        ("resize_cubic.onnx", .unsupported, ["node 'up_cubic' (Resize)", "mode 'cubic'", "modes 'nearest' and 'linear'"]),
        ("where_on_values.onnx", .unsupported, ["node 'sign' (Greater)", "not continuous"]),
        ("clip_computed_min.onnx", .unsupported, ["node 'clip_at_min' (Clip)", "must be a constant"]),
    ])
    func isRefusedWithAClearDiagnostic(name: String, kind: FailureKind, mentions: [String]) {
        let path = Paths.fixture("bad/\(name)")
        let error = #expect(throws: Diagnostic.self) { try ModelLoader.load(path) }
        #expect(error?.kind == kind, "\(name): \(String(describing: error))")
        #expect(error?.file == path, "\(name): the error must name the file")
        for word in mentions {
            #expect(error?.description.contains(word) == true, "\(name): '\(word)' missing from: \(String(describing: error))")
        }
    }

    /// IR versions and opsets newer than the tested ones are read when every operator is known (issue 14).
    @Test func newerVersionsWithKnownOperatorsAreRead() throws {
        let newer = try ModelLoader.load(Paths.fixture("onnx/newer_versions.onnx"))
        let original = try ModelLoader.load(Paths.fixture("onnx/mlp_2x8.onnx"))
        #expect(newer.properties.contains { $0 == ("opset", "99") }, "\(newer.properties)")
        let point: [[Double]] = [[0.1, -0.2, 0.3, 0.5]]
        #expect(try Evaluator(graph: newer.graph).evaluate(inputs: point) == Evaluator(graph: original.graph).evaluate(inputs: point))
    }

    @Test func aMissingFileIsAnIOError() {
        let error = #expect(throws: Diagnostic.self) { try ModelLoader.load("/nonexistent/model.onnx") }
        #expect(error?.kind == .io)
        #expect(error?.description.contains("/nonexistent/model.onnx") == true)
    }

    /// A name that says no model format leaves it to the content; content that is none is malformed input
    /// (exit 65), and the message says what the file starts with and lists the formats (issue 14).
    @Test func contentThatIsNoModelSaysWhatItIs() {
        let path = Paths.fixture("bad/README.md")
        let error = #expect(throws: Diagnostic.self) { try ModelLoader.load(path) }
        #expect(error?.kind == .malformedInput && error?.file == path)
        #expect(error?.message.contains(##"it starts with the text "# Bad ONNX inputs""##) == true, "\(String(describing: error))")
        #expect(error?.message.contains("ONNX (.onnx)") == true && error?.message.contains("nnmip IR (.nnir)") == true)
    }

    /// Every prefix of a valid model, and copies with bytes changed, must load or fail cleanly.
    @Test(arguments: ["small_cnn.onnx", "gemm_all_attrs.onnx", "conv_pads_strides_dilations.onnx", "pad_constant_opset11.onnx",
                      "dynamic_flatten_shape_chain.onnx", "nhwc_cnn.onnx", "maxpool_ceil_mode.onnx", "batchnorm_opset15.onnx",
                      // the piecewise-linear operators of issue 18: sizes, scales, axes and repeats come from the file
                      "clip_opset9_attributes.onnx", "variadic_max_min_sum_mean.onnx", "reduce_opset13_forms.onnx", "resize_modes.onnx",
                      "resize_linear_modes.onnx", "resize_opset10.onnx", "split_forms.onnx", "prelu_per_channel.onnx"])
    func damagedCopiesOfAValidModelNeverCrash(name: String) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("onnx/\(name)")))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-damaged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var generator = SplitMix64(seed: UInt64(name.utf8.count) &* 7919)
        var variants: [Data] = stride(from: 0, to: original.count, by: max(1, original.count / 97)).map { original.prefix($0) }
        for _ in 0..<200 {
            var copy = original
            for _ in 0..<3 { copy[Int(generator.next() % UInt64(copy.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            variants.append(copy)
        }
        for (i, bytes) in variants.enumerated() {
            let url = dir.appendingPathComponent("v\(i).onnx")
            try bytes.write(to: url)
            do {
                let loaded = try ModelLoader.load(url.path)
                try Verifier.verify(loaded.graph)
            } catch let diagnostic as Diagnostic {
                #expect(diagnostic.file == url.path)
            }
        }
    }
}
