import Foundation
import NNMIPKit
@testable import NNSearch
import TestSupport
import Testing

/// The second check of a margin MILP's refutation: a claim that sampled points of the domain
/// contradict must not become `unsat`.
@Suite struct RefutationCheckTests {
    /// mlp_2x8 over [-1, 1]^4 with the case y0 >= threshold.
    func refutation(threshold: Double) throws -> RefutationCheck {
        let graph = try ModelLoader.load(Paths.fixture("onnx/mlp_2x8.onnx")).graph
        var spec = Spec(inputCount: 1)
        spec.inputBounds = [Bounds(lower: Array(repeating: -1, count: 4), upper: Array(repeating: 1, count: 4))]
        var y0 = LinearExpression(constant: -threshold)
        y0.add(TensorElement(.output, tensor: 0, element: 0), coefficient: 1)
        spec.constraints = [LinearConstraint(y0, .greaterEqual, origin: "test")]
        let check = CounterexampleCheck(spec: spec, box: spec.inputBounds.map { $0! }, evaluator: Evaluator(graph: graph))
        return RefutationCheck(verificationCase: VerificationCase(spec: spec, choice: .any), spec: spec, check: check)
    }

    @Test(.needsHiGHS) func theMILPWithTheInputsFixedAtTheCenterHasTheNetworksMargin() throws {
        let library = try EmbeddedHiGHS.require()
        let check = try refutation(threshold: 0.2788)
        let graph = check.check.evaluator.graph
        let bounded = try Compilation.bounded(graph, spec: check.spec)
        let formulation = try check.verificationCase.marginFormulation(bounded, spec: check.spec)
        #expect(try check.disagreementAtCenter(formulation, bounded: bounded, encloses: false, library: library, settings: SolverSettings()) == nil)
        // A MILP that no longer holds the network's value at the center (a hidden neuron's bounds moved
        // far away, as a numerically broken formulation would) must be caught there.
        var broken = formulation
        let column = try #require(broken.model.columnNames.firstIndex { $0.hasPrefix("h_l") })
        broken.model.setBounds(column, lower: 1000, upper: 1000)
        let reason = try #require(try check.disagreementAtCenter(broken, bounded: bounded, encloses: false, library: library, settings: SolverSettings()))
        #expect(reason.contains("box center"), "\(reason)")
    }

    @Test func aTrueBoundOnTheMarginStands() throws {
        // The largest y0 is 0.27876593707922, so the largest margin of y0 >= 0.2788 is about -3.4e-5.
        let check = try refutation(threshold: 0.2788)
        #expect(check.contradiction(claimedMaximum: 0.27876593707922 - 0.2788, seed: 1) == nil)
        let sampled = try #require(check.bestSampledMargin(seed: 1))
        #expect(sampled <= 0.27876593707922 - 0.2788, "a sample beat the true maximum: \(sampled)")
    }

    @Test func aClaimBelowWhatASampleReachesIsContradicted() throws {
        let check = try refutation(threshold: 0.2788)
        let sampled = try #require(check.bestSampledMargin(seed: 1))
        let reason = try #require(check.contradiction(claimedMaximum: sampled - 0.01, seed: 1))
        #expect(reason.contains("at most \(sampled - 0.01)"), "\(reason)")
    }

    @Test func pointsOutsideAHardConstraintDoNotCount() throws {
        // An input-only constraint x0 >= 2 no point of [-1, 1]^4 meets: nothing contradicts "infeasible".
        var check = try refutation(threshold: 0.2788)
        var x0 = LinearExpression(constant: -2)
        x0.add(TensorElement(.input, tensor: 0, element: 0), coefficient: 1)
        var spec = check.spec
        spec.constraints.append(LinearConstraint(x0, .greaterEqual, origin: "test"))
        check = RefutationCheck(verificationCase: VerificationCase(spec: spec, choice: .any), spec: spec, check: check.check)
        #expect(check.bestSampledMargin(seed: 1) == nil)
        #expect(check.contradiction(claimedMaximum: -100, seed: 1) == nil)
    }
}
