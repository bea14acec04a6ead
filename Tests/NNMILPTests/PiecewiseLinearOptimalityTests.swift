import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The PyTorch exports of fixtures/torch (Clip, PRelu, Abs, Max, Min, the reductions, maxout,
/// HardSigmoid, Resize, Split, Tile, Expand, Concat of computed tensors), tf2onnx's of fixtures/tf2onnx, the fixtures of the
/// other ONNX forms of those operators and the Keras ones of the Keras layers, compiled with the default passes to maximize their first
/// output over their box: the highs binary's optimum is never beaten by 10,000 random inputs, and
/// the reference evaluator at the optimal input gives the optimum back. Both fail if a lowering
/// computes another function than the operator's, or if a pass removes a piece that was not stable.
@Suite(.serialized) struct PiecewiseLinearOptimalityTests {
    static let samples = 10_000

    /// The fixtures of fixtures/onnx in ONNX forms that the PyTorch exports do not use.
    static let otherForms = ["clip_opset9_attributes", "clip_min_omitted", "clip_top_unreachable", "variadic_max_min_sum_mean",
                             "global_max_pool", "reduce_opset13_forms", "resize_modes", "resize_linear_modes", "resize_opset10", "upsample_opset9", "prelu_per_channel",
                             "split_forms"]

    /// The Keras fixtures with ReLU(max_value, negative_slope), relu6, PReLU, the merges, Dense on a
    /// rank-2 value, Conv1D, 1-D and global pooling, in Keras 3's and Keras 2's files.
    static let kerasFiles = ["pwl_dense_merges", "pwl_sequence", "pwl_image_global"].flatMap { ["keras/\($0).keras", "keras/\($0).keras2.h5"] }

    @Test(.needs(.highs)) func noRandomInputBeatsTheOptimumAndTheOptimumIsReal() throws {
        try Solver.highs.require()
        // (The smooth activations' exports have tests of their own: SmoothActivationOptimalityTests.)
        let cases = try NetworkCase.fixtures().filter { item in
            (item.name.hasPrefix("fixtures/torch/") || item.name.hasPrefix("fixtures/tf2onnx/")
                || Self.otherForms.contains { item.name == "fixtures/onnx/\($0).onnx" }) && GraphSummary(item.graph).smoothUnits == 0
        } + Self.kerasFiles.map(NetworkCase.fixture)
        #expect(cases.count >= 16 + 2 + Self.otherForms.count + Self.kerasFiles.count)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-pwl-optimality-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for item in cases {
            let formulation = try Compilation.formulate(item.graph, spec: item.spec)
            let path = scratch.appendingPathComponent("model.mps").path
            try MILPFileFormat.mps.write(formulation.model, to: path, naming: .readable, comments: [])
            let solution = try Solver.highs.solve(path, timeLimit: 120)
            guard solution.optimal else {
                Issue.record("\(item.name): HiGHS ended with '\(solution.status)'")
                continue
            }
            let names = formulation.model.columnNames(.readable)
            let optimum = try #require(solution.values[names[formulation.names.outputs[0].columns[0]]])
            let point = formulation.names.inputs.map { $0.columns.map { solution.values[names[$0]] ?? 0 } }
            let evaluator = Evaluator(graph: item.graph)
            let atOptimum = try evaluator.evaluate(inputs: point)[0][0]
            #expect(abs(atOptimum - optimum) <= 1e-6 * max(1, abs(optimum)), "\(item.name): MILP y0 \(optimum), evaluator \(atOptimum)")

            var generator = SplitMix64(seed: 23)
            var best = -Double.infinity
            for _ in 0..<Self.samples {
                let sample = item.box.map { b in zip(b.lower, b.upper).map { $0 + ($1 - $0) * generator.nextUnit() } }
                best = max(best, try evaluator.evaluate(inputs: sample)[0][0])
            }
            #expect(best <= optimum + 1e-6 * max(1, abs(optimum)), "\(item.name): a random input reaches \(best), beyond the MILP optimum \(optimum)")
        }
    }

    /// A Clip whose input never reaches its top over the box is a ReLU: its top piece is a stable
    /// ReLU, so the MILP has one binary per element, not two.
    @Test func aClipWhoseTopIsOutOfReachNeedsOneBinaryPerElement() throws {
        let item = try #require(try NetworkCase.fixtures().first { $0.name == "fixtures/onnx/clip_top_unreachable.onnx" })
        var spec = item.spec
        spec.inputBounds = [Bounds(lower: Array(repeating: -1, count: 4), upper: Array(repeating: 1, count: 4))]
        let formulation = try Compilation.formulate(item.graph, spec: spec)
        #expect(formulation.model.columnIsInteger.filter { $0 }.count == 5)
    }
}
