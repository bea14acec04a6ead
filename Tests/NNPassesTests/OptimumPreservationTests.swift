import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The passes change the MILP, never its answer: on small networks the
/// optimum HiGHS finds is the same at -O0 (interval bounds only) and after
/// every -O level, and after each pass alone.
@Suite(.serialized) struct OptimumPreservationTests {
    /// Fixtures with the box to optimize y0 over (small_cnn's is narrow: over [-1, 1] it has 522 unstable
    /// ReLUs and HiGHS does not finish the -O0 MILP in minutes).
    static let fixtures = [("mlp_2x8", "-1:1"), ("mlp_tiny", "-1:1"), ("leaky_relu_alpha02", "-1:1"), ("leaky_relu_negative_alpha", "-1:1"),
                           ("small_cnn", "0.495:0.505"), ("maxpool_pads_strides", "-1:1"), ("normalize_per_channel", "-1:1"),
                           ("batchnorm_opset15", "-1:1")]
    /// Real networks with a VNN-LIB property whose box (narrowed to a tenth) is the domain.
    static let realnets = [
        ("test/test_small.onnx", "test/test_small.vnnlib"),
        ("rl_benchmarks/cartpole.onnx", "rl_benchmarks/cartpole_case_safe_14.vnnlib"),
        ("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_3.vnnlib"),
    ]
    static let pipelines = ["bounds-ia", "canonicalize", "bounds-symbolic", "bounds-symbolic,dead-neuron-elim",
                            "canonicalize,bounds-ia,dead-neuron-elim", "canonicalize,bounds-symbolic,dead-neuron-elim",
                            "canonicalize,bounds-symbolic,bounds-lp{timeout=20},dead-neuron-elim,canonicalize"]

    /// The optimum of `sense` y0 over `spec`'s domain after `pipeline`, solved in process by HiGHS.
    private func optimum(_ name: String, _ graph: Graph, _ spec: Spec, _ pipeline: String, _ library: HiGHSLibrary) throws -> (Double, Int) {
        var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library))
        let optimized = try Compilation.optimized(graph, spec: spec, passes: PassManager(pipeline: try Pipeline(parsing: pipeline)), context: &context)
        let formulation = try Formulator.formulate(optimized, spec: spec)
        let solver = try HiGHSSolver(library: library)
        try solver.setOption("mip_rel_gap", 0.0)
        try solver.setOption("time_limit", 120.0)
        try solver.passModel(formulation.model)
        let status = try solver.run()
        try #require(status == .optimal, "\(name) \(spec.objective!.sense) \(pipeline): \(status)")
        return (solver.objectiveValue, formulation.statistics.binaries)
    }

    private func check(_ name: String, _ graph: Graph, _ spec: Spec, _ library: HiGHSLibrary) throws {
        for sense in [ObjectiveSense.maximize, .minimize] {
            var sensed = spec
            var objective = LinearExpression()
            objective.add(TensorElement(.output, tensor: 0, element: 0), coefficient: 1)
            sensed.objective = Objective(sense, objective)
            let (reference, referenceBinaries) = try optimum(name, graph, sensed, "bounds-ia", library)
            for pipeline in Self.pipelines.dropFirst() {
                let (value, binaries) = try optimum(name, graph, sensed, pipeline, library)
                #expect(abs(value - reference) <= 1e-6 * max(1, abs(reference)), "\(name) \(sense) \(pipeline): \(value), -O0 gives \(reference)")
                #expect(binaries <= referenceBinaries, "\(name) \(pipeline): \(binaries) binaries, more than -O0's \(referenceBinaries)")
            }
        }
    }

    @Test(.needsHiGHS) func fixturesKeepTheirOptimum() throws {
        let library = try EmbeddedHiGHS.require()
        for (fixture, box) in Self.fixtures {
            let graph = try ModelLoader.load(Paths.fixture("onnx/\(fixture).onnx")).graph
            var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
            try builder.addInputBox(box)
            try check(fixture, graph, builder.finish(), library)
        }
    }

    @Test(.needsRealnets, .needsHiGHS) func realNetworksKeepTheirOptimum() throws {
        let folder = try Realnets.require()
        let library = try EmbeddedHiGHS.require()
        for (network, property) in Self.realnets {
            let graph = try ModelLoader.load(folder + "/" + network).graph
            let symbols = SymbolTable(graph: graph)
            var box = SpecBuilder(symbols: symbols)
            try box.addSpecFile(path: folder + "/" + property)
            var spec = Spec(inputCount: graph.inputs.count)
            spec.inputBounds = try box.finish().resolvedInputBounds(symbols: symbols).map { b in
                // A tenth of the box around its center keeps -O0 (interval bounds) quick for HiGHS.
                let center = zip(b.lower, b.upper).map { ($0 + $1) / 2 }, half = zip(b.lower, b.upper).map { ($1 - $0) / 20 }
                return Bounds(lower: zip(center, half).map { $0 - $1 }, upper: zip(center, half).map { $0 + $1 })
            }
            try check(network, graph, spec, library)
        }
    }
}
