import Foundation
import NNMIPKit
@testable import NNSearch
import TestSupport
import Testing

/// The exact MILP of networks embedded in a user's model, solved in process: a solution that
/// misses the networks' outputs by HiGHS's integrality slack is made exact by fixing its integers.
@Suite(.serialized) struct EmbeddedModelSolveTests {
    /// JANOS with 50 copies of the 1x10 network, compiled as `compile --model` does at -O2.
    func janos(_ library: HiGHSLibrary) throws -> (compilation: EmbeddedCompilation, solve: EmbeddedModelSolve) {
        let compilation = try EmbeddedCompilation.compile(modelPath: Paths.fixture("embedding/janos_n50.mps"),
                                                          embedding: try EmbeddingFile.read(Paths.fixture("embedding/janos_n50_1x10.embed.json")),
                                                          options: .init(pipeline: Pipeline.optimizationLevel(2)!), library: library)
        return (compilation, EmbeddedModelSolve(plan: compilation.plan, embedded: compilation.embedded, networks: compilation.instanceNetworks,
                                                library: library))
    }

    @Test(.needsHiGHS) func aSolutionOffByTheIntegralityToleranceIsMadeExactByRoundingItsIntegers() throws {
        let library = try EmbeddedHiGHS.require()
        let (compilation, solve) = try janos(library)
        var settings = SolverSettings()
        settings.relativeGap = 0
        let solved = try solve.run(settings: settings)
        let values = try #require(solved.values)
        let optimum = try #require(solved.objective)
        #expect(solved.check?.holds == true)
        // What HiGHS may return: the binary of an active unstable neuron within 1e-6 of 1, and its
        // instance's output moved by twice as much through a big-M row.
        let model = compilation.embedded.model
        let instances = compilation.embedded.instances
        let (k, binary) = try #require(instances.indices.lazy.compactMap { k in
            instances[k].columns.first { model.columnIsInteger[$0] && values[$0] > 0.5 }.map { (k, $0) }
        }.first, "an active unstable neuron")
        var slack = values
        slack[binary] -= 0.9e-6
        slack[instances[k].outputs[0]] += 2e-6
        #expect(try !solve.judge(slack).holds, "the output misses its network's by more than the check allows")
        let rounded = try #require(try solve.withIntegersRounded(slack, settings: settings))
        #expect(rounded.check.holds && rounded.check.instances[k].outputDifference <= 1e-7, "\(rounded.check.instances[k].outputDifference)")
        #expect(rounded.values[binary] == 1)
        #expect(abs((rounded.objective ?? .nan) - optimum) <= 1e-6 * max(1, abs(optimum)), "\(rounded.objective ?? .nan) vs \(optimum)")
    }
}
