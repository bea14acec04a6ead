import Foundation
import NNMIPKit
@testable import NNSearch
import TestSupport
import Testing

/// `PropertyVerification` on mlp_2x8, whose largest y0 over [-1, 1]^4 is
/// 0.27876593707922 (HiGHS, CBC and GLPK agree on the compiled MILP; see the
/// solver tests): a property just below it has counterexamples, one just
/// above has none.
@Suite(.serialized, .needsHiGHS) struct PropertyVerificationTests {
    static let maximumOfY0 = 0.27876593707922

    /// A VNN-LIB property over the box [-1, 1]^4 whose counterexamples satisfy `output` (VNN-LIB assertions).
    func property(_ output: String) throws -> (Graph, Spec) {
        let graph = try ModelLoader.load(Paths.fixture("onnx/mlp_2x8.onnx")).graph
        var text = (0..<4).map { "(declare-const X_\($0) Real)\n" }.joined() + (0..<3).map { "(declare-const Y_\($0) Real)\n" }.joined()
        text += (0..<4).map { "(assert (<= X_\($0) 1.0))\n(assert (>= X_\($0) -1.0))\n" }.joined()
        text += output + "\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-prop-\(UUID().uuidString).vnnlib")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addSpecFile(path: file.path)
        return (graph, builder.finish())
    }

    /// Verifies `output` on mlp_2x8; without input splitting unless `splitting`, so that the MILP is tested.
    /// `attack` runs the gradient restarts beside the stages, or alone; `log` hears the run's lines.
    func verify(_ output: String, samples: Int = 500, splitting: Bool = false, attack: Attack = .none, timeout: Double = 60,
                log: (String) -> Void = { _ in }) throws -> VerificationResult {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try property(output)
        var verification = PropertyVerification(graph: graph, spec: spec, passes: Pipeline.optimizationLevel(2)!)
        verification.samples = samples
        verification.searchesLocally = samples > 0
        verification.splitsInputs = splitting
        verification.attacksBesideStages = attack == .beside
        verification.attacksOnly = attack == .alone
        return try verification.run(timeout: timeout, library: library, log: log)
    }

    /// Where `verify` runs the gradient attack: not at all, beside the stages, or instead of the MILPs.
    enum Attack { case none, beside, alone }

    /// The counterexample holds on the network: recomputed here with the evaluator.
    func expectGenuine(_ result: VerificationResult, _ holds: ([Double]) -> Bool) throws {
        let (inputs, outputs) = try #require(result.counterexample)
        #expect(inputs[0].allSatisfy { (-1...1).contains($0) }, "\(inputs)")
        let graph = try ModelLoader.load(Paths.fixture("onnx/mlp_2x8.onnx")).graph
        let recomputed = try Evaluator(graph: graph).evaluate(inputs: inputs)
        #expect(recomputed == outputs)
        #expect(holds(recomputed[0]), "\(recomputed)")
    }

    @Test func aThresholdBelowTheMaximumIsSatAndTheMILPFindsTheCounterexample() throws {
        // With sampling off (only the center), the MILP must find the point.
        let result = try verify("(assert (>= Y_0 0.278))", samples: 0)
        #expect(result.answer == .sat, "\(result.reason)")
        #expect(result.reason.contains("MILP"), "\(result.reason)")
        try expectGenuine(result) { $0[0] >= 0.278 }
    }

    @Test func aThresholdAboveTheMaximumIsUnsat() throws {
        let result = try verify("(assert (>= Y_0 0.2788))")
        #expect(result.answer == .unsat, "\(result.reason)")
        #expect(result.counterexample == nil)
    }

    @Test func disjunctionsAreSatWhenOneDisjunctIsAndUnsatWhenNoneIs() throws {
        let sat = try verify("(assert (or (and (>= Y_0 0.2788)) (and (>= Y_0 0.27) (<= Y_1 0.9))))", samples: 0)
        #expect(sat.answer == .sat, "\(sat.reason)")
        #expect(sat.reason.contains("disjunct 1"), "\(sat.reason)")
        try expectGenuine(sat) { $0[0] >= 0.27 && $0[1] <= 0.9 }

        let unsat = try verify("(assert (or (and (>= Y_0 0.2788)) (and (>= Y_0 100.0))))")
        #expect(unsat.answer == .unsat, "\(unsat.reason)")
    }

    @Test func inputSplittingFindsCounterexamplesAndProvesWhatBoundsCannot() throws {
        // y0 >= 0.2 holds near the maximizing corner; y0 >= 0.5 is far above the maximum, yet the
        // symbolic bound on y0 over the whole box is 1.47, so boxes must be split to prove it.
        let sat = try verify("(assert (>= Y_0 0.2))", samples: 0, splitting: true)
        #expect(sat.answer == .sat && sat.reason.contains("input splitting"), "\(sat.answer): \(sat.reason)")
        try expectGenuine(sat) { $0[0] >= 0.2 }
        let unsat = try verify("(assert (>= Y_0 0.5))", splitting: true)
        #expect(unsat.answer == .unsat && unsat.reason.contains("input splitting"), "\(unsat.answer): \(unsat.reason)")
    }

    @Test func theBoxesInputSplittingLeavesGetAMILPEach() throws {
        // Just above the maximum, splitting never closes the boxes around the maximizer (hundreds of
        // thousands of boxes leave about 50 open); a MILP over each of them refutes it.
        var lines: [String] = []
        let unsat = try verify("(assert (>= Y_0 0.2788))", splitting: true, timeout: 20) { lines.append($0) }
        #expect(unsat.answer == .unsat && unsat.stage == .milp, "\(unsat.answer): \(unsat.reason)")
        let boxes = lines.first { $0.contains("MILPs of the property over the") }
        #expect(boxes?.hasSuffix(" refuted") == true, "\(lines)")
        // Just below it, the counterexample is in one of the boxes, or a box center.
        let sat = try verify("(assert (>= Y_0 0.2787))", samples: 0, splitting: true, timeout: 20)
        #expect(sat.answer == .sat, "\(sat.answer): \(sat.reason)")
        try expectGenuine(sat) { $0[0] >= 0.2787 }
    }

    @Test func aLocalSearchClimbsToCounterexamplesThatSamplesMiss() throws {
        // y0 >= 0.275 holds only near the maximizing corner (max 0.27877); three random points (no
        // corners among them) miss it, and a local search from them must walk there.
        let result = try verify("(assert (>= Y_0 0.275))", samples: 3)
        #expect(result.answer == .sat && result.stage == .localSearch, "\(result.answer): \(result.reason)")
        try expectGenuine(result) { $0[0] >= 0.275 }
    }

    @Test func theAttackAloneFindsACounterexampleAndRunsNoMILP() throws {
        // Without samples and local searches, only the gradient restarts can find y0 >= 0.25.
        var lines: [String] = []
        let result = try verify("(assert (>= Y_0 0.25))", samples: 0, attack: .alone) { lines.append($0) }
        #expect(result.answer == .sat && result.stage == .localSearch && result.reason.hasPrefix("projected gradient restart"),
                "\(result.answer): \(result.reason)")
        try expectGenuine(result) { $0[0] >= 0.25 }
        #expect(!lines.contains { $0.contains("MILP") }, "\(lines)")
    }

    @Test func theAttackAloneNeverClaimsUnsat() throws {
        // Above the maximum the property holds, but only the MILP could prove it: the attack times out.
        let result = try verify("(assert (>= Y_0 0.2788))", attack: .alone, timeout: 1)
        #expect(result.answer == .timeout && result.reason.contains("gradient restarts"), "\(result.answer): \(result.reason)")
        #expect(result.counterexample == nil)
    }

    @Test func theAttackBesideTheStagesKeepsTheirAnswers() throws {
        // Sat: whoever finds the counterexample first, it holds on the network.
        let sat = try verify("(assert (>= Y_0 0.25))", samples: 0, attack: .beside)
        #expect(sat.answer == .sat, "\(sat.answer): \(sat.reason)")
        try expectGenuine(sat) { $0[0] >= 0.25 }
        // Unsat: the MILP's proof stands, and the attack's thread has ended with the run.
        let unsat = try verify("(assert (>= Y_0 0.2788))", attack: .beside)
        #expect(unsat.answer == .unsat && unsat.counterexample == nil, "\(unsat.answer): \(unsat.reason)")
    }

    @Test func aCounterexampleOfTheAttackBesideStopsTheOtherStages() throws {
        // The attack on its thread alone: its first counterexample must request the stop that the
        // stages' deadline follows, without anyone calling finish.
        let (graph, spec) = try property("(assert (>= Y_0 0.25))")
        let box = try spec.resolvedInputBounds(symbols: SymbolTable(graph: graph))
        let check = CounterexampleCheck(spec: spec, box: box, evaluator: Evaluator(graph: graph))
        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        let signal = Interruption()
        let attack = ConcurrentAttack(CounterexampleAttack(graph: graph, spec: spec, projection: projection, check: check, seed: 3),
                                      following: signal)
        let stages = Deadline(seconds: 60, interruption: attack.stop)
        attack.start(until: stages)
        let waitedUntil = MonotonicClock.now() + 30
        while !stages.hasPassed && MonotonicClock.now() < waitedUntil { usleep(1_000) }
        #expect(stages.isInterrupted, "the attack found nothing in 30 s")
        #expect(signal.signalNumber == nil, "the attack's stop is not the user's signal")
        let found = try #require(try attack.finish())
        #expect(found.source.hasPrefix("projected gradient restart"), "\(found.source)")
        #expect(check.confirm(found.counterexample.inputs) != nil)
        #expect(try Evaluator(graph: graph).evaluate(inputs: found.counterexample.inputs)[0][0] >= 0.25)
    }

    @Test func cheapSamplingFindsEasyCounterexamplesWithoutAMILP() throws {
        let result = try verify("(assert (>= Y_0 -10.0))")
        #expect(result.answer == .sat)
        #expect(result.reason == "the box center", "\(result.reason)")
    }

    @Test(.needsHiGHS) func aTinyTimeoutGivesTimeoutNotAWrongAnswer() throws {
        let library = try EmbeddedHiGHS.require()
        let (graph, spec) = try BoxProblems.fixture("small_cnn", box: "0:1", constraint: "y0 >= 1000")
        let result = try PropertyVerification(graph: graph, spec: spec, passes: Pipeline.optimizationLevel(0)!)
            .run(timeout: 0.001, library: library)
        #expect(result.answer == .timeout || result.answer == .unsat, "\(result.answer): \(result.reason)")
    }
}
