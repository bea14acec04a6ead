import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The fixtures with smooth activations (fixtures/onnx/smooth_*, PyTorch's exports in
/// fixtures/torch, the realnets sigmoid and tanh networks), maximizing their first output over their
/// box with 8 pieces per neuron: the highs binary's optimum of the enclosure is never beaten by
/// 10,000 random inputs of the smooth network (it is a sound upper bound), the interpolant's MILP
/// is exact for the interpolant at its optimum, and that optimum's input, judged on the smooth
/// network, lies between the samples' best less the enclosure's width and the enclosure's bound.
@Suite(.serialized) struct SmoothActivationOptimalityTests {
    static let samples = 10_000

    func optimum(of item: NetworkCase, pipeline: String, scratch: URL) throws -> (value: Double, input: [[Double]], graph: Graph)? {
        var graph = try Compilation.withInputDomain(item.graph, spec: item.spec)
        var context = PassContext()
        try PassManager(pipeline: try Pipeline(parsing: pipeline)).run(on: &graph, context: &context)
        let formulation = try Formulator.formulate(graph, spec: item.spec)
        let path = scratch.appendingPathComponent("model.mps").path
        try MILPFileFormat.mps.write(formulation.model, to: path, naming: .readable, comments: [])
        let solution = try Solver.highs.solve(path, timeLimit: 120)
        guard solution.optimal else {
            Issue.record("\(item.name) \(pipeline): HiGHS ended with '\(solution.status)'")
            return nil
        }
        let names = formulation.model.columnNames(.readable)
        let value = try #require(solution.values[names[formulation.names.outputs[0].columns[0]]])
        return (value, formulation.names.inputs.map { $0.columns.map { solution.values[names[$0]] ?? 0 } }, graph)
    }

    func check(_ cases: [NetworkCase]) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-smooth-optimality-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for item in cases {
            guard let enclosure = try optimum(of: item, pipeline: "bounds-symbolic,pwl-approx{segments=8,enclosure=true},bounds-symbolic", scratch: scratch),
                  let surrogate = try optimum(of: item, pipeline: "bounds-symbolic,pwl-approx{segments=8},bounds-symbolic", scratch: scratch)
            else { continue }
            let network = Evaluator(graph: item.graph)
            let atSurrogateOptimum = try Evaluator(graph: surrogate.graph).evaluate(inputs: surrogate.input)[0][0]
            #expect(abs(atSurrogateOptimum - surrogate.value) <= 1e-6 * max(1, abs(surrogate.value)),
                    "\(item.name): the interpolant's MILP says \(surrogate.value), its evaluator \(atSurrogateOptimum)")
            let judged = try network.evaluate(inputs: surrogate.input)[0][0]
            var generator = SplitMix64(seed: 23)
            var best = -Double.infinity
            for _ in 0..<Self.samples {
                let sample = item.box.map { b in zip(b.lower, b.upper).map { $0 + ($1 - $0) * generator.nextUnit() } }
                best = max(best, try network.evaluate(inputs: sample)[0][0])
            }
            let slack = 1e-6 * max(1, abs(enclosure.value))
            #expect(best <= enclosure.value + slack, "\(item.name): a random input reaches \(best), beyond the enclosure's bound \(enclosure.value)")
            #expect(judged <= enclosure.value + slack, "\(item.name): the interpolant's optimum is worth \(judged) on the network, beyond the bound \(enclosure.value)")
            let width = enclosure.value - best
            #expect(judged >= best - max(width, 1e-6), "\(item.name): the interpolant's optimum is worth \(judged); samples reach \(best), the bound is \(enclosure.value)")
            #expect(width <= 0.25 * max(1, abs(best)), "\(item.name): 8 pieces leave the bound \(enclosure.value) far above the samples' \(best)")
        }
    }

    @Test(.needs(.highs)) func theFixturesOptimaAreBoundedSoundlyAndFoundNearly() throws {
        try Solver.highs.require()
        let cases = try NetworkCase.fixtures().filter { GraphSummary($0.graph).smoothUnits > 0 }
        #expect(cases.count >= 10 + 2 + 9, "\(cases.map(\.name))")
        try check(cases)
    }

    @Test(.needsRealnets, .needs(.highs)) func theRealSigmoidAndTanhNetworksToo() throws {
        let folder = try Realnets.require()
        try Solver.highs.require()
        let cases = try NetworkCase.realnets(folder).filter { GraphSummary($0.graph).smoothUnits > 0 }
        #expect(cases.count == 3, "\(cases.map(\.name))")
        try check(cases)
    }
}
