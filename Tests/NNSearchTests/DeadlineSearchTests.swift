import Foundation
import NNMIPKit
@testable import NNSearch
import TestSupport
import Testing

/// The command's deadline inside the search (issue 14): bounds-lp's own budget ends by it, an
/// interruption stops HiGHS through its interrupt callback and verify at its next check, and verify
/// screens with bounds before it samples.
@Suite(.serialized, .needsHiGHS) struct DeadlineSearchTests {
    /// small_cnn maximizing y0 over [0, 1]^64: HiGHS finds no solution for a long time.
    func hardSolve(_ library: HiGHSLibrary) throws -> EmbeddedSolve {
        let (graph, spec) = try BoxProblems.fixture("small_cnn", box: "0:1", .maximize, "y0")
        let bounded = try Compilation.bounded(graph, spec: spec)
        return EmbeddedSolve(original: graph, formulated: bounded, spec: spec, formulation: try Formulator.formulate(bounded, spec: spec), library: library)
    }

    @Test(.needsRealnets) func boundsLPStopsAtTheContextsDeadlineNotAtItsOwnBudget() throws {
        let library = try EmbeddedHiGHS.require()
        let folder = try Realnets.require()
        var graph = try ModelLoader.load(folder + "/mnistfc/mnist-net_256x4.onnx").graph
        for input in graph.inputs {
            let count = graph[input].elementCount
            graph[input].bounds = Bounds(lower: Array(repeating: 0, count: count), upper: Array(repeating: 1, count: count))
        }
        var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library), deadline: Deadline(seconds: 1))
        let start = MonotonicClock.now()
        try PassManager(pipeline: try Pipeline(parsing: "bounds-symbolic,bounds-lp{timeout=60}")).run(on: &graph, context: &context)
        let seconds = MonotonicClock.now() - start
        #expect(seconds < 1 + 2, "bounds-lp ran \(seconds) s past a 1 s deadline")
        let remark = try #require(context.remarks.last { $0.pass == "bounds-lp" })
        #expect(!remark.message.contains("; 0 kept their bounds"), "the deadline left every neuron done? \(remark.message)")
    }

    @Test func anInterruptionStopsHiGHSThroughItsCallback() throws {
        let library = try EmbeddedHiGHS.require()
        let solve = try hardSolve(library)
        let interruption = Interruption()
        var settings = SolverSettings()
        settings.threads = 1
        settings.deadline = Deadline(seconds: 600, interruption: interruption)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { interruption.request(signal: SIGINT) }
        let start = MonotonicClock.now()
        let result = try solve.run(settings: settings)
        let seconds = MonotonicClock.now() - start
        #expect(seconds < 1 + 5, "HiGHS went on for \(seconds - 1) s after the interruption")
        #expect(result.status == .interrupted || result.status == .feasible, "\(result.status)")
        #expect(result.solverStatus == .interrupt, "\(result.solverStatus)")
    }

    @Test func aDeadlineOfTheCommandCapsHiGHSsOwnTimeLimit() throws {
        let library = try EmbeddedHiGHS.require()
        let solve = try hardSolve(library)
        var settings = SolverSettings()
        settings.threads = 1
        settings.timeLimit = 600
        settings.deadline = Deadline(seconds: 1)
        let start = MonotonicClock.now()
        let result = try solve.run(settings: settings)
        #expect(MonotonicClock.now() - start < 1 + 3)
        #expect(result.solverStatus == .timeLimit, "\(result.solverStatus)")
    }

    /// HiGHS looks at its clock only at points of its search (issue 14: 8.8 s past a 30 s limit in
    /// root cut separation). Here its own limit is set far away, as if it did not look at all: the
    /// run still ends at its deadline, given up, and its thread ends by itself once the callback
    /// tells HiGHS to stop.
    @Test func aRunThatDoesNotLookAtTheClockIsGivenUpAtItsDeadline() throws {
        let library = try EmbeddedHiGHS.require()
        var settings = SolverSettings()
        settings.threads = 1
        settings.deadline = Deadline(seconds: 1)
        let run = try HiGHSRun(model: try hardSolve(library).formulation.model, settings: settings, library: library)
        try run.solver.setTimeLimit(600)
        let start = MonotonicClock.now()
        let ending = try run.run()
        let seconds = MonotonicClock.now() - start
        #expect(seconds < 1 + 2 * HiGHSRun.endGrace, "the run ended \(seconds) s after its start, for a 1 s deadline")
        #expect(ending.status == .timeLimit || ending.status == .feasible, "\(ending.status)")
        #expect(ending.values == nil || ending.objective != nil)
        #expect(HiGHSSolver.runsStillSolving > 0, "the run was not given up: HiGHS stopped by itself")
        let stopped = MonotonicClock.now() + 30
        while HiGHSSolver.runsStillSolving > 0 && MonotonicClock.now() < stopped { usleep(50_000) }
        #expect(HiGHSSolver.runsStillSolving == 0, "the given-up run was still solving 30 s later")
    }

    /// mlp_2x8 over [-1, 1]^4 with y0 >= `threshold` as the counterexample.
    func verification(threshold: Double) throws -> PropertyVerification {
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", constraint: "y0 >= \(threshold)")
        return PropertyVerification(graph: graph, spec: spec, passes: Pipeline.optimizationLevel(2)!)
    }

    @Test func boundsScreenBeforeAnySampling() throws {
        let library = try EmbeddedHiGHS.require()
        var lines: [String] = []
        let result = try verification(threshold: 100).run(timeout: 60, library: library, log: { lines.append($0) })
        #expect(result.answer == .unsat && result.reason == "bounds", "\(result.answer): \(result.reason)")
        #expect(!lines.contains { $0.contains("sampled points") }, "sampling ran before the bounds: \(lines)")
        // A property the bounds cannot decide is still sat by the sampled points.
        let sat = try verification(threshold: -10).run(timeout: 60, library: library)
        #expect(sat.answer == .sat && sat.reason == "the box center", "\(sat.answer): \(sat.reason)")
    }

    @Test func anInterruptedVerificationAnswersUnknown() throws {
        let library = try EmbeddedHiGHS.require()
        let interruption = Interruption()
        interruption.request(signal: SIGTERM)
        var settings = SolverSettings()
        settings.deadline = Deadline(seconds: 600, interruption: interruption)
        // y0 >= 0.278 is sat, but only the MILP or splitting would find it; the run stops first.
        var verification = try verification(threshold: 0.278)
        verification.samples = 0
        verification.searchesLocally = false
        let result = try verification.run(timeout: 60, library: library, settings: settings)
        #expect(result.answer == .unknown && result.reason == "interrupted by signal \(SIGTERM)", "\(result.answer): \(result.reason)")
    }
}
