import Foundation
import NNIR
import Testing

@Suite struct TextFormatTests {
    @Test func printParsePrintIsByteIdenticalAndGivesTheSameGraph() throws {
        let graph = SampleGraphs.everyOperation()
        try Verifier.verify(graph)
        let text = IRPrinter().print(graph)
        let parsed = try IRParser().parse(text)
        #expect(parsed == graph)
        #expect(IRPrinter().print(parsed) == text)
    }

    @Test func numbersKeepEveryBit() throws {
        var graph = SampleGraphs.everyOperation()
        let awkward: [Double] = [0.1, 1.0 / 3.0, -2.2250738585072014e-308, 4.9e-324, 1.7976931348623157e308, -0.0, 123456789.123456789, Double(Float(0.1))]
        graph.nodes[12].operation = .scaleShift(scale: [awkward[0], awkward[1]], shift: [awkward[2], awkward[3]])
        graph.nodes[7].operation = .affine(Affine(weights: .dense(rows: 2, columns: 4, values: Array(awkward)), bias: [0, 1]))
        let parsed = try IRParser().parse(IRPrinter().print(graph))
        guard case .affine(let affine) = parsed.nodes[7].operation, case .dense(_, _, let values) = affine.weights else {
            Issue.record("affine node lost")
            return
        }
        #expect(values.map(\.bitPattern) == awkward.map(\.bitPattern))
        #expect(parsed.nodes[12] == graph.nodes[12])
    }

    @Test func namesAreJSONStringsAndReadBack() throws {
        let name = "in \"x\"\\\n\t\u{1}é"
        let text = "; nnmip IR 1\n%0 = input \(JSONString.quoted(name)) : [2]\noutput \(JSONString.quoted(name)) = %0\n"
        #expect(text.contains("\\u0001"))
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(JSONString.quoted(name))]".utf8)) as? [String]
        #expect(decoded == [name])
        let parsed = try IRParser().parse(text)
        #expect(parsed.outputs.first?.name == name)
        #expect(IRPrinter().print(parsed) == text)
        // Dumps written before the IR used JSON's escapes spelled control characters \u{1}.
        let older = try IRParser().parse("; nnmip IR 1\n%0 = input \"a\\u{1}\" : [2]\noutput \"y\" = %0\n")
        #expect(older.inputName(ValueID(0)) == "a\u{1}")
    }

    @Test func elidedDumpsSayHowToGetAReadableOne() throws {
        let text = IRPrinter(elideListsLongerThan: 4).print(SampleGraphs.everyOperation())
        #expect(text.contains("weights=dense<2x4>[...8 values]"))
        let error = #expect(throws: Diagnostic.self) { try IRParser(fileName: "dump.nnir").parse(text) }
        #expect(error?.description.contains("--ir-full-weights") == true)
        #expect(error?.description.hasPrefix("dump.nnir: line ") == true)
    }

    @Test(arguments: [
        ("", "line 1"),
        ("; nnmip IR 1\n%0 = input \"x\" : [2]\n%2 = relu %0 : [2]\n", "line 3"),
        ("; nnmip IR 1\n%0 = input \"x\" : [2]\n%1 = relu %3 : [2]\n", "line 3"),
        ("; nnmip IR 1\n%0 = input \"x\" : [2]\n%1 = frobnicate %0 : [2]\n", "line 3"),
        ("; nnmip IR 1\n%0 = input \"x\" : [2] color=[1]\n", "line 2"),
        ("; nnmip IR 1\n%0 = input \"x : [2]\n", "line 2"),
        ("; nnmip IR 1\n%0 = input \"x\" : [2]\noutput \"y\" = %7\n", "line 3"),
    ])
    func malformedTextNamesTheLine(text: String, line: String) {
        let error = #expect(throws: Diagnostic.self) { try IRParser(fileName: "bad.nnir").parse(text) }
        #expect(error?.location?.hasPrefix(line) == true, "\(String(describing: error))")
    }
}

@Suite struct TextFormatRobustnessTests {
    /// Mutated IR text must parse and verify, or fail with a diagnostic: never crash.
    @Test func mutatedTextNeverCrashesTheParserOrVerifier() {
        let text = Array(IRPrinter().print(SampleGraphs.everyOperation()).utf8)
        let replacements = Array("0123456789-.,[]()%=x\"e ".utf8) + [UInt8(ascii: "9"), UInt8(ascii: "9"), UInt8(ascii: "9")]
        var state: UInt64 = 12345
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<3000 {
            var copy = text
            for _ in 0..<(1 + next() % 3) {
                let at = next() % copy.count
                switch next() % 3 {
                case 0: copy[at] = replacements[next() % replacements.count]
                case 1: copy.insert(contentsOf: Array("999999999999".utf8), at: at)
                default: copy.remove(at: at)
                }
            }
            do {
                let graph = try IRParser().parse(String(decoding: copy, as: UTF8.self))
                try Verifier.verify(graph)
                let inputs = graph.inputs.map { [Double](repeating: 1, count: graph[$0].elementCount) }
                _ = try Evaluator(graph: graph).evaluate(inputs: inputs)
            } catch is Diagnostic {
                continue
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
    }
}
