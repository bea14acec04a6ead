import Foundation
@testable import NNSearch
import NNMIPKit
import TestSupport
import Testing

/// The region walk (Relax-and-Walk's local search) and the dense LP relaxation's warm start, alone
/// and as members of the surrogate search, checked against the reference evaluator.
@Suite(.serialized) struct RegionWalkTests {
    /// mlp_2x8 over [-1, 1]^4, maximize y0: from seeded random starts, every walk ends at a point of
    /// the box at least as good as its start, its value the evaluator's own there, never above the
    /// maximum HiGHS proves; the best walk reaches that maximum, and some walk crosses a boundary
    /// (ends better than polishing alone, which never leaves the regions at the optima).
    @Test(.needsHiGHS) func theWalkEndsNoWorseThanItsStartAndReachesTheMaximum() throws {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", .maximize, "y0")
        let evaluator = Evaluator(graph: graph)
        var settings = SolverSettings()
        settings.threads = 1
        var walk = RegionWalk(original: graph, spec: spec, library: library)
        walk.settings = settings
        var polish = walk
        polish.crossesBoundaries = false
        var generator = SplitMix64(seed: 5)
        var best = -Double.infinity
        var crossed = 0
        for _ in 0..<12 {
            let start = [(0..<4).map { _ in generator.nextUnit() * 2 - 1 }]
            let startValue = try evaluator.evaluate(inputs: start)[0][0]
            let end = try #require(try walk.walk(from: start, deadline: .none))
            let value = try evaluator.evaluate(inputs: end.point.inputs)[0][0]
            #expect(end.objective == value, "the walk's value \(end.objective) is not the network's \(value)")
            #expect(value >= startValue - 1e-9 * max(1, abs(startValue)), "from \(start): \(startValue) -> \(value)")
            #expect(end.point.inputs[0].allSatisfy { $0 >= -1 && $0 <= 1 })
            #expect(value <= PropertyVerificationTests.maximumOfY0 + 1e-9)
            let polished = try #require(try polish.walk(from: start, deadline: .none))
            if value > polished.objective + 1e-9 { crossed += 1 }
            best = max(best, value)
        }
        #expect(best > PropertyVerificationTests.maximumOfY0 - 1e-6, "\(best)")
        #expect(crossed > 0)
    }

    /// Every LP optimum the walk reports on the way is the network's own value at its point, and
    /// the walk ends at the best of them (it moves only to better regions).
    @Test(.needsHiGHS) func everyStepOfTheWalkIsTheNetworksOwnValueAndItEndsAtTheBest() throws {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", .minimize, "y2 - y0")
        let evaluator = Evaluator(graph: graph)
        let walk = RegionWalk(original: graph, spec: spec, library: library)
        var values: [Double] = []
        let end = try #require(try walk.walk(from: [[0.3, -0.2, 0.9, -0.7]], deadline: .none) { step in
            let outputs = try? evaluator.evaluate(inputs: step.point.inputs)
            #expect(step.objective == outputs.map { $0[0][2] - $0[0][0] })
            values.append(step.objective)
        })
        #expect(values.count > 1, "the walk tried no neighbour")
        let best = try #require(values.min())
        #expect(end.objective <= best + 1e-6 * max(1, abs(best)), "ended at \(end.objective), reached \(best)")
    }

    /// A walk for a counterexample of "y0 >= 0.2787" (just below the maximum 0.27877 over [-1, 1]^4, so
    /// only a sliver of the box meets it): every step's value is the case's violation at its point on
    /// the network, every walk ends no farther from a counterexample than its start, and from some
    /// random start a walk reaches a point the reference evaluator confirms, where it stops.
    @Test(.needsHiGHS) func aWalkForACounterexampleReachesOneTheNetworkConfirms() throws {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", constraint: "y0 >= 0.2787")
        let verificationCase = try #require(VerificationCase.cases(of: spec).first)
        let evaluator = Evaluator(graph: graph)
        var walk = RegionWalk(original: graph, spec: spec, library: library)
        walk.goal = .counterexample(verificationCase)
        let lps = try walk.regionLPs()
        var generator = SplitMix64(seed: 3)
        var reached = 0
        for _ in 0..<8 {
            let start = [(0..<4).map { _ in generator.nextUnit() * 2 - 1 }]
            let startViolation = verificationCase.violation(inputs: start, outputs: try evaluator.evaluate(inputs: start))
            #expect(startViolation > 0, "a random start met the case: \(start)")
            var steps: [Double] = []
            let end = try #require(try walk.walk(from: start, lps: lps, deadline: .none) { step in
                let outputs = try? evaluator.evaluate(inputs: step.point.inputs)
                let violation = outputs.map { max(0.2787 - $0[0][0], 0) } ?? .nan
                #expect(abs(step.objective - violation) <= 1e-12, "\(step.objective) at \(step.point.inputs), the network's \(violation)")
                steps.append(step.objective)
            })
            #expect(end.objective <= startViolation + 1e-9, "from \(start): \(startViolation) -> \(end.objective)")
            guard end.objective <= Tolerance.feasibility else { continue }
            reached += 1
            #expect(steps.last == end.objective, "the walk went on past a counterexample: \(steps)")
            let outputs = try evaluator.evaluate(inputs: end.point.inputs)
            #expect(outputs[0][0] >= 0.2787 - Tolerance.feasibility && end.point.inputs[0].allSatisfy { (-1...1).contains($0) })
        }
        #expect(reached > 0, "no walk reached a counterexample")
    }

    /// The LP relaxation member alone, on an L1 ball cut by the box: every point it traces lies in
    /// the domain (ball included) and is judged on the network like every member's.
    @Test(.needsHiGHS) func theRelaxationsPointsLieInTheDomain() throws {
        let library = try EmbeddedHiGHS.require()
        let (graph, boxed) = try BoxProblems.fixture("mlp_2x8", box: "0:1", .maximize, "y0")
        var spec = boxed
        spec.balls = [NormBall(.l1, input: 0, center: [0, 0, 0.5, 1], radius: 0.5)]
        var search = SurrogateSearch(original: graph, spec: spec, surrogates: [], passes: Pipeline.optimizationLevel(2)!)
        search.members = [.lpRelaxation]
        var settings = SolverSettings()
        settings.threads = 1
        let result = try search.run(timeLimit: 5, library: library, settings: settings)
        #expect(!result.trace.isEmpty)
        let evaluator = Evaluator(graph: graph)
        for entry in result.trace {
            #expect(entry.source == "lp-relaxation")
            #expect(spec.domainViolation(inputs: entry.inputs) <= 1e-9, "\(entry.inputs)")
            #expect(entry.originalObjective == (try evaluator.evaluate(inputs: entry.inputs))[0][0])
        }
    }

    /// The walk and the relaxation beside the MILPs (on another thread, judging at once with them):
    /// both take part, every traced value is the original network's own, and the best is the trace's best.
    @Test(.needsHiGHS) func theWalkAndTheRelaxationBesideTheMILPsAreJudgedLikeEveryMember() throws {
        let result = try SurrogateSearchTests.searchBesideTheMILPs(.maximize, "y0 - y1", members: [.walk, .lpRelaxation, .milp], seconds: 4) {
            $0[0][0] - $0[0][1]
        }
        let sources = Set(result.trace.map(\.source))
        #expect(sources.contains("lp-relaxation") && !sources.contains("sample") && !sources.contains("gradient"), "\(sources)")
    }
}
