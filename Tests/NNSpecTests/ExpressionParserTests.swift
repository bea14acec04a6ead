import NNIR
@testable import NNSpec
import Testing

@Suite struct ExpressionParserTests {
    let symbols = SymbolTable(graph: twoOutputGraph())

    private func terms(_ expression: LinearExpression) -> [String] {
        expression.terms.map { "\($0.coefficient)*\($0.element)" }
    }

    @Test func shorthandReferencesIndexTheFirstOutputAndInput() throws {
        let e = try ExpressionParser.expression("2*y0 + y1 - 0.5 x3", source: "--maximize", symbols: symbols)
        #expect(terms(e) == ["2.0*y0[0]", "1.0*y0[1]", "-0.5*x0[3]"])
        #expect(e.constant == 0)
    }

    @Test func namedReferencesReachEveryTensor() throws {
        let e = try ExpressionParser.expression("score[0] - logits[2]*3 + X[1]", source: "--minimize", symbols: symbols)
        #expect(terms(e) == ["1.0*y1[0]", "-3.0*y0[2]", "1.0*x0[1]"])
    }

    @Test func repeatedTermsMergeAndConstantsCollect() throws {
        let e = try ExpressionParser.expression("-y0 + 2 + y0 + 1e-1 y2", source: "test", symbols: symbols)
        #expect(terms(e) == ["0.0*y0[0]", "0.1*y0[2]"])
        #expect(e.nonzeroTerms.count == 1)
        #expect(e.constant == 2)
    }

    @Test func constraintsMoveTheRightSideLeft() throws {
        let c = try ExpressionParser.constraint("y0 >= y2 + 0.25", source: "--constraint", symbols: symbols)
        #expect(c.relation == .greaterEqual)
        #expect(terms(c.expression) == ["1.0*y0[0]", "-1.0*y0[2]"])
        #expect(c.expression.constant == -0.25)
        #expect(try ExpressionParser.constraint("x0 = 1", source: "t", symbols: symbols).relation == .equal)
    }

    @Test(arguments: [
        ("y3", "'y3' is out of range: output 'logits' has 3 elements"),
        ("y0 +", "column 5: expected a number, xK, yK or NAME[K]"),
        ("logits[7]", "index 7 is out of range for 'logits'"),
        ("hidden[0]", "no input or output is called 'hidden'"),
        ("z0", "unknown name 'z0'"),
        ("y0 y1", "unexpected 'y1'"),
    ])
    func badExpressionsSayWhereAndWhy(text: String, message: String) {
        #expect {
            _ = try ExpressionParser.expression(text, source: "--maximize", symbols: symbols)
        } throws: { error in
            let d = error as? Diagnostic
            return d?.kind == .usage && (d?.description.contains(message) ?? false) && (d?.description.contains("--maximize '\(text)'") ?? false)
        }
    }

    @Test func strictInequalitiesAreRefusedWithTheReason() {
        #expect {
            _ = try ExpressionParser.constraint("y0 > y1", source: "--constraint", symbols: symbols)
        } throws: { error in
            (error as? Diagnostic)?.message.contains("strict inequalities cannot be encoded") ?? false
        }
    }
}
