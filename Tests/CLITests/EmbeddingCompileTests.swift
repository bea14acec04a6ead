import Foundation
import Testing
import TestSupport

/// `nnmip compile --model base.mps --networks embed.json`: the user's model with networks
/// embedded, as one MILP file that the highs and cbc binaries solve to the optimum an
/// independent route gives (the network alone, compiled with a spec that says the same).
@Suite(.serialized) struct EmbeddingCompileTests {
    static let network = Paths.fixture("onnx/mlp_2x8.onnx")
    static let tiny = Paths.fixture("onnx/mlp_tiny.onnx")

    /// A user's model around mlp_2x8 (4 inputs, 3 outputs): u0, u1 in [-1, 1], u3 integer in
    /// [-1, 1], q0..q2 free, q1 <= 0.5; u0 + u1 <= 1; maximize q0 - 2 q2 + 0.5 u0. The network's
    /// inputs are (u0, u1, 0.25, u3) and its outputs (q0, q1, q2).
    static let plantMPS = """
        NAME plant
        OBJSENSE
            MAXIMIZE
        ROWS
         N  value
         L  share
        COLUMNS
            u0  value  0.5  share  1
            u1  share  1
            MARKER  'MARKER'  'INTORG'
            u3  value  0
            MARKER  'MARKER'  'INTEND'
            q0  value  1
            q1  value  0
            q2  value  -2
        RHS
            RHS  share  1
        BOUNDS
         LO BND u0 -1
         UP BND u0 1
         LO BND u1 -1
         UP BND u1 1
         LO BND u3 -1
         UP BND u3 1
         FR BND q0
         MI BND q1
         UP BND q1 0.5
         FR BND q2
        ENDATA

        """

    static let plantJSON = """
        {"networks": [{"name": "plant_net", "model": "NETWORK", "inputs": ["u0", "u1", 0.25, "u3"], "outputs": ["q0", "q1", "q2"]}]}
        """

    /// A folder of its own for each test.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-embed-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            try text.write(toFile: path(name), atomically: true, encoding: .utf8)
            return path(name)
        }

        /// The plant model and its networks file (mlp_2x8 by an absolute path).
        func plant() throws -> (model: String, networks: String) {
            (try write("plant.mps", EmbeddingCompileTests.plantMPS),
             try write("embed.json", EmbeddingCompileTests.plantJSON.replacingOccurrences(of: "NETWORK", with: EmbeddingCompileTests.network)))
        }
    }

    /// The plant's optimum by the independent route: the network alone under a spec that says what
    /// the model says, u3's integrality by solving once per value of u3 and taking the best.
    static func plantOptimumByTheNetworkAlone() throws -> Double {
        try (-1...1).map { u3 in
            let solved = try Tool.nnmip(["solve", network, "--input-box", "-1:1", "--constraint", "x2 == 0.25", "--constraint", "x3 == \(u3)",
                                         "--constraint", "x0 + x1 <= 1", "--constraint", "y1 <= 0.5", "--maximize", "y0 - 2*y2 + 0.5*x0"])
            #expect(solved.status == 0, "\(solved.stderr)")
            return try #require(Double(textFields(solved.stdout)["objective"] ?? ""))
        }.max()!
    }

    @Test(.needsHiGHS, .needs(.highs), .needs(.cbc)) func theCombinedFileReachesTheOptimumOfTheNetworkAlone() throws {
        let folder = try Folder()
        let (model, networks) = try folder.plant()
        let combined = folder.path("combined.mps")
        let compiled = try Tool.nnmip(["compile", "--model", model, "--networks", networks, "-o", combined, "--names", folder.path("names.json"), "--stats"])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let expected = try Self.plantOptimumByTheNetworkAlone()
        let text = try String(contentsOfFile: combined, encoding: .utf8)
        #expect(text.contains("    u0  ") && text.contains(" L  share") && text.contains("plant_net.h_l1_n0"), "user names verbatim, network names prefixed")
        for solver in [Solver.highs, .cbc] {
            try solver.require()
            let solution = try solver.solve(combined)
            // The file minimizes the negated objective of the maximization.
            let maximum = -(try #require(solution.objective))
            #expect(solution.optimal && abs(maximum - expected) <= 1e-6 * max(1, abs(expected)), "\(solver): \(maximum) vs \(expected)")
            #expect([-1.0, 0, 1].contains { abs((solution.values["u3"] ?? 0) - $0) < 1e-6 }, "u3 stays integer: \(solution.values)")
        }
        #expect(compiled.stderr.contains("network_instances: 1") && compiled.stderr.contains("input_bounds: columns"), "\(compiled.stderr)")
        let names = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path("names.json")))) as? [String: Any])
        let instance = try #require((names["instances"] as? [[String: Any]])?.first)
        #expect(names["format"] as? String == "nnmip-embedding-names-1" && names["model_columns"] as? Int == 6)
        #expect(instance["outputs"] as? [String] == ["q0", "q1", "q2"] && (instance["inputs"] as? [Any])?.count == 4)
    }

    /// The real examples of `fixtures/embedding` (JANOS enrollment written by highspy and by PuLP with
    /// its comment-only sense, the WFP diet by Pyomo, the function approximation by pyscipopt): the
    /// combined file, solved by the highs binary (and by CBC where it is quick), reaches the optimum
    /// SCIP proved for PySCIPOpt-ML's formulation of the same model.
    @Test(.needsHiGHS, .needs(.highs), .needs(.cbc), arguments: [
        ("diet", true), ("diet_t80", true), ("function", true), ("janos_n50_1x10", true), ("janos_n50_2x10", true), ("janos_n500_1x10", false),
    ])
    func theRealExamplesReachTheOptimumSCIPFound(name: String, alsoCBC: Bool) throws {
        let fixture = try EmbeddingFixture.load(name)
        let folder = try Folder()
        let combined = folder.path("\(name).mps")
        let compiled = try Tool.nnmip(["compile", "--model", fixture.model, "--networks", fixture.networks, "-o", combined] + fixture.senseArguments)
        #expect(compiled.status == 0, "\(compiled.stderr)")
        for solver in alsoCBC ? [Solver.highs, .cbc] : [.highs] {
            let solution = try solver.solve(combined, timeLimit: 300)
            // MPS minimizes: a maximization's optimum is minus the file's.
            let value = (fixture.maximize ? -1 : 1) * (try #require(solution.objective))
            #expect(solution.optimal && fixture.isOptimum(value), "\(name), \(solver): \(value) vs SCIP's \(fixture.objective)")
        }
    }

    @Test(.needsHiGHS, .needs(.highs)) func twoInstancesOnTheSameColumnsShareTheNetworkFile() throws {
        let folder = try Folder()
        let model = try folder.write("pair.mps", """
            NAME pair
            OBJSENSE
                MAX
            ROWS
             N  value
             L  budget
            COLUMNS
                a  budget  1
                b  budget  1
            RHS
                RHS  budget  0.5
            BOUNDS
             LO BND a -1
             UP BND a 1
             LO BND b -1
             UP BND b 1
            ENDATA

            """)
        let combined = folder.path("pair.lp")
        let compiled = try Tool.nnmip(["compile", "--model", model, "--network", "first=\(Self.tiny)", "--network", "second=\(Self.tiny)",
                                       "--link", "first.x=a,b", "--link", "second.x=a, b", "--maximize", "first.y0 + second.y0",
                                       "-o", combined, "--stats"])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        #expect(compiled.stderr.contains("network_instances: 2") && compiled.stderr.contains("network_files: 1"), "\(compiled.stderr)")
        let alone = try Tool.nnmip(["solve", Self.tiny, "--input-box", "-1:1", "--constraint", "x0 + x1 <= 0.5", "--maximize", "y0"])
        let single = try #require(Double(textFields(alone.stdout)["objective"] ?? ""))
        let solution = try Solver.highs.solve(combined)
        // Both copies compute the same function of the same columns: the optimum is twice the network's.
        #expect(solution.optimal && abs((solution.objective ?? .nan) - 2 * single) <= 1e-6, "\(solution.objective ?? .nan) vs 2 × \(single)")
        #expect(solution.values["first.y0"] != nil && solution.values["second.y0"] != nil)
    }

    /// a is free in the file and bounded only by the rows a - b = 0 and b in [-1, 1].
    static let rowBoundedMPS = """
        NAME rows
        OBJSENSE
            MAX
        ROWS
         N  value
         E  tie
         L  budget
        COLUMNS
            a  tie  1  budget  1
            b  tie  -1  budget  1
            y  value  1
        RHS
            RHS  budget  0.5
        BOUNDS
         FR BND a
         LO BND b -1
         UP BND b 1
         FR BND y
        ENDATA

        """

    @Test(.needsHiGHS, .needs(.highs)) func anInputBoundedOnlyByRowsIsBoundedOverTheLPRelaxation() throws {
        let folder = try Folder()
        let model = try folder.write("rows.mps", Self.rowBoundedMPS)
        let link = ["--network", "n=\(Self.tiny)", "--link", "n.x=a,b", "--link", "n.y=y"]
        let combined = folder.path("rows.mps.gz")
        let compiled = try Tool.nnmip(["compile", "--model", model] + link + ["-o", combined, "--stats"])
        #expect(compiled.status == 0 && compiled.stderr.contains("input_bounds: lp"), "\(compiled.stderr)")
        let alone = try Tool.nnmip(["solve", Self.tiny, "--input-box", "-1:1", "--constraint", "x0 - x1 == 0", "--constraint", "x0 + x1 <= 0.5", "--maximize", "y0"])
        let expected = try #require(Double(textFields(alone.stdout)["objective"] ?? ""))
        let solution = try Solver.highs.solve(combined)
        #expect(solution.optimal && abs(-(solution.objective ?? .nan) - expected) <= 1e-6, "\(solution.objective ?? .nan) vs \(expected)")

        let refused = try Tool.nnmip(["compile", "--model", model] + link + ["--bound-inputs", "columns", "-o", folder.path("no.mps")])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("input 0 of network 'n' is column 'a', which is unbounded") && refused.stderr.contains("--link n.x0"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("no.mps")))
    }

    /// One bad input: the embed.json text (NETWORK is mlp_2x8's path), extra arguments, the exit status and what the message says;
    /// `files` are written beside embed.json.
    struct BadInput: CustomTestStringConvertible, Sendable {
        var name: String
        var json: String
        var arguments: [String] = []
        var files: [String: String] = [:]
        var status: Int32
        var says: [String]
        var testDescription: String { name }
    }

    /// The plant's embed.json with a second instance of mlp_2x8 on (u0, u1, THIRD, u3), its outputs new columns.
    static func twoInstances(third: String) -> String {
        plantJSON.replacingOccurrences(of: "}]}", with: "}, {\"name\": \"second\", \"model\": \"NETWORK\", \"inputs\": [\"u0\", \"u1\", \(third), \"u3\"], \"outputs\": [null, null, null]}]}")
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "unknown column", json: plantJSON.replacingOccurrences(of: "\"u1\"", with: "\"u9\""), status: 65,
                 says: ["embed.json: networks[0].inputs[1]", "has no column 'u9'"]),
        BadInput(name: "a column feeding two inputs", json: plantJSON.replacingOccurrences(of: "\"u1\"", with: "\"u0\""), status: 65,
                 says: ["networks[0].inputs[1]", "already feeds input 0"]),
        BadInput(name: "an unknown column in the second instance", json: twoInstances(third: "\"u9\""), status: 65,
                 says: ["embed.json: networks[1].inputs[2]", "has no column 'u9'"]),
        BadInput(name: "too few inputs", json: plantJSON.replacingOccurrences(of: "0.25, ", with: ""), status: 65,
                 says: ["networks[0].inputs", "links 3 inputs", "has 4"]),
        BadInput(name: "too many inputs", json: plantJSON.replacingOccurrences(of: "\"u3\"]", with: "\"u3\", 1]"), status: 65,
                 says: ["networks[0].inputs", "links 5 inputs", "has 4"]),
        BadInput(name: "too few outputs", json: plantJSON.replacingOccurrences(of: ", \"q2\"]", with: "]"), status: 65,
                 says: ["networks[0].outputs", "links 2 outputs", "has 3"]),
        BadInput(name: "too many outputs", json: plantJSON.replacingOccurrences(of: "\"q2\"]", with: "\"q2\", null]"), status: 65,
                 says: ["networks[0].outputs", "links 4 outputs", "has 3"]),
        BadInput(name: "unknown network in an expression", json: plantJSON, arguments: ["--maximize", "q0 + other.y0"], status: 64,
                 says: ["--maximize", "no network is called 'other'"]),
        BadInput(name: "unknown network in embed.json's objective", json: plantJSON.replacingOccurrences(of: "}]}", with: "}], \"objective\": {\"maximize\": \"q0 + other.y0\"}}"),
                 status: 65, says: ["embed.json: objective.maximize", "no network is called 'other'"]),
        BadInput(name: "a network file that fails to load", json: plantJSON.replacingOccurrences(of: "NETWORK", with: "missing.onnx"), status: 66,
                 says: ["missing.onnx", "networks[0]"]),
        BadInput(name: "a network file that is not a network", json: twoInstances(third: "0.5").replacingOccurrences(of: "\"second\", \"model\": \"NETWORK\"", with: "\"second\", \"model\": \"bad.onnx\""),
                 files: ["bad.onnx": "not a network\n"], status: 65, says: ["bad.onnx", "not a valid ONNX model", "the model of networks[1]"]),
        BadInput(name: "malformed JSON", json: "{\"networks\": [", status: 65, says: ["embed.json", "not JSON"]),
        BadInput(name: "an unbounded input", json: plantJSON, arguments: ["--bound-inputs", "columns"], status: 1,
                 says: ["networks[0].inputs[0]", "unbounded"]),
    ]

    /// Runs `command` (compile or solve) on `bad` in a folder of its own: its status and message, and no file written
    /// (compile's -o; solve's --solution and --trace).
    func expectRefused(_ bad: BadInput, by command: String) throws {
        let folder = try Folder()
        var modelText = Self.plantMPS
        if bad.name == "an unbounded input" { modelText = modelText.replacingOccurrences(of: " UP BND u0 1\n", with: "") }
        let model = try folder.write("plant.mps", modelText)
        let networks = try folder.write("embed.json", bad.json.replacingOccurrences(of: "NETWORK", with: Self.network))
        for (name, text) in bad.files { try folder.write(name, text) }
        let outputs = command == "compile" ? ["-o", folder.path("combined.mps")] : ["--solution", folder.path("sol.json"), "--trace", folder.path("t.csv")]
        let result = try Tool.nnmip([command, "--model", model, "--networks", networks] + outputs + bad.arguments)
        #expect(result.status == bad.status, "\(command), \(bad.name): \(result.stderr)")
        for fragment in bad.says { #expect(result.stderr.contains(fragment), "\(command), \(bad.name): '\(fragment)' missing from \(result.stderr)") }
        let written = ["combined.mps", "sol.json", "t.csv"].filter { FileManager.default.fileExists(atPath: folder.path($0)) }
        #expect(!result.stderr.contains("Fatal error") && written.isEmpty, "\(command), \(bad.name): wrote \(written)")
    }

    @Test(.needsHiGHS, arguments: badInputs)
    func badInputIsRefusedWithItsPlaceAndNoOutputFile(bad: BadInput) throws {
        try expectRefused(bad, by: "compile")
    }

    @Test(.needsHiGHS, arguments: badInputs)
    func solveRefusesBadInputAsCompileDoesAndWritesNothing(bad: BadInput) throws {
        try expectRefused(bad, by: "solve")
    }

    /// What HiGHS reads but a MILP cannot hold, each as the text that replaces a piece of the plant's model.
    @Test(.needsHiGHS, arguments: [
        ("quadratic objective", "ENDATA\n", "QUADOBJ\n    u0  u0  1\nENDATA\n", "quadratic"),
        ("quadratic rows", "ENDATA\n", "QCMATRIX   share\n    u0  u0  1\nENDATA\n", "quadratic rows"),
        ("SOS", "ENDATA\n", "SOS\n S1 SOS s1 1\n    s1:u0  1\n    s1:u1  2\nENDATA\n", "SOS"),
        // Semi-continuous and semi-integer with 0 outside [lower, upper] (with 0 inside, HiGHS reads a plain column).
        ("semi-continuous column", " LO BND u1 -1\n", " LO BND u1 0.5\n SC BND u1 1\n", "column 'u1': is semi-continuous"),
        ("semi-integer column", " LO BND u3 -1\n UP BND u3 1\n", " LO BND u3 1\n SI BND u3 3\n", "column 'u3': is semi-integer"),
        ("unknown objective sense", "    MAXIMIZE\n", "    UPWARDS\n", "OBJSENSE: the objective sense 'UPWARDS' is unknown"),
    ])
    func aModelThatIsNotAMILPIsRefusedWithTheFeatureNamed(name: String, piece: String, replacement: String, feature: String) throws {
        let folder = try Folder()
        let model = try folder.write("plant.mps", Self.plantMPS.replacingOccurrences(of: piece, with: replacement))
        let networks = try folder.write("embed.json", Self.plantJSON.replacingOccurrences(of: "NETWORK", with: Self.network))
        let result = try Tool.nnmip(["compile", "--model", model, "--networks", networks, "-o", folder.path("c.mps")])
        #expect(result.status == 1 && result.stderr.contains(feature) && result.stderr.contains("plant.mps"), "\(name): \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("c.mps")))
    }

    @Test(.needsHiGHS) func lpOutputIsRefusedForNamesTheLPFormatCannotCarry() throws {
        let folder = try Folder()
        let model = try folder.write("plant.mps", Self.plantMPS.replacingOccurrences(of: "u1", with: "u[1]"))
        let networks = try folder.write("embed.json", Self.plantJSON.replacingOccurrences(of: "NETWORK", with: Self.network).replacingOccurrences(of: "u1", with: "u[1]"))
        let lp = try Tool.nnmip(["compile", "--model", model, "--networks", networks, "-o", folder.path("c.lp")])
        #expect(lp.status == 64 && lp.stderr.contains("column 'u[1]'") && lp.stderr.contains("write MPS"), "\(lp.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("c.lp")))
        let mps = try Tool.nnmip(["compile", "--model", model, "--networks", networks, "-o", folder.path("c.mps")])
        #expect(mps.status == 0, "\(mps.stderr)")
        #expect(try String(contentsOfFile: folder.path("c.mps"), encoding: .utf8).contains(" u[1] "))
    }

    @Test(.needsHiGHS) func aSenseOnlyACommentGivesWarnsAndSenseFollowsIt() throws {
        let folder = try Folder()
        let pulp = "*SENSE:Maximize\n" + Self.plantMPS.replacingOccurrences(of: "OBJSENSE\n    MAXIMIZE\n", with: "")
        let model = try folder.write("pulp.mps", pulp)
        let networks = try folder.write("embed.json", Self.plantJSON.replacingOccurrences(of: "NETWORK", with: Self.network))
        let warned = try Tool.nnmip(["compile", "--model", model, "--networks", networks, "-o", folder.path("w.mps")])
        #expect(warned.status == 0 && warned.stderr.contains("warning") && warned.stderr.contains("--sense max"), "\(warned.stderr)")
        #expect(!(try String(contentsOfFile: folder.path("w.mps"), encoding: .utf8)).contains("NEGATED"))
        let fixed = try Tool.nnmip(["compile", "--model", model, "--networks", networks, "--sense", "max", "-o", folder.path("f.mps")])
        #expect(fixed.status == 0 && !fixed.stderr.contains("warning"), "\(fixed.stderr)")
        let text = try String(contentsOfFile: folder.path("f.mps"), encoding: .utf8)
        #expect(text.contains("NEGATED") && text.contains("sense from --sense max"), "\(text.prefix(400))")
    }

    @Test(arguments: [
        (["compile", "--networks", "e.json"], "go with --model"),
        (["compile", "net.onnx", "--model", "m.mps", "--networks", "e.json"], "not both"),
        (["compile", "--model", "m.mps"], "needs --networks"),
        (["compile", "--model", "m.mps", "--networks", "e.json", "--input-box", "0:1"], "do not apply"),
        (["compile", "--model", "m.mps", "--networks", "e.json", "--sense", "max", "--maximize", "x"], "--sense applies"),
        (["compile"], "give a network file"),
        (["compile", "--model", "m.mps", "--networks", "e.json", "--print-after-all"], "--print-after-all has no effect here"),
        (["compile", "--model", "m.mps", "--network", "n=net.onnx", "--link", "n.x=a,b", "--link", "n.x0=c"], "input 0 of network 'n' is already linked"),
    ])
    func optionsThatDoNotGoTogetherAreUsageErrors(arguments: [String], says: String) throws {
        let result = try Tool.nnmip(arguments)
        #expect(result.status == 64 && result.stderr.contains(says), "\(arguments): \(result.stderr)")
    }
}
