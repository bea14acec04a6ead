import Foundation
import NNIR
import NNSpec
import Testing

/// embed.json and the --network/--link shorthand read into the same description, relative paths
/// resolved against the JSON file's folder; every mistake names the JSON path or the flag.
@Suite struct EmbeddingFileTests {
    static func parse(_ text: String, file: String = "models/embed.json") throws -> EmbeddingSpec {
        try EmbeddingFile.parse(Data(text.utf8), file: file)
    }

    /// The diagnostic parsing `text` throws.
    static func mistake(_ text: String) -> Diagnostic? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? Diagnostic
        }
    }

    @Test func readsTheIssuesExample() throws {
        let spec = try Self.parse("""
            {"networks": [
              {"name": "enroll_0", "model": "janos_2x10.onnx", "inputs": [-0.53, 1.21, "merit_0"], "outputs": ["p_0"]},
              {"name": "enroll_1", "model": "/abs/janos_2x10.onnx", "inputs": [0.88, -0.10, {"new": "merit_1", "lower": 0, "upper": 2.5}]}
             ],
             "objective": {"maximize": "p_0 + 2*enroll_1.y0 - 0.5"}}
            """)
        #expect(spec.file == "models/embed.json" && spec.mistakeKind == .malformedInput)
        #expect(spec.networks.map(\.name) == ["enroll_0", "enroll_1"])
        #expect(spec.networks[0].model == "models/janos_2x10.onnx" && spec.networks[1].model == "/abs/janos_2x10.onnx")
        #expect(spec.networks[0].inputs == [.constant(-0.53), .constant(1.21), .column("merit_0")])
        #expect(spec.networks[0].outputs == [.column("p_0")] && spec.networks[1].outputs == nil)
        #expect(spec.networks[1].inputs[2] == .newColumn(name: "merit_1", lower: 0, upper: 2.5, integer: false))
        let objective = try #require(spec.objective)
        #expect(objective.sense == .maximize && objective.source == "objective.maximize")
        #expect(objective.expression.terms.map(\.name) == ["p_0", "enroll_1.y0"] && objective.expression.terms.map(\.coefficient) == [1, 2])
        #expect(objective.expression.constant == -0.5)
        #expect(spec.networks[1].inputPlace(2) == "networks[1].inputs[2]")
    }

    @Test(arguments: [
        ("[1, 2]", nil, "must be an object"),
        ("{\"nets\": []}", "nets", "unknown key"),
        ("{\"networks\": []}", "networks", "non-empty list"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [true]}]}", "networks[0].inputs[0]", "not a boolean"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [\"x\", 1, {\"new\": \"z\", \"lower\": 0}]}]}", "networks[0].inputs[2].upper", "must be a number"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [{\"new\": \"z\", \"lower\": 2, \"upper\": 1}]}]}", "networks[0].inputs[0]", "above upper"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [\"x\"], \"outputs\": [3]}]}", "networks[0].outputs[0]", "column name or null"),
        ("{\"networks\": [{\"name\": \"2a\", \"model\": \"m.onnx\", \"inputs\": [\"x\"]}]}", "networks[0].name", "not a valid instance name"),
        ("{\"networks\": [{\"name\": \"a\", \"inputs\": [\"x\"]}]}", "networks[0].model", "non-empty string"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [\"x\"], \"shape\": 1}]}", "networks[0].shape", "unknown key"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [\"x\"]}, {\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [\"y\"]}]}", "networks[1].name", "also the name of networks[0]"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [\"x\"]}], \"objective\": {\"maximize\": \"x\", \"minimize\": \"x\"}}", "objective", "exactly one"),
        ("{\"networks\": [{\"name\": \"a\", \"model\": \"m.onnx\", \"inputs\": [\"x\"]}], \"objective\": {\"maximize\": \"x +\"}}", "objective.maximize 'x +'", "expected a number or a name"),
    ] as [(String, String?, String)])
    func mistakesNameTheirJSONPath(text: String, place: String?, message: String) throws {
        let diagnostic = try #require(Self.mistake(text))
        #expect(diagnostic.kind == .malformedInput && diagnostic.file == "models/embed.json", "\(diagnostic)")
        #expect(diagnostic.location == place && diagnostic.message.contains(message), "\(diagnostic)")
    }

    @Test func theSchemaListsExactlyTheKeysTheReaderAccepts() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("schemas/embed.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        func keys(_ object: Any?) -> Set<String> { Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys ?? [:].keys) }
        let definitions = schema["$defs"] as? [String: Any]
        #expect(keys(schema) == EmbeddingFile.documentKeys)
        #expect(keys(definitions?["network"]) == EmbeddingFile.networkKeys)
        #expect(keys(definitions?["newColumn"]) == EmbeddingFile.newColumnKeys)
        #expect(keys((schema["properties"] as? [String: Any])?["objective"]) == EmbeddingFile.objectiveKeys)
    }

    @Test func notJSONAndAMissingFileAreReported() throws {
        #expect(Self.mistake("{networks")?.kind == .malformedInput)
        #expect(throws: Diagnostic.self) { try EmbeddingFile.read("/nonexistent/embed.json") }
    }

    @Test func theShorthandGivesTheSameDescription() throws {
        let spec = try EmbeddingShorthand.parse(networks: ["demand=nets/net.onnx", "twin=nets/net.onnx"],
                                                links: ["demand.x=p0, flow[1,2],2.5", "demand.y=d0", "twin.x=p0,p1", "twin.x2=p2", "twin.y1=q"])
        #expect(spec.file == nil && spec.mistakeKind == .usage)
        #expect(spec.networks[0].model == "nets/net.onnx")
        #expect(spec.networks[0].inputs == [.column("p0"), .column("flow[1,2]"), .constant(2.5)])
        #expect(spec.networks[0].outputs == [.column("d0")])
        #expect(spec.networks[1].inputs == [.column("p0"), .column("p1"), .column("p2")])
        #expect(spec.networks[1].outputs == [.newColumn, .column("q")] && spec.networks[1].outputsMayBeShort)
        #expect(spec.networks[1].inputPlace(2) == "--link twin.x2")
    }

    @Test(arguments: [
        (["d=net.onnx"], ["d.x=a", "d.x0=b"], "already linked"),
        (["d=net.onnx"], ["e.x=a"], "no --network is called 'e'"),
        (["d=net.onnx"], [], "no --link gives its inputs"),
        (["d=net.onnx"], ["d.x=a", "d.x2=c"], "input 1 has no link"),
        (["d=net.onnx"], ["d.z=a"], "expected NAME.x=COLUMN"),
        (["d=net.onnx"], ["d.x=a,,b"], "an input entry is empty"),
        (["d"], [], "expected NAME=FILE"),
        (["d=a.onnx", "d=b.onnx"], [], "already called 'd'"),
    ])
    func shorthandMistakesAreUsageErrors(networks: [String], links: [String], message: String) throws {
        do {
            _ = try EmbeddingShorthand.parse(networks: networks, links: links)
            Issue.record("accepted \(networks) \(links)")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.kind == .usage && diagnostic.message.contains(message), "\(diagnostic)")
        }
    }

    @Test(arguments: [
        ("p_0 + p_1", [("p_0", 1.0), ("p_1", 1)], 0.0),
        ("2*x(Beans) - 0.5 flow[1,2] + 3", [("x(Beans)", 2), ("flow[1,2]", -0.5)], 3),
        ("-demand.y0*4 + 1e-3 \"y-2\" - x - x", [("demand.y0", -4), ("y-2", 0.001), ("x", -2)], 0),
        ("1.5e+2", [], 150),
    ] as [(String, [(String, Double)], Double)])
    func columnExpressionsReadNamesAsModelsWriteThem(text: String, terms: [(String, Double)], constant: Double) throws {
        let expression = try ColumnExpression.parse(text, source: "--maximize")
        #expect(expression.terms.map(\.name) == terms.map(\.0) && expression.terms.map(\.coefficient) == terms.map(\.1), "\(expression)")
        #expect(expression.constant == constant)
    }

    @Test(arguments: ["", "x y", "2 3", "x *", "\"open", "x + + y"])
    func malformedColumnExpressionsAreRefused(text: String) {
        #expect(throws: Diagnostic.self) { try ColumnExpression.parse(text, source: "--maximize") }
    }
}
