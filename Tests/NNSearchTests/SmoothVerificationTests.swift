import Foundation
import NNMIPKit
@testable import NNSearch
import TestSupport
import Testing

/// `verify` on networks with smooth activations. Proofs come from sound bounds and from the MILP of
/// the enclosure; a threshold between the enclosure's optimum and the symbolic bound can only be
/// proved by that MILP, and a threshold below a value the network reaches is never called unsat.
@Suite(.serialized, .needsHiGHS) struct SmoothVerificationTests {
    /// Pieces per neuron of the enclosures here: few, so that the MILPs stay small.
    static let segments = 4

    /// The fixture's network and the VNN-LIB property "y0 >= threshold" over [-1, 1]^3.
    func property(_ fixture: String, threshold: Double) throws -> (Graph, Spec) {
        let graph = try ModelLoader.load(Paths.fixture("onnx/\(fixture).onnx")).graph
        var text = (0..<3).map { "(declare-const X_\($0) Real)\n" }.joined() + (0..<2).map { "(declare-const Y_\($0) Real)\n" }.joined()
        text += (0..<3).map { "(assert (<= X_\($0) 1.0))\n(assert (>= X_\($0) -1.0))\n" }.joined()
        text += "(assert (>= Y_0 \(threshold)))\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-smooth-\(UUID().uuidString).vnnlib")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addSpecFile(path: file.path)
        return (graph, builder.finish())
    }

    /// The best y0 of 10,000 samples, the symbolic bound on y0, and the enclosure MILP's optimum of y0
    /// (`segments` pieces), all over [-1, 1]^3.
    func landmarks(_ fixture: String) throws -> (sampled: Double, symbolic: Double, enclosure: Double) {
        let library = try EmbeddedHiGHS.require()
        let graph = try ModelLoader.load(Paths.fixture("onnx/\(fixture).onnx")).graph
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addInputBox("-1:1")
        try builder.setObjective(.maximize, "y0", source: "test")
        let spec = builder.finish()
        func run(_ pipeline: String) throws -> Graph {
            var bounded = try Compilation.withInputDomain(graph, spec: spec)
            var context = PassContext()
            try PassManager(pipeline: try Pipeline(parsing: pipeline)).run(on: &bounded, context: &context)
            return bounded
        }
        let symbolic = try run("bounds-symbolic")
        let enclosure = try run("bounds-symbolic,pwl-approx{segments=\(Self.segments),enclosure=true},bounds-symbolic")
        let formulation = try Formulator.formulate(enclosure, spec: spec)
        let solved = try EmbeddedSolve(original: graph, formulated: enclosure, spec: spec, formulation: formulation, library: library)
            .run(settings: SolverSettings())
        #expect(solved.status == .optimal)
        let evaluator = Evaluator(graph: graph)
        var generator = SplitMix64(seed: 31)
        var best = -Double.infinity
        for _ in 0..<10_000 {
            best = max(best, try evaluator.evaluate(inputs: [(0..<3).map { _ in generator.nextUnit() * 2 - 1 }])[0][0])
        }
        return (best, symbolic[symbolic.outputs[0].value].bounds!.upper[0], try #require(solved.bound ?? solved.objective))
    }

    func verify(_ fixture: String, threshold: Double, samples: Int) throws -> VerificationResult {
        let (graph, spec) = try property(fixture, threshold: threshold)
        var verification = PropertyVerification(graph: graph, spec: spec, passes: Pipeline.optimizationLevel(2)!)
        verification.samples = samples
        verification.searchesLocally = samples > 0
        verification.splitsInputs = false
        verification.branchesOnReLUs = false
        verification.smoothSegments = Self.segments
        return try verification.run(timeout: 60, library: try EmbeddedHiGHS.require())
    }

    @Test func onlyTheEnclosuresMILPProvesAThresholdBetweenItsOptimumAndTheSymbolicBound() throws {
        let marks = try landmarks("smooth_tanh")
        #expect(marks.sampled <= marks.enclosure && marks.enclosure < marks.symbolic - 0.01, "\(marks)")
        let result = try verify("smooth_tanh", threshold: (marks.enclosure + marks.symbolic) / 2, samples: 0)
        #expect(result.answer == .unsat && result.stage == .milp, "\(result.answer): \(result.reason)")
    }

    @Test(arguments: ["smooth_sigmoid", "smooth_tanh", "smooth_softplus", "smooth_elu", "smooth_selu", "smooth_hardswish",
                      "smooth_gelu", "smooth_gelu_tanh", "smooth_silu_mul", "smooth_hardswish_mul"])
    func aThresholdTheNetworkReachesIsNeverUnsat(fixture: String) throws {
        let marks = try landmarks(fixture)
        // Without sampling the enclosure's MILP finds the counterexample (or a point near it, from which
        // a descent on the network does).
        for threshold in [marks.sampled - 1e-3] {
            let result = try verify(fixture, threshold: threshold, samples: 0)
            #expect(result.answer == .sat, "\(fixture) y0 >= \(threshold) (reached: \(marks.sampled)): \(result.answer) by \(result.reason)")
            #expect(result.answer != .unsat, "\(fixture) y0 >= \(threshold) (reached: \(marks.sampled)): unsat by \(result.reason)")
            if result.answer == .sat {
                let (inputs, outputs) = try #require(result.counterexample)
                let graph = try ModelLoader.load(Paths.fixture("onnx/\(fixture).onnx")).graph
                #expect(try Evaluator(graph: graph).evaluate(inputs: inputs) == outputs)
                #expect(outputs[0][0] >= threshold && inputs[0].allSatisfy { (-1...1).contains($0) }, "\(inputs) -> \(outputs)")
            }
        }
        // Above the enclosure's optimum nothing is reachable, and verify proves it.
        let above = try verify(fixture, threshold: marks.enclosure + 0.01, samples: 0)
        #expect(above.answer == .unsat, "\(fixture) y0 >= \(marks.enclosure + 0.01): \(above.answer) (\(above.reason))")
    }
}
