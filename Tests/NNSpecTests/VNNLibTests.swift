import Foundation
import NNImport
import NNIR
@testable import NNSpec
import TestSupport
import Testing

@Suite struct VNNLibTests {
    let symbols = SymbolTable(graph: twoOutputGraph())

    private func parse(_ text: String) throws -> Spec {
        try VNNLibParser(path: "prop.vnnlib", symbols: symbols).parse(Data(text.utf8))
    }

    @Test func boxesAndOutputConstraintsAreRead() throws {
        var spec = try parse("""
            ; a comment
            (declare-const X_0 Real)
            (declare-const Y_0 Real)
            (assert (>= X_0 -1))
            (assert (<= X_0 1.5))
            (assert (<= X_1 0.5))
            (assert (<= (+ Y_0 (* 2 Y_1)) (- Y_3 1)))
            """)
        spec.absorbInputBounds(symbols: symbols)
        #expect(spec.inputBounds[0]?.lower[0] == -1)
        #expect(spec.inputBounds[0]?.upper[0] == 1.5)
        #expect(spec.inputBounds[0]?.upper[1] == 0.5)
        #expect(spec.inputBounds[0]?.lower[1] == -.infinity)
        #expect(spec.constraints.count == 1)
        let c = spec.constraints[0]
        // Y_3 is element 0 of the second output: VNN-LIB numbers outputs concatenated.
        #expect(c.expression.terms.map(\.element) == [TensorElement(.output, tensor: 0, element: 0), TensorElement(.output, tensor: 0, element: 1),
                                                        TensorElement(.output, tensor: 1, element: 0)])
        #expect(c.expression.terms.map(\.coefficient) == [1, 2, -1])
        #expect(c.expression.constant == 1)
        #expect(c.relation == .lessEqual)
    }

    @Test func disjunctionsOfConjunctionsBecomeDisjuncts() throws {
        let spec = try parse("""
            (assert (or (and (>= Y_0 Y_2) (>= Y_1 0)) (and (>= Y_1 Y_2))))
            (assert (or (<= X_0 0) (>= X_0 1)))
            """)
        // (a ∧ b) ∨ c, times (d ∨ e): four disjuncts.
        #expect(spec.disjuncts.map(\.count) == [3, 3, 2, 2])
        #expect(spec.constraints.isEmpty)
    }

    @Test(arguments: [
        ("(assert (<= Y_0 1)", "line 1: this '(' is never closed"),
        ("(assert (<= Y_9 1))", "line 1: 'Y_9' does not exist"),
        ("\n(assert (< Y_0 1))", "line 2: strict inequality '<'"),
        ("(assert (<= (* Y_0 Y_1) 1))", "a product of two variables is not linear"),
        ("(declare-const X_0 Int)", "only Real variables are supported"),
        ("(assert (<= Z_0 1))", "unknown variable 'Z_0'"),
        ("(push 1)", "unknown command 'push'"),
        (")", "unbalanced ')'"),
    ])
    func malformedPropertiesNameTheLine(text: String, message: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            let d = error as? Diagnostic
            return d?.file == "prop.vnnlib" && (d?.description.contains(message) ?? false)
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let text = "(assert " + String(repeating: "(and ", count: 5000) + String(repeating: ")", count: 5001)
        let diagnostic = #expect(throws: Diagnostic.self) { _ = try parse(text) }
        #expect(diagnostic?.kind == .malformedInput && diagnostic?.file == "prop.vnnlib" && diagnostic?.location == "line 1", "\(String(describing: diagnostic))")
        #expect(diagnostic?.message == "lists nested more than 256 deep", "\(String(describing: diagnostic))")
    }

    /// Every property in ../shared/realnets parses against its network, and
    /// gives every input element finite bounds.
    @Test(.needsRealnets) func everyRealPropertyGivesABoundedDomain() throws {
        let folder = try Realnets.require()
        let instances = try String(contentsOfFile: folder + "/expected.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var checked = 0
        var networks: [String: SymbolTable] = [:]
        for line in instances {
            let fields = line.split(separator: ",").map(String.init)
            let (network, property) = (folder + "/" + fields[0], folder + "/" + fields[1])
            if networks[network] == nil { networks[network] = SymbolTable(graph: try ModelLoader.load(network).graph) }
            var builder = SpecBuilder(symbols: networks[network]!)
            try builder.addSpecFile(path: property)
            let spec = builder.finish()
            let bounds = try spec.resolvedInputBounds(symbols: networks[network]!)
            #expect(bounds.allSatisfy { $0.lower.allSatisfy(\.isFinite) && $0.upper.allSatisfy(\.isFinite) }, "\(fields[1])")
            #expect(!spec.constraints.isEmpty || !spec.disjuncts.isEmpty, "\(fields[1]) has no output property")
            if fields[1].hasPrefix("mnistfc/") { #expect(spec.disjuncts.count == 9, "\(fields[1])") }
            checked += 1
        }
        #expect(checked >= 100)
    }
}
