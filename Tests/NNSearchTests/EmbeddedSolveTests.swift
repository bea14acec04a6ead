import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The embedded solve as a library user drives it: the model goes to HiGHS in
/// memory, every improving solution reaches the callback already mapped to the
/// network, and the reply can stop HiGHS.
@Suite(.serialized) struct EmbeddedSolveTests {
    /// small_cnn over [0.49, 0.51]: about 200 unstable ReLUs, so HiGHS improves its incumbent several
    /// times (over [0, 1] it finds no solution in 30 s).
    func hardProblem(_ library: HiGHSLibrary, box: String = "0.49:0.51") throws -> (Graph, EmbeddedSolve) {
        let (graph, spec) = try BoxProblems.fixture("small_cnn", box: box, .maximize, "y0")
        let bounded = try Compilation.bounded(graph, spec: spec)
        let formulation = try Formulator.formulate(bounded, spec: spec)
        return (graph, EmbeddedSolve(original: graph, formulated: bounded, spec: spec, formulation: formulation, library: library))
    }

    @Test(.needsHiGHS) func everyImprovingSolutionIsBetterAndItsObjectiveIsTheNetworks() throws {
        let library = try EmbeddedHiGHS.require()
        let (_, solve) = try hardProblem(library)
        var settings = SolverSettings()
        settings.timeLimit = 5
        settings.threads = 1
        var seen: [(objective: Double, point: NetworkPoint)] = []
        var progressCalls = 0
        let result = try solve.run(settings: settings, progress: { _ in progressCalls += 1 }, onSolution: { point, objective, _ in
                seen.append((objective, point))
                return .proceed
            })
        #expect(!seen.isEmpty, "HiGHS reported no improving solution")
        #expect(progressCalls > 0)
        for (earlier, later) in zip(seen, seen.dropFirst()) {
            #expect(later.objective >= earlier.objective - 1e-9, "\(seen.map(\.objective))")
        }
        for (objective, point) in seen {
            // The objective is y0; the network's own y0 at the MILP's input must agree.
            #expect(abs(point.networkOutputs[0][0] - objective) <= 1e-6, "MILP \(objective), network \(point.networkOutputs[0][0])")
            #expect(point.inputs[0].allSatisfy { (0.49...0.51).contains($0) })
            #expect(point.outputDifference <= 1e-6)
        }
        let best = try #require(result.objective)
        #expect(abs(best - seen.last!.objective) <= 1e-9)
        #expect(result.status == .optimal || result.status == .feasible, "\(result.status)")
        if let bound = result.bound { #expect(bound >= best - 1e-9) }
    }

    @Test(.needsHiGHS) func theCallbackCanStopTheSolveAndTheFirstSolutionIsKept() throws {
        let library = try EmbeddedHiGHS.require()
        let (_, solve) = try hardProblem(library)
        var settings = SolverSettings()
        settings.timeLimit = 30
        var first: Double?
        let result = try solve.run(settings: settings, onSolution: { _, objective, _ in
                first = first ?? objective
                return .interrupt
            })
        #expect(result.solverStatus == .interrupt, "\(result.solverStatus)")
        #expect(result.status == .feasible)
        let objective = try #require(result.objective)
        #expect(abs(objective - (first ?? .nan)) <= 1e-9)
        #expect(result.seconds < 30)
    }

    @Test(.needsHiGHS) func aStartPointGivesASolutionWhereHiGHSFindsNoneInTime() throws {
        let library = try EmbeddedHiGHS.require()
        // Over [0, 1], HiGHS finds no solution of small_cnn's MILP in seconds; with the box center as a
        // start it has one at once, and it is at least as good as the network's value there.
        let (graph, solve) = try hardProblem(library, box: "0:1")
        var settings = SolverSettings()
        settings.timeLimit = 2
        settings.threads = 1
        let plain = try solve.run(settings: settings)
        #expect(plain.point == nil, "HiGHS found a solution without help; the test needs a harder problem")
        let center = [[Double](repeating: 0.5, count: graph[graph.inputs[0]].elementCount)]
        settings.start = center
        let started = try solve.run(settings: settings)
        let point = try #require(started.point, "\(started.status)")
        #expect(started.status == .feasible || started.status == .optimal)
        let atCenter = try Evaluator(graph: graph).evaluate(inputs: center)[0][0]
        #expect(point.networkOutputs[0][0] >= atCenter - 1e-9, "\(point.networkOutputs[0][0]) < \(atCenter)")
    }

    /// A point offered while HiGHS runs (as another member of the search would offer its best) is
    /// taken: the solve ends no worse than it (HiGHS does not report a taken point through the
    /// improving-solution callback; the caller has judged it already). The point is the best of a 3 s solve, offered to a second one
    /// of 0.5 s that starts from nothing (and alone gets nowhere near it in that time).
    @Test(.needsHiGHS) func anOfferedPointBecomesHiGHSsIncumbent() throws {
        let library = try EmbeddedHiGHS.require()
        let (_, solve) = try hardProblem(library)
        var settings = SolverSettings()
        settings.timeLimit = 3
        settings.threads = 1
        let first = try solve.run(settings: settings)
        let best = try #require(first.point)
        let value = best.networkOutputs[0][0]
        var offers = 0
        settings.timeLimit = 0.5
        let alone = try solve.run(settings: settings)
        #expect((alone.objective ?? -.infinity) < value - 1e-6 * max(1, abs(value)), "HiGHS reaches \(value) alone in 0.5 s: the test shows nothing")
        let second = try solve.run(settings: settings, offer: {
            offers += 1
            return offers == 1 ? best.inputs : nil
        })
        #expect(offers > 0, "HiGHS never asked for a solution")
        #expect((second.objective ?? -.infinity) >= value - 1e-6 * max(1, abs(value)))
    }
}
