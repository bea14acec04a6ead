import Foundation
import NNMIPKit
import TestSupport
import Testing

/// On small real networks, the optimum HiGHS finds for a compiled objective
/// is never beaten by random inputs, and the MILP's optimal point, run
/// through the reference evaluator, gives the MILP's objective.
@Suite(.serialized) struct SolverOptimalityTests {
    static let samples = 10_000

    /// Networks and the VNN-LIB property whose input box the objective is optimized over.
    static let instances: [(network: String, property: String)] = [
        ("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_3.vnnlib"),
        ("acasxu/ACASXU_run2a_2_5_batch_2000.onnx", "acasxu/prop_4.vnnlib"),
        ("test/test_small.onnx", "test/test_small.vnnlib"),
        ("test/test_tiny.onnx", "test/test_tiny.vnnlib"),
        ("rl_benchmarks/cartpole.onnx", "rl_benchmarks/cartpole_case_safe_14.vnnlib"),
    ]

    /// OMLT's models have no properties; they are optimized over [-1, 1] (the conv model over its bounds file).
    static let boxed: [(network: String, bounds: String?)] = [
        ("omlt/gemm_transB.onnx", nil),
        ("omlt/keras_linear_131_relu.onnx", nil),
        ("omlt/keras_conv_7x7_relu.onnx", "omlt/keras_conv_7x7_relu.onnx.bounds.json"),
    ]

    @Test(.needsRealnets, .needs(.highs)) func noRandomInputBeatsTheOptimumAndTheOptimumIsReal() throws {
        let folder = try Realnets.require()
        try Solver.highs.require()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-optimality-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var checked = 0
        for (network, property, bounds) in Self.instances.map({ ($0.network, Optional($0.property), String?.none) })
            + Self.boxed.map({ ($0.network, String?.none, $0.bounds) }) {
            let graph = try ModelLoader.load(folder + "/" + network).graph
            let symbols = SymbolTable(graph: graph)
            for sense in [ObjectiveSense.maximize, .minimize] {
                var builder = SpecBuilder(symbols: symbols)
                var propertyBox: [Bounds]?
                if let property {
                    // Only the property's box: its output constraints would make the optimum a different question.
                    var box = SpecBuilder(symbols: symbols)
                    try box.addSpecFile(path: folder + "/" + property)
                    propertyBox = try box.finish().resolvedInputBounds(symbols: symbols)
                    if network.hasPrefix("acasxu/") {
                        // With interval bounds alone the whole ACAS Xu box takes HiGHS minutes; a tenth of it
                        // around the center keeps the test quick (tighter bounds are the passes issue's job).
                        propertyBox = propertyBox?.map { b in
                            let center = zip(b.lower, b.upper).map { ($0 + $1) / 2 }, half = zip(b.lower, b.upper).map { ($1 - $0) / 20 }
                            return Bounds(lower: zip(center, half).map { $0 - $1 }, upper: zip(center, half).map { $0 + $1 })
                        }
                    }
                } else if let bounds {
                    try builder.addInputBounds(path: folder + "/" + bounds)
                } else {
                    try builder.addInputBox("-1:1")
                }
                try builder.setObjective(sense, "y0", source: "test")
                var spec = builder.finish()
                if let propertyBox { spec.inputBounds = propertyBox }
                let formulation = try Compilation.formulate(graph, spec: spec)
                let path = scratch.appendingPathComponent("model.mps").path
                try MILPFileFormat.mps.write(formulation.model, to: path, naming: .readable, comments: [])
                // HiGHS 1.15.1's presolve calls one of these models (ACAS Xu 2_5, minimize) infeasible, while
                // CBC, and HiGHS without presolve, find the same optimum; the test solves without presolve.
                let solution = try Solver.highs.solve(path, timeLimit: 120, highsOptions: ["presolve = off"])
                try #require(solution.optimal, "\(network) \(sense): \(solution.status)")

                let names = formulation.model.columnNames(.readable)
                let output = try #require(solution.values[names[formulation.names.outputs[0].columns[0]]])
                let point = formulation.names.inputs.map { $0.columns.map { solution.values[names[$0]] ?? 0 } }
                let evaluator = Evaluator(graph: graph)
                let atOptimum = try evaluator.evaluate(inputs: point)[0][0]
                #expect(abs(atOptimum - output) <= 1e-6 * max(1, abs(output)), "\(network) \(sense): MILP y0 \(output), evaluator \(atOptimum)")

                let box = try spec.resolvedInputBounds(symbols: symbols)
                var generator = SplitMix64(seed: 11)
                var best = sense == .maximize ? -Double.infinity : .infinity
                for _ in 0..<Self.samples {
                    let sample = box.map { b in zip(b.lower, b.upper).map { $0 + ($1 - $0) * generator.nextUnit() } }
                    let value = try evaluator.evaluate(inputs: sample)[0][0]
                    best = sense == .maximize ? max(best, value) : min(best, value)
                }
                let slack = 1e-6 * max(1, abs(output))
                #expect(sense == .maximize ? best <= output + slack : best >= output - slack,
                        "\(network) \(sense): a random input reaches \(best), beyond the MILP optimum \(output)")
                checked += 1
            }
        }
        #expect(checked == 2 * (Self.instances.count + Self.boxed.count))
    }
}
