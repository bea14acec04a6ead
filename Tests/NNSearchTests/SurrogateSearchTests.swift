import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The surrogate search as a library user drives it: every solution of every pruned MILP is judged
/// on the ORIGINAL network, and the trace says so truthfully.
@Suite(.serialized) struct SurrogateSearchTests {
    @Test(.needsHiGHS) func everyTracedOriginalValueIsTheEvaluatorsAndTheBestIsTheirMaximum() throws {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", .maximize, "y0 - y1")
        let surrogates = [SurrogatePruning(method: .magnitude, sparsity: 0.7), SurrogatePruning(method: .neurons, sparsity: 0.5),
                          SurrogatePruning(method: .random, sparsity: 0.5)]
        var search = SurrogateSearch(original: graph, spec: spec, surrogates: surrogates, passes: Pipeline.optimizationLevel(2)!)
        search.finishDense = true
        var settings = SolverSettings()
        settings.threads = 1
        let result = try search.run(timeLimit: 8, library: library, settings: settings)
        let sources = Set(result.trace.map(\.source))
        #expect(sources.isSuperset(of: ["prune=0.7", "prune-neurons=0.5", "prune-random=0.5"]), "\(sources)")
        #expect(sources.contains("sample") || sources.contains("gradient"), "the first incumbent comes before the MILPs: \(sources)")
        // An evaluator of its own on the original network, not the one the search used.
        let evaluator = Evaluator(graph: graph)
        for entry in result.trace {
            let outputs = try evaluator.evaluate(inputs: entry.inputs)
            #expect(spec.domainViolation(inputs: entry.inputs) <= 1e-9, "\(entry.source) left the box")
            let value = outputs[0][0] - outputs[0][1]
            #expect(entry.originalObjective == value, "\(entry.source) at \(entry.seconds) s: traced \(entry.originalObjective), the network gives \(value)")
        }
        let best = try #require(result.best)
        #expect(best.objective == result.trace.map(\.originalObjective).max())
        // The dense MILP, started from that point, proves the optimum within the time; never beaten.
        #expect(result.dense?.status == .optimal)
        #expect(abs((result.dense?.objective ?? .nan) - best.objective) <= 1e-6 * max(1, abs(best.objective)))
    }

    /// Runs the search on mlp_2x8 over [-1, 1]^4 for `objective` with the local-search `members`
    /// beside the MILPs (one HiGHS thread) and checks what every member's trace must hold: each
    /// point in the box, each value the network's own there (`value` of the evaluator's outputs),
    /// the trace in time order and the best its best entry.
    static func searchBesideTheMILPs(_ sense: ObjectiveSense, _ objective: String, members: Set<SearchMember>, seconds: Double,
                                     value: ([[Double]]) -> Double) throws -> SurrogateSearch.Result {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", sense, objective)
        var search = SurrogateSearch(original: graph, spec: spec, surrogates: [SurrogatePruning(method: .magnitude, sparsity: 0.9)],
                                     passes: Pipeline.optimizationLevel(2)!)
        search.searchesBesideMILPs = true
        search.finishDense = true
        search.members = members
        var settings = SolverSettings()
        settings.threads = 1
        let result = try search.run(timeLimit: seconds, library: library, settings: settings)
        let evaluator = Evaluator(graph: graph)
        for entry in result.trace {
            let outputs = try evaluator.evaluate(inputs: entry.inputs)
            #expect(spec.domainViolation(inputs: entry.inputs) <= 1e-9, "\(entry.source) left the box")
            #expect(entry.originalObjective == value(outputs), "\(entry.source) at \(entry.seconds) s")
        }
        #expect(zip(result.trace, result.trace.dropFirst()).allSatisfy { $0.seconds <= $1.seconds })
        let values = result.trace.map(\.originalObjective).filter { !$0.isNaN }
        #expect(result.best?.objective == (sense == .maximize ? values.max() : values.min()))
        return result
    }

    /// A network with more parameters than `largestNetworkForLPs` gets no LP over itself: no
    /// `lp-relaxation`, `walk` or `polish` point is traced, the log says why, and the sampled start,
    /// the gradient and the surrogate's MILP still find points that hold. With the limit above the
    /// network's size, the same search traces the LP members.
    @Test(.needsHiGHS) func aNetworkTooLargeForLPsIsSearchedWithoutThem() throws {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", .maximize, "y0 - y1")
        func search(limit: Int) throws -> (SurrogateSearch.Result, [String]) {
            var search = SurrogateSearch(original: graph, spec: spec, surrogates: [SurrogatePruning(method: .magnitude, sparsity: 0.5)],
                                         passes: Pipeline.optimizationLevel(2)!)
            search.largestNetworkForLPs = limit
            var settings = SolverSettings()
            settings.threads = 1
            var lines: [String] = []
            let result = try search.run(timeLimit: 3, library: library, settings: settings) { lines.append($0) }
            return (result, lines)
        }
        let parameters = GraphSummary(graph).parameters
        let (small, smallLog) = try search(limit: parameters - 1)
        let sources = Set(small.trace.map(\.source))
        #expect(sources.isDisjoint(with: ["lp-relaxation", "walk", "polish"]), "\(sources)")
        #expect(sources.contains("prune=0.5") && (sources.contains("sample") || sources.contains("gradient")), "\(sources)")
        #expect(smallLog.first == "the network has \(parameters) parameters, more than \(parameters - 1): no LP over it (lp-relaxation, walk, polishing) would end in time; sampling, the gradient and the surrogates' MILPs search it", "\(smallLog)")
        #expect(small.best != nil)
        let (large, largeLog) = try search(limit: parameters)
        #expect(Set(large.trace.map(\.source)).contains("lp-relaxation"), "\(large.trace.map(\.source))")
        #expect(!largeLog.contains { $0.contains("no LP over it") }, "\(largeLog)")
    }

    /// With the gradient restarts on another core (two members judging at once), every traced value
    /// is still the original network's own at the traced point, the trace's times never go back,
    /// the best is the best of the trace, and the restarts took part.
    @Test(.needsHiGHS) func gradientRestartsBesideTheMILPsAreJudgedLikeEveryMember() throws {
        let result = try Self.searchBesideTheMILPs(.minimize, "y2 - y0", members: Set(SearchMember.allCases), seconds: 3) { $0[0][2] - $0[0][0] }
        #expect(result.trace.contains { $0.source == "gradient" }, "\(result.trace.map(\.source))")
    }
}
