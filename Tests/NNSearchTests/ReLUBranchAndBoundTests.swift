import NNMIPKit
@testable import NNSearch
import TestSupport
import Testing

/// Branch and bound over ReLU splits (`ReLUBranchAndBound`) on its own, without the other stages:
/// it proves what the bounds alone cannot on mlp_2x8, and on the sat instances of
/// ../shared/realnets/expected.csv it never refutes a case.
@Suite(.serialized, .needsHiGHS) struct ReLUBranchAndBoundTests {
    /// The search over the cases of `spec` on `graph` bounded by -O2, and the judge of its candidates.
    static func search(_ graph: Graph, _ spec: Spec) throws -> (ReLUBranchAndBound, CounterexampleCheck, Graph) {
        let library = try EmbeddedHiGHS.require()
        let bounded = try BoundedNetwork.optimized(graph, spec: spec, pipeline: Pipeline.optimizationLevel(2)!, library: library,
                                                   deadline: .none)
        let box = try spec.resolvedInputBounds(symbols: SymbolTable(graph: graph))
        let check = CounterexampleCheck(spec: spec, box: box, evaluator: Evaluator(graph: graph))
        let search = try #require(ReLUBranchAndBound(bounded: bounded, cases: VerificationCase.cases(of: spec)))
        return (search, check, bounded)
    }

    /// mlp_2x8's largest y0 over [-1, 1]^4 is 0.27876593707922 (see `PropertyVerificationTests`); the
    /// -O2 bounds put y0 below 1.47 only, so y0 >= 0.3 needs splits, and y0 >= 0.2 has counterexamples.
    @Test func splitsProveWhatTheBoundsCannotAndFindCounterexamples() throws {
        let (graph, unsat) = try PropertyVerificationTests().property("(assert (>= Y_0 0.3))")
        let (search, check, bounded) = try Self.search(graph, unsat)
        #expect(!VerificationCase.cases(of: unsat)[0].isRuledOut(byBoundsOf: bounded))
        // One worker, and two sharing the domains: both end with every domain closed.
        for workers in [1, 2] {
            guard case .refuted(let domains) = search.run(deadline: Deadline(seconds: 60), workers: workers, check: check) else {
                Issue.record("y0 >= 0.3 is not refuted with \(workers) workers")
                continue
            }
            #expect(domains > 1)
        }

        let (_, sat) = try PropertyVerificationTests().property("(assert (or (and (>= Y_0 0.3)) (and (>= Y_0 0.2))))")
        let (satSearch, satCheck, _) = try Self.search(graph, sat)
        guard case .counterexample(let found) = satSearch.run(deadline: Deadline(seconds: 60), workers: 2, check: satCheck) else {
            Issue.record("no counterexample of y0 >= 0.2")
            return
        }
        let outputs = try Evaluator(graph: graph).evaluate(inputs: found.inputs)
        #expect(outputs[0][0] >= 0.2 - 1e-6 && found.inputs[0].allSatisfy { (-1...1).contains($0) }, "\(found)")
    }

    /// Every sat instance of mnistfc in expected.csv, branch and bound alone for a few seconds: a
    /// counterexample (checked again here) or undecided, never refuted.
    @Test(.needsRealnets) func neverRefutesASatInstance() throws {
        let folder = try Realnets.require()
        let sat = try Realnets.expectedAnswers(folder).filter { $0.key.hasPrefix("mnistfc/") && $0.value == "sat" }.keys.sorted()
        #expect(sat.count >= 10)
        for instance in sat {
            let parts = instance.split(separator: ",").map(String.init)
            let graph = try ModelLoader.load(folder + "/" + parts[0]).graph
            var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
            try builder.addSpecFile(path: folder + "/" + parts[1])
            let spec = builder.finish()
            let (search, check, _) = try Self.search(graph, spec)
            switch search.run(deadline: Deadline(seconds: 2), check: check) {
            case .refuted:
                Issue.record("\(instance) is sat, and branch and bound refuted it")
            case .counterexample(let found):
                #expect(check.confirm(found.inputs) != nil, "\(instance)")
                let outputs = try Evaluator(graph: graph).evaluate(inputs: found.inputs)
                #expect(spec.constraintViolation(inputs: found.inputs, outputs: outputs) <= 1e-6, "\(instance)")
            case .undecided:
                break
            }
        }
    }
}
