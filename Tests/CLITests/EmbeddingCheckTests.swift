import Foundation
import Testing
import TestSupport

/// `nnmip check --model base.mps --networks embed.json --point SOLUTION`: nnmip's own solution and
/// the solutions other solvers (and SCIP, for another formulation) found hold; a perturbed one does
/// not, with the documented exit status; the JSON forms follow their schemas.
@Suite(.serialized) struct EmbeddingCheckTests {
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-embed-check-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
    }

    /// nnmip's solution of `fixture` as JSON (the text `solve --solution` wrote) and its path.
    static func solve(_ fixture: EmbeddingFixture, into folder: Folder) throws -> (path: String, object: [String: Any]) {
        let path = folder.path("\(fixture.name).json")
        let solved = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--solution", path, "--quiet"] + fixture.senseArguments)
        #expect(solved.status == 0, "\(solved.stderr)")
        return (path, try json(try String(contentsOfFile: path, encoding: .utf8)))
    }

    static func check(_ fixture: EmbeddingFixture, _ point: String, json: Bool = false) throws -> Tool.Result {
        try Tool.nnmip(["check", "--model", fixture.model, "--networks", fixture.networks, "--point", point] + fixture.senseArguments
                       + (json ? ["--format", "json"] : []))
    }

    @Test(.needsHiGHS) func nnmipsSolutionHoldsAndItsJSONFollowsTheSchemas() throws {
        let fixture = try EmbeddingFixture.load("janos_n50_1x10")
        let folder = try Folder()
        let (path, written) = try Self.solve(fixture, into: folder)
        let solutionProblems = try JSONSchema("embedded-solution.schema.json").problems(written)
        #expect(solutionProblems.isEmpty, "\(solutionProblems)")
        let checked = try Self.check(fixture, path)
        #expect(checked.status == 0, "\(checked.stderr)")
        let fields = textFields(checked.stdout)
        #expect(fields["format"] == "NNMIP" && fields["check"] == "passed" && fields["sense"] == "maximize (the model file)", "\(checked.stdout)")
        #expect(fields["output_difference enroll_49"] != nil)
        let report = try Self.json(try Self.check(fixture, path, json: true).stdout)
        let reportProblems = try JSONSchema("check.schema.json").problems(report)
        #expect(reportProblems.isEmpty, "\(reportProblems)")
        #expect(report["check"] as? String == "passed" && report["failure"] is NSNull)
        let objective = try #require(report["network_objective"] as? Double)
        #expect(abs(objective - (written["network_objective"] as? Double ?? .nan)) <= 1e-9)
    }

    @Test(.needsHiGHS, .needs(.highs), .needs(.cbc), .needs(.glpk)) func otherSolversSolutionsOfTheCompiledFileHold() throws {
        let fixture = try EmbeddingFixture.load("diet_t80")
        let folder = try Folder()
        let combined = folder.path("diet.mps")
        let compiled = try Tool.nnmip(["compile", "--model", fixture.model, "--networks", fixture.networks, "-o", combined, "--quiet"])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let solutions: [(Solver, [String])] = [
            (.highs, ["--model_file", combined, "--solution_file", folder.path("highs.sol")]),
            (.cbc, [combined, "-solve", "-solution", folder.path("cbc.sol")]),
            (.glpk, ["--freemps", combined, "-w", folder.path("glpk.sol")]),
        ]
        for (solver, arguments) in solutions {
            try solver.require()
            _ = try Tool.run(solver.executable, arguments)
            let file = folder.path("\(solver.rawValue).sol")
            let checked = try Self.check(fixture, file)
            let fields = textFields(checked.stdout)
            #expect(checked.status == 0 && fields["check"] == "passed", "\(solver): \(checked.stdout) \(checked.stderr)")
            #expect(fixture.isOptimum(try #require(Double(fields["network_objective"] ?? "")), relative: 1e-5), "\(solver): \(checked.stdout)")
        }
    }

    @Test(.needsHiGHS) func scipsSolutionOfAnotherFormulationHoldsWithItsOutputsFromTheNetworks() throws {
        // function's f_hat.y0 is a column only nnmip's formulation has: SCIP's solution lacks it.
        let fixture = try EmbeddingFixture.load("function")
        let folder = try Folder()
        let file = folder.path("scip.sol")
        let lines = ["# Objective value = \(fixture.objective)"]
            + fixture.columns.filter { $0.key != "f_hat.y0" }.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let checked = try Self.check(fixture, file)
        let fields = textFields(checked.stdout)
        #expect(checked.status == 0 && fields["check"] == "passed" && fields["outputs_from_networks"] == "1", "\(checked.stdout)\(checked.stderr)")
        #expect(fixture.isOptimum(try #require(Double(fields["network_objective"] ?? ""))), "\(checked.stdout)")
    }

    @Test(.needsHiGHS) func aPerturbedSolutionIsRejectedWithTheDocumentedStatus() throws {
        let fixture = try EmbeddingFixture.load("janos_n50_1x10")
        let folder = try Folder()
        var (_, written) = try Self.solve(fixture, into: folder)
        var columns = try #require(written["columns"] as? [String: Double])
        // More scholarship for student 0: the network's enrollment changes, the file's p_0 does not.
        columns["merit_0"] = min(2.5, (columns["merit_0"] ?? 0) + 1)
        written["columns"] = columns
        let moved = folder.path("moved.json")
        try JSONSerialization.data(withJSONObject: written).write(to: URL(fileURLWithPath: moved))
        let mismatched = try Self.check(fixture, moved, json: true)
        #expect(mismatched.status == 3 && mismatched.stderr.contains("network 'enroll_0'"), "\(mismatched.stderr)")
        let report = try Self.json(mismatched.stdout)
        #expect(report["check"] as? String == "failed" && (report["failure"] as? String)?.contains("enroll_0") == true)

        // With p_0 the network's output there, the outputs agree, but the budget row breaks.
        let networks = try #require(report["networks"] as? [[String: Any]])
        let truth = try #require((networks.first { $0["name"] as? String == "enroll_0" }?["outputs"] as? [Double])?.first)
        columns["p_0"] = truth
        written["columns"] = columns
        try JSONSerialization.data(withJSONObject: written).write(to: URL(fileURLWithPath: moved))
        let infeasible = try Self.check(fixture, moved)
        #expect(infeasible.status == 2 && infeasible.stderr.contains("row 'budget'"), "\(infeasible.stdout)\(infeasible.stderr)")
        #expect(textFields(infeasible.stdout)["check"] == "failed")
    }

    @Test(.needsHiGHS) func aSolutionThatLacksAColumnOrIsNoSolutionIsMalformed() throws {
        let fixture = try EmbeddingFixture.load("janos_n50_1x10")
        let folder = try Folder()
        let partial = folder.path("partial.sol")
        try "# Objective value = 1\nmerit_0 1\n".write(toFile: partial, atomically: true, encoding: .utf8)
        let lacking = try Self.check(fixture, partial)
        #expect(lacking.status == 65 && lacking.stderr.contains("has no value for it"), "\(lacking.stderr)")
        let garbage = folder.path("garbage.txt")
        try "hello\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        #expect(try Self.check(fixture, garbage).status == 65)
        let usage = try Tool.nnmip(["check", "--point", garbage])
        #expect(usage.status == 64, "\(usage.stderr)")
    }
}
