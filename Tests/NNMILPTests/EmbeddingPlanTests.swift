import Foundation
import NNIR
import NNMILP
import NNSpec
import Testing

/// An embedding resolved against a user's model: links become columns, new columns are added
/// after the user's own, the objective is the one asked for, and every link that does not fit
/// the model or the network is refused at its JSON path or flag.
@Suite struct EmbeddingPlanTests {
    /// maximize p_0 + p_1 (the file's objective), merit_i in [0, 2.5], budget merit_0 + merit_1 <= 1.
    static func user(sense: MILPModel.Sense = .maximize, commented: MILPModel.Sense? = nil) throws -> UserModel {
        var model = MILPModel(name: "janos")
        model.sense = sense
        for name in ["merit_0", "merit_1"] { model.addColumn(name, lower: 0, upper: 2.5) }
        for name in ["p_0", "p_1"] { model.setObjective(model.addColumn(name, lower: 0, upper: 1), 1) }
        model.addRow("budget", [(0, 1), (1, 1)], .lessEqual, 1)
        return try UserModel(file: "janos.mps", milp: model, commentedSense: commented)
    }

    static func spec(_ json: String) throws -> EmbeddingSpec {
        try EmbeddingFile.parse(Data(json.utf8), file: "embed.json")
    }

    static let twoCopies = """
        {"networks": [
          {"name": "enroll_0", "model": "net.onnx", "inputs": [-0.53, 1.21, "merit_0"], "outputs": ["p_0"]},
          {"name": "enroll_1", "model": "net.onnx", "inputs": [0.88, -0.10, "merit_1"], "outputs": [null]}
        ]}
        """

    static func plan(_ json: String, sizes: [(Int, Int)]? = nil, objective: ColumnObjective? = nil,
                     sense: (MILPModel.Sense, source: String)? = nil, user: UserModel? = nil) throws -> EmbeddingPlan {
        let spec = try spec(json)
        return try EmbeddingPlan(user: try user ?? Self.user(), embedding: spec,
                                 sizes: (sizes ?? Array(repeating: (3, 1), count: spec.networks.count)).map { (inputs: $0.0, outputs: $0.1) },
                                 objective: objective, sense: sense)
    }

    static func mistake(_ json: String, sizes: [(Int, Int)]? = nil, objective: ColumnObjective? = nil) -> Diagnostic? {
        do {
            _ = try plan(json, sizes: sizes, objective: objective)
            return nil
        } catch {
            return error as? Diagnostic
        }
    }

    @Test func linksResolveToColumnsAndNewColumnsFollowTheUsersOwn() throws {
        let plan = try Self.plan(Self.twoCopies)
        #expect(plan.userColumnCount == 4)
        #expect(plan.base.columnNames == ["merit_0", "merit_1", "p_0", "p_1", "enroll_1.y0"])
        #expect(plan.instances[0].inputs == [.constant(-0.53), .constant(1.21), .column(0)])
        #expect(plan.instances[0].outputs == [2] && plan.instances[1].outputs == [4])
        #expect(plan.base.rowNames == ["budget"] && plan.base.sense == .maximize)
        #expect(plan.objectiveOrigin.description == "the model file")
    }

    @Test func aNewInputColumnIsAddedOnceAndCanBeShared() throws {
        let plan = try Self.plan("""
            {"networks": [
              {"name": "a", "model": "net.onnx", "inputs": [{"new": "x_3", "lower": 0, "upper": 1, "integer": true}, 1, 2]},
              {"name": "b", "model": "net.onnx", "inputs": [3, "x_3", 4]}
            ]}
            """)
        #expect(plan.base.columnNames == ["merit_0", "merit_1", "p_0", "p_1", "x_3", "a.y0", "b.y0"])
        #expect(plan.base.columnIsInteger[4] && plan.base.columnUpper[4] == 1)
        #expect(plan.instances[1].inputs == [.constant(3), .column(4), .constant(4)])
    }

    @Test func anObjectiveOverExpressionsReplacesTheFilesOwn() throws {
        let json = Self.twoCopies.replacingOccurrences(of: "\n]}", with: "\n], \"objective\": {\"minimize\": \"merit_0 - 2*enroll_1.y0 + enroll_0.y0 + 7\"}}")
        let plan = try Self.plan(json)
        #expect(plan.base.sense == .minimize && plan.base.objective == [1, 0, 1, 0, -2] && plan.base.objectiveOffset == 7)
        #expect(plan.objectiveOrigin.description == "objective.minimize of embed.json")
        // The command line's objective replaces the file's and the JSON's.
        let flag = ColumnObjective(sense: .maximize, expression: try ColumnExpression.parse("merit_1", source: "--maximize"), source: "--maximize")
        let replaced = try Self.plan(json, objective: flag)
        #expect(replaced.base.sense == .maximize && replaced.base.objective == [0, 1, 0, 0, 0] && replaced.base.objectiveOffset == 0)
        #expect(replaced.objectiveOrigin.description == "--maximize")
    }

    @Test func senseReplacesTheFilesSenseAndACommentOnlySenseWarns() throws {
        let fixed = try Self.plan(Self.twoCopies, sense: (.maximize, source: "--sense max"), user: Self.user(sense: .minimize, commented: .maximize))
        #expect(fixed.base.sense == .maximize && fixed.warnings.isEmpty && fixed.objectiveOrigin.description == "the model file, sense from --sense max")
        let warned = try Self.plan(Self.twoCopies, user: Self.user(sense: .minimize, commented: .maximize))
        #expect(warned.base.sense == .minimize && warned.warnings.count == 1 && warned.warnings[0].message.contains("--sense max"))
        #expect(throws: Diagnostic.self) {
            try Self.plan(Self.twoCopies.replacingOccurrences(of: "\n]}", with: "\n], \"objective\": {\"minimize\": \"p_0\"}}"),
                          sense: (.maximize, source: "--sense max"))
        }
    }

    @Test(arguments: [
        (#"[-0.53, 1.21, "merit_9"]"#, "networks[0].inputs[2]", "janos.mps has no column 'merit_9'"),
        (#"["merit_0", 1.21, "merit_0"]"#, "networks[0].inputs[2]", "already feeds input 0"),
        (#"[-0.53, "merit_0"]"#, "networks[0].inputs", "links 2 inputs; the network net.onnx has 3"),
        (#"[1, 2, "merit_0"], "outputs": ["p_0", null]"#, "networks[0].outputs", "links 2 outputs"),
        (#"[1, 2, "merit_0"], "outputs": ["q"]"#, "networks[0].outputs[0]", "no column 'q'"),
        (#"[1, 2, {"new": "p_1", "lower": 0, "upper": 1}]"#, "networks[0].inputs[2]", "already has a column 'p_1'"),
        (#"[1, 2, "merit_0"]}, {"name": "b", "model": "net.onnx", "inputs": [1, 2, "merit_1"], "outputs": [null]}], "objective": {"maximize": "c.y0"#,
         "objective.maximize", "no network is called 'c'"),
        (#"[1, 2, "merit_0"]}, {"name": "b", "model": "net.onnx", "inputs": [1, 2, "merit_1"]}], "objective": {"maximize": "b.y3"#,
         "objective.maximize", "network 'b' has 1 outputs"),
    ] as [(String, String, String)])
    func linksThatDoNotFitAreRefusedAtTheirJSONPath(inputs: String, place: String, message: String) throws {
        // An entry that goes on to an objective closes the document itself, up to the objective's text.
        let ending = inputs.contains("objective") ? "\"}}" : "}]}"
        let json = "{\"networks\": [{\"name\": \"a\", \"model\": \"net.onnx\", \"inputs\": \(inputs)\(ending)"
        let diagnostic = try #require(Self.mistake(json), "\(json)")
        #expect(diagnostic.kind == .malformedInput && diagnostic.file == "embed.json", "\(diagnostic)")
        #expect(diagnostic.location == place && diagnostic.message.contains(message), "\(diagnostic)")
    }

    @Test func theShorthandsMistakesAreUsageErrorsAtTheirFlag() throws {
        let spec = try EmbeddingShorthand.parse(networks: ["demand=net.onnx"], links: ["demand.x=merit_0,merit_1", "demand.y=nope"])
        do {
            _ = try EmbeddingPlan(user: try Self.user(), embedding: spec, sizes: [(inputs: 2, outputs: 1)])
            Issue.record("an unknown output column was accepted")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.kind == .usage && diagnostic.location == "--link demand.y0" && diagnostic.file == nil, "\(diagnostic)")
        }
        let short = try EmbeddingPlan(user: try Self.user(), embedding: try EmbeddingShorthand.parse(networks: ["d=net.onnx"], links: ["d.x=merit_0"]),
                                      sizes: [(inputs: 1, outputs: 2)])
        #expect(short.base.columnNames.suffix(2) == ["d.y0", "d.y1"])
    }
}
