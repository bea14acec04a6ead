import Foundation
import NNMIPKit
import TestSupport
import Testing

/// What `solution read` checks (issue 14): the spec a name map records, the model hash, the numbers a
/// solver can take, and solution files judged on the network, including seeded mutations of them.
@Suite struct SolutionCheckTests {
    static let model = Paths.fixture("onnx/mlp_2x8.onnx")

    /// mlp_2x8 over [-1, 1]^4 maximizing y0 with y1 <= 5 (always true): its map, written and read back.
    struct Compiled {
        var graph: Graph
        var spec: Spec
        var map: NameMapFile
        var mapPath: String
        var folder: URL
    }

    static func compiled() throws -> Compiled {
        let graph = try ModelLoader.load(model).graph
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addInputBox("-1:1")
        try builder.setObjective(.maximize, "y0", source: "--maximize")
        try builder.addConstraint("y1 <= 5", source: "--constraint")
        let spec = builder.finish()
        let formulation = try Compilation.formulate(graph, spec: spec)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let mapPath = folder.appendingPathComponent("names.json").path
        let json = formulation.names.json(columnNames: formulation.model.columnNames, modelFile: model, identity: ModelIdentity(graph: graph, spec: spec))
        try json.write(toFile: mapPath, atomically: true, encoding: .utf8)
        return Compiled(graph: graph, spec: spec, map: try NameMapFile.read(mapPath), mapPath: mapPath, folder: folder)
    }

    @Test func theMapRecordsTheSpecExactlyAndItsHashReadsBack() throws {
        var spec = Spec(inputCount: 1)
        spec.inputBounds[0] = Bounds(lower: [-0.0, 1e-300, 0.1, -1 / 3], upper: [0, 1, 0.30000000000000004, 1e15])
        spec.balls = [NormBall(.l1, input: 0, center: [0.1, 0.2, 0.3, 0.4], radius: 0.05)]
        var expression = LinearExpression(constant: -2.5)
        expression.add(TensorElement(.output, tensor: 0, element: 2), coefficient: 3)
        expression.add(TensorElement(.input, tensor: 0, element: 1), coefficient: -1e-7)
        spec.objective = Objective(.minimize, expression)
        spec.constraints = [LinearConstraint(expression, .greaterEqual, origin: "p.vnnlib:7 \"quoted\"")]
        spec.disjuncts = [[LinearConstraint(expression, .lessEqual, origin: "a")], [LinearConstraint(expression, .equal, origin: "b")]]
        let text = SpecRecord.json(spec)
        let back = try #require(try SpecRecord.spec(inMap: Data("{\"spec\": \(text)}".utf8), file: "names.json"))
        #expect(back == spec)
        #expect(SpecRecord.json(back) == text)
        let graph = try ModelLoader.load(Self.model).graph
        #expect(ModelIdentity(graph: graph, spec: back).hash == ModelIdentity(graph: graph, spec: spec).hash)
    }

    @Test func theHashChangesWithTheNetworkAndTheSpec() throws {
        let compiled = try Self.compiled()
        defer { try? FileManager.default.removeItem(at: compiled.folder) }
        let hash = ModelIdentity(graph: compiled.graph, spec: compiled.spec).hash
        #expect(compiled.map.modelHash == hash && compiled.map.spec == compiled.spec)
        var narrower = compiled.spec
        narrower.inputBounds[0]?.upper[3] = 0.5
        #expect(ModelIdentity(graph: compiled.graph, spec: narrower).hash != hash)
        var other = compiled.graph
        if case .affine(var affine) = other.nodes[1].operation {
            affine.bias[0] = affine.bias[0].nextUp
            other.nodes[1].operation = .affine(affine)
        }
        #expect(ModelIdentity(graph: other, spec: compiled.spec).hash != hash, "one bit of one bias is another model")
    }

    @Test func numbersNoSolverTakesExactlyAreRefusedNamingTheirPlace() throws {
        let graph = try ModelLoader.load(Self.model).graph
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addInputBox("-1:1")
        let formulation = try Compilation.formulate(graph, spec: builder.finish())
        func model(coefficient: Double = 2, rhs: Double = 1, objective: Double = 1, inputUpper: Double = 1) -> (MILPModel, NameMap) {
            var m = MILPModel(name: "m")
            let x = m.addColumn("x_l0_n0", lower: -1, upper: inputUpper)
            let h = m.addColumn("h_l1_n0", lower: -10, upper: 10)
            m.setObjective(h, objective)
            m.addRow("r_l1_n0", [(x, coefficient), (h, -1)], .equal, rhs)
            return (m, formulation.names)
        }
        let (fine, names) = model(coefficient: 1e15, rhs: 9.9e19, objective: -9.9e19, inputUpper: 9.9e19)
        try SolverLimits.check(fine, names: names, graph: graph)
        let cases: [(MILPModel, [String])] = [
            (model(coefficient: 3e38).0, ["3e+38", "x_l0_n0", "r_l1_n0", "'fc1'", "1e15"]),
            (model(coefficient: .nan).0, ["nan", "r_l1_n0"]),
            (model(rhs: -1e20).0, ["-1e+20", "right-hand side", "r_l1_n0", "1e20"]),
            (model(objective: 1e20).0, ["objective coefficient 1e+20", "h_l1_n0", "1e20"]),
            (model(inputUpper: 1e25).0, ["input bound 1e+25", "x_l0_n0", "input of node %0"]),
        ]
        for (bad, words) in cases {
            let error = #expect(throws: Diagnostic.self) { try SolverLimits.check(bad, names: names, graph: graph) }
            #expect(error?.kind == .malformedInput)
            for word in words { #expect(error?.message.contains(word) == true, "'\(word)' missing from \(String(describing: error))") }
        }
    }

    /// The point's input and output columns in each solver's format (the other columns do not matter to the check).
    static func solutionTexts(_ compiled: Compiled, inputs: [Double], outputs given: [Double]? = nil) throws -> [String] {
        let outputs = try given ?? Evaluator(graph: compiled.graph).evaluate(inputs: [inputs])[0]
        let pairs = zip(compiled.map.inputs[0].variables + compiled.map.outputs[0].variables, inputs + outputs).map { ($0, $1) }
        let columns = compiled.map.columns
        return [
            "Model status\nOptimal\n\n# Primal solution values\nFeasible\nObjective 1\n# Columns \(pairs.count)\n" + pairs.map { "\($0) \($1)\n" }.joined(),
            "Optimal - objective value 1.0\n" + pairs.enumerated().map { "  \($0) \($1.0) \($1.1) 0\n" }.joined(),
            "c Problem: m\ns mip 10 \(columns.count) o 1\n" + pairs.map { "j \((columns[$0.0] ?? 0) + 1) \($0.1)\n" }.joined() + "e o f\n",
            "objective value: 1\n" + pairs.map { "\($0) \($1) (obj:0)\n" }.joined(),
            "# Objective value = 1\n" + pairs.map { "\($0) \($1)\n" }.joined(),
        ]
    }

    private func check(_ compiled: Compiled, _ text: String, file: String = "s.sol") throws -> SolutionCheck {
        try SolutionCheck(map: compiled.map, mapFile: compiled.mapPath, solution: try SolutionFile.parse(text, file: file),
                          solutionFile: file, graph: compiled.graph, modelFile: Self.model)
    }

    @Test func aPointInTheDomainPassesAndOneOutsideIsNamed() throws {
        let compiled = try Self.compiled()
        defer { try? FileManager.default.removeItem(at: compiled.folder) }
        for text in try Self.solutionTexts(compiled, inputs: [0.5, -1, 1, 0]) {
            let result = try check(compiled, text)
            #expect(result.failure == nil && result.warnings.isEmpty, "\(String(describing: result.failure)): \(text)")
        }
        for text in try Self.solutionTexts(compiled, inputs: [0.5, -1, 1.5, 0]) {
            let failure = try check(compiled, text).failure
            #expect(failure?.kind == .infeasibleSolution && failure?.location == "input 'X' element 2", "\(String(describing: failure))")
            #expect(failure?.message.contains("1.5") == true, "\(String(describing: failure))")
        }
        // Output values that are not the network's: a solution of another model.
        var outputs = try Evaluator(graph: compiled.graph).evaluate(inputs: [[0.5, -1, 1, 0]])[0]
        outputs[1] += 1e-3
        let shifted = try Self.solutionTexts(compiled, inputs: [0.5, -1, 1, 0], outputs: outputs)[4]
        let mismatch = try check(compiled, shifted).failure
        #expect(mismatch?.kind == .mismatchedSolution && mismatch?.location == "output 'Y' element 1", "\(String(describing: mismatch))")
        let nan = try Self.solutionTexts(compiled, inputs: [0.5, -1, 1, 0])[4].replacingOccurrences(of: "x_l0_n1 -1.0", with: "x_l0_n1 nan")
        let error = #expect(throws: Diagnostic.self) { try check(compiled, nan) }
        #expect(error?.kind == .malformedInput && error?.location == "variable x_l0_n1" && error?.message.contains("nan") == true, "\(String(describing: error))")
    }

    /// A few thousand seeded mutations of solution files in every format, read and checked: each is
    /// accepted, rejected by a check, or refused with a diagnostic naming the file; none crashes.
    @Test func mutatedSolutionFilesNeverCrash() throws {
        let compiled = try Self.compiled()
        defer { try? FileManager.default.removeItem(at: compiled.folder) }
        var generator = SplitMix64(seed: 0x501)
        let alphabet = Array("0123456789.-+eE naninf#\njs:*".utf8)
        var outcomes = [String: Int]()
        for text in try Self.solutionTexts(compiled, inputs: [0.25, -0.5, 0.75, 0]) {
            let bytes = Array(text.utf8)
            for _ in 0..<600 {
                var copy = bytes
                for _ in 0..<(1 + Int(generator.next() % 3)) where !copy.isEmpty {
                    let at = Int(generator.next() % UInt64(copy.count))
                    switch generator.next() % 3 {
                    case 0: copy[at] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    case 1: copy.remove(at: at)
                    default: copy = Array(copy.prefix(at))
                    }
                }
                do {
                    let result = try check(compiled, String(decoding: copy, as: UTF8.self))
                    outcomes[result.failure.map { "\($0.kind)" } ?? "passed", default: 0] += 1
                } catch let diagnostic as Diagnostic {
                    #expect(diagnostic.file == "s.sol" || diagnostic.file == compiled.mapPath, "\(diagnostic)")
                    outcomes["refused", default: 0] += 1
                }
            }
        }
        #expect(outcomes["passed", default: 0] > 0 && outcomes["refused", default: 0] > 0, "\(outcomes)")
    }
}
