import Foundation
import NNMIPKit
import Testing
import TestSupport

/// `nnmip prune` as a user runs it: the ONNX file it writes computes, in onnxruntime,
/// what the pruned IR computes; the pruning is what was asked; errors leave no file.
@Suite struct PruneCommandTests {
    /// The committed exports (see scripts/fixtures/make_export_fixtures.py): name → source and flags.
    static let exports: [(String, String, [String])] = [
        ("mlp_2x8.prune80", "onnx/mlp_2x8.onnx", ["--sparsity", "0.8"]),
        ("small_cnn.prune50_global", "onnx/small_cnn.onnx", ["--sparsity", "0.5", "--scope", "global"]),
        ("nhwc_cnn.prune50_random", "onnx/nhwc_cnn.onnx", ["--sparsity", "0.5", "--method", "random", "--seed", "3"]),
        ("multi_output.structured50", "onnx/multi_output.onnx", ["--sparsity", "0.5", "--structured"]),
        ("maxpool_ceil_mode.prune0", "onnx/maxpool_ceil_mode.onnx", ["--sparsity", "0"]),
        ("avgpool_count_include_pad1.prune0", "onnx/avgpool_count_include_pad1.onnx", ["--sparsity", "0"]),
        ("leaky_relu_alpha02.prune50", "onnx/leaky_relu_alpha02.onnx", ["--sparsity", "0.5"]),
        ("normalize_per_channel.prune50", "onnx/normalize_per_channel.onnx", ["--sparsity", "0.5"]),
        ("pad_constant_opset11.prune0", "onnx/pad_constant_opset11.onnx", ["--sparsity", "0"]),
    ]

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-prune-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Evaluates `graph` on the inputs of every case of `expected`, outputs concatenated in the graph's order.
    private func outputs(of graph: Graph, on expected: ExpectedOutputs) throws -> [[Double]] {
        let evaluator = Evaluator(graph: graph)
        return try expected.cases.map { c in
            try evaluator.evaluate(inputs: graph.inputs.map { c.inputs[graph.inputName($0)!] ?? [] }).flatMap { $0 }
        }
    }

    @Test(arguments: exports)
    func theWrittenONNXComputesWhatThePrunedIRComputes(name: String, source: String, flags: [String]) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let onnxPath = folder.appendingPathComponent("pruned.onnx").path
        let irPath = folder.appendingPathComponent("pruned.nnir").path
        for path in [onnxPath, irPath] {
            let result = try Tool.nnmip(["prune", Paths.fixture(source)] + flags + ["-o", path])
            #expect(result.status == 0, "\(result.stderr)")
        }
        // The file is the committed one, byte for byte (deterministic output)...
        let committed = Paths.fixture("exported/\(name).onnx")
        #expect(try Data(contentsOf: URL(fileURLWithPath: onnxPath)) == Data(contentsOf: URL(fileURLWithPath: committed)),
                "nnmip prune no longer writes \(committed); rerun scripts/fixtures/make_export_fixtures.py if that is intended")
        // ...onnxruntime's outputs for it equal the pruned IR's, evaluated by nnmip in Float64...
        let expected = try ExpectedOutputs.load(committed + ".expected.json")
        let outputNames = expected.outputs.map(\.name)
        let onnxruntime = expected.cases.map { c in outputNames.flatMap { c.outputs[$0] ?? [] } }
        let prunedIR = try ModelLoader.load(irPath).graph
        #expect(prunedIR.outputs.map(\.name) == outputNames)
        for (actual, reference) in zip(try outputs(of: prunedIR, on: expected), onnxruntime) {
            let mismatch = firstMismatch(actual, reference, relative: 1e-5)
            #expect(mismatch == nil, "\(name): \(mismatch ?? "")")
        }
        // ...and nnmip reads the file back to the same function.
        let reread = try ModelLoader.load(onnxPath).graph
        for (actual, reference) in zip(try outputs(of: reread, on: expected), onnxruntime) {
            #expect(firstMismatch(actual, reference, relative: 1e-5) == nil)
        }
    }

    /// Writes the fixture `model` as ONNX with `prune --sparsity 0` and checks that the written file,
    /// read back by the ONNX front end, computes the fixture's expected outputs.
    func expectWrittenONNXComputesTheExpectedOutputs(_ model: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("written.onnx").path
        let result = try Tool.nnmip(["prune", Paths.fixture(model), "--sparsity", "0", "-o", path])
        #expect(result.status == 0, "\(result.stderr)")
        let graph = try ModelLoader.load(path).graph
        let expected = try ExpectedOutputs.load(Paths.fixture("\(model).expected.json"))
        for (actual, c) in zip(try outputs(of: graph, on: expected), expected.cases) {
            let mismatch = firstMismatch(actual, expected.outputs.flatMap { c.outputs[$0.name] ?? [] }, relative: 1e-5)
            #expect(mismatch == nil, "\(model): \(mismatch ?? "")")
        }
    }

    /// A Keras model written as ONNX without pruning still computes Keras's own predictions (read back by
    /// the ONNX front end, whose outputs are checked against onnxruntime elsewhere).
    @Test(arguments: ["func_cnn_add_concat.keras", "cnn_sequential.keras2.h5", "cnn_channels_first.keras", "pwl_dense_merges.keras",
                      "pwl_sequence.keras2.h5"])
    func kerasModelsConvertToONNX(model: String) throws {
        try expectWrittenONNXComputesTheExpectedOutputs("keras/" + model)
    }

    /// The PyTorch exports with Clip, PRelu, Abs, Max, Min, the reductions, Resize, Split, Tile and
    /// Expand: what `prune` writes back (in the IR's operations) still computes onnxruntime's outputs.
    @Test(arguments: ["clip_family.onnx", "prelu.legacy.onnx", "abs_max_min.onnx", "reductions.legacy.onnx", "maxout_mean.onnx",
                      "hardsigmoid.onnx", "upsample_global_max.onnx", "split_tile_expand.legacy.onnx"])
    func piecewiseLinearOperatorsAreWrittenBackExactly(model: String) throws {
        try expectWrittenONNXComputesTheExpectedOutputs("torch/" + model)
    }

    @Test func theFileKeepsTheAskedFractionOfWeightsAndStatsSayWhich() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("p.onnx").path
        let result = try Tool.nnmip(["prune", "fixtures/onnx/mlp_2x8.onnx", "--sparsity", "0.75", "-o", path, "--stats", "layers"])
        #expect(result.status == 0, "\(result.stderr)")
        // A quarter of every layer's weights is kept (rounded up), and --stats layers names each layer.
        let original = try ModelLoader.load("fixtures/onnx/mlp_2x8.onnx").graph
        let pruned = try ModelLoader.load(path).graph
        func nonzeros(_ graph: Graph) -> [Int] {
            graph.nodes.compactMap { node -> Int? in
                guard case .affine(let affine) = node.operation else { return nil }
                switch affine.weights {
                case .dense(_, _, let values): return values.filter { $0 != 0 }.count
                case .sparse(let m): return m.values.filter { $0 != 0 }.count
                }
            }
        }
        let before = nonzeros(original), after = nonzeros(pruned)
        #expect(before.count == 3 && after.count == 3)
        for (total, kept) in zip(before, after) {
            #expect(kept == total - Int((0.75 * Double(total)).rounded(.down)))
            #expect(result.stderr.contains("kept \(kept) of \(total) weights"), "\(result.stderr)")
        }
        #expect(result.stderr.contains("kept \(after.reduce(0, +)) of \(before.reduce(0, +)) weights (magnitude pruning, per layer, sparsity 0.75)"))
        #expect(result.stderr.contains("(fc1): kept"))
        // --stats alone (summary) gives the total only.
        let summary = try Tool.nnmip(["prune", "fixtures/onnx/mlp_2x8.onnx", "--sparsity", "0.75", "-o", path, "--stats"])
        #expect(summary.status == 0 && summary.stderr == "prune: kept \(after.reduce(0, +)) of \(before.reduce(0, +)) weights (magnitude pruning, per layer, sparsity 0.75)\n",
                "\(summary.stderr)")
    }

    @Test func badRequestsExitWithTheDocumentedStatusAndWriteNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = "fixtures/onnx/mlp_2x8.onnx"
        let cases: [([String], Int32, String)] = [
            ([model, "-o", "x.onnx"], 64, "--sparsity"),
            ([model, "--sparsity", "1", "-o", "x.onnx"], 64, "[0, 1)"),
            ([model, "--sparsity", "0.5", "--method", "largest", "-o", "x.onnx"], 64, "'magnitude' or 'random'"),
            ([model, "--sparsity", "0.5", "--structured", "--scope", "global", "-o", "x.onnx"], 64, "--scope has no effect here: --structured ranks neurons"),
            ([model, "--sparsity", "0.5", "-o", "x.txt"], 64, "writes .onnx (ONNX) or .nnir"),
            ([model, "--passes", "prune{sparsity=2}", "-o", "x.onnx"], 64, "below 1"),
            (["fixtures/onnx/none.onnx", "--sparsity", "0.5", "-o", "x.onnx"], 66, "none.onnx"),
            (["fixtures/onnx/softmax_tail.onnx", "--sparsity", "0.5", "-o", "x.onnx"], 1, "Softmax"),
            ([model, "--sparsity", "0.5", "-o", "/nonexistent-folder/x.onnx"], 73, "x.onnx"),
        ]
        for (arguments, status, message) in cases {
            let output = arguments.map { $0.hasPrefix("x.") ? folder.appendingPathComponent($0).path : $0 }
            let result = try Tool.nnmip(["prune"] + output)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
