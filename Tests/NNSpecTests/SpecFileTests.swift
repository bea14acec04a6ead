import Foundation
import NNIR
@testable import NNSpec
import TestSupport
import Testing

@Suite struct SpecFileTests {
    let symbols = SymbolTable(graph: twoOutputGraph())

    @Test func theExampleSpecSaysEverythingTheFlagsCan() throws {
        var builder = SpecBuilder(symbols: symbols)
        try builder.addSpecFile(path: Paths.fixture("specs/two_output.spec.json"))
        let spec = builder.finish()
        let bounds = try spec.resolvedInputBounds(symbols: symbols)
        // input_box [-1, 1], input_bounds narrowing element 3, and an L-inf ball of 0.5 around 0.25.
        #expect(bounds[0].lower == [-0.25, -0.25, -0.25, 0])
        #expect(bounds[0].upper == [0.75, 0.75, 0.75, 0.5])
        #expect(spec.objective?.sense == .maximize)
        #expect(spec.objective?.expression.terms.count == 2)
        #expect(spec.constraints.count == 1)
        #expect(spec.disjuncts.map(\.count) == [1, 2])
    }

    @Test func unknownKeysAreRefusedRatherThanIgnored() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-spec-\(getpid()).json").path
        try Data(#"{"maximise": "y0"}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var builder = SpecBuilder(symbols: symbols)
        #expect {
            try builder.addSpecFile(path: path)
        } throws: { error in
            (error as? Diagnostic)?.message.contains("unknown key 'maximise'") ?? false
        }
    }

    @Test func inputBoundsFilesInEveryLayout() throws {
        let flat = try InputBoundsFile.parse(Data(#"{"lower": [0, 0, 0, -1], "upper": [1, 1, 1, 2]}"#.utf8), source: "b.json", symbols: symbols)
        #expect(flat[0]?.upper == [1, 1, 1, 2])
        let named = try InputBoundsFile.parse(Data(#"{"X": {"lower": [0, 0, 0, 0], "upper": [3, 3, 3, 3]}}"#.utf8), source: "b.json", symbols: symbols)
        #expect(named[0]?.upper == [3, 3, 3, 3])
        // numpy's tolist() of a [1, 4] array, with and without the batch dimension.
        let nested = try InputBoundsFile.parse(Data(#"{"lower": [[0, 0, 0, -1]], "upper": [1, 1, 1, 2]}"#.utf8), source: "b.json", symbols: symbols)
        #expect(nested[0]?.lower == [0, 0, 0, -1] && nested[0]?.upper == [1, 1, 1, 2])
        let misshapen = #expect(throws: Diagnostic.self) {
            _ = try InputBoundsFile.parse(Data(#"{"X": {"lower": [[0, 0], [0, 0]], "upper": [1, 1, 1, 1]}}"#.utf8), source: "b.json", symbols: symbols)
        }
        #expect(misshapen?.location == "X.lower" && misshapen?.message.hasPrefix("an array of 2 where one of 1 belongs") == true,
                "\(String(describing: misshapen))")
        // OMLT's layout: keys index the shape [1, 4], here without the batch dimension.
        let keyed = try InputBoundsFile.parse(Data(#"[{"key": [2], "lower_bound": -2, "upper_bound": 2}]"#.utf8), source: "b.json", symbols: symbols)
        #expect(keyed[0]?.lower == [-.infinity, -.infinity, -2, -.infinity])
        let short = #expect(throws: Diagnostic.self) {
            _ = try InputBoundsFile.parse(Data(#"{"lower": [0], "upper": [1]}"#.utf8), source: "b.json", symbols: symbols)
        }
        #expect(short?.kind == .malformedInput && short?.file == "b.json" && short?.location == "lower", "\(String(describing: short))")
        #expect(short?.message.hasPrefix("1 values given, but input 'X' has shape [1, 4]") == true, "\(String(describing: short))")
    }

    @Test func missingBoundsAreAnErrorThatNamesTheElement() {
        let spec = Spec(inputCount: 1)
        #expect(spec.unboundedElement(symbols: symbols)?.element == 0)
        #expect {
            _ = try spec.resolvedInputBounds(symbols: symbols)
        } throws: { error in
            (error as? Diagnostic)?.message == "element 0 has no lower bound; a MILP needs every input element bounded"
        }
    }

    /// An empty domain is a problem whose answer is that nothing is feasible, not an error: its box
    /// keeps the empty interval, the network is bounded over the interval turned round.
    @Test func anEmptyDomainIsSaidAndBoundedOverItsIntervalsTurnedRound() throws {
        var builder = SpecBuilder(symbols: symbols)
        try builder.addInputBox("0:1")
        try builder.addConstraint("x2 >= 3", source: "--constraint")
        let spec = builder.finish()
        #expect(spec.emptyDomainReason(symbols: symbols) == "element 2 of input 'X' must lie in [3.0, 1.0]")
        let box = try spec.resolvedInputBounds(symbols: symbols)[0]
        #expect(box.lower == [0, 0, 3, 0] && box.upper == [1, 1, 1, 1])
        let bounding = try spec.boundingBoxes(symbols: symbols)[0]
        #expect(bounding.lower == [0, 0, 1, 0] && bounding.upper == [1, 1, 3, 1])
        // An L1 ball farther from the box than its radius is empty too, though every interval is not.
        var ball = SpecBuilder(symbols: symbols)
        try ball.addInputBox("0.9:1")
        try ball.addBall(.l1, centers: [[0, 0, 0, 0]], radius: 1, source: "--l1-ball")
        #expect(ball.finish().emptyDomainReason(symbols: symbols)?.hasPrefix("the L1 ball of radius 1.0 around its center lies at L1 distance 3.") == true)
        var inside = SpecBuilder(symbols: symbols)
        try inside.addInputBox("0:1")
        try inside.addBall(.l1, centers: [[0, 0, 0, 0]], radius: 1, source: "--l1-ball")
        #expect(inside.finish().emptyDomainReason(symbols: symbols) == nil)
    }
}
