import Foundation
import Testing
import TestSupport

/// `nnmip solve --model base.mps --networks embed.json`: the embedded HiGHS reaches the optimum
/// SCIP proved for the real examples, reports it in the model's sense and says where the sense came
/// from, and judges the solution on the original networks.
@Suite(.serialized) struct EmbeddingSolveTests {
    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-embed-solve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(.needsHiGHS, arguments: ["diet", "diet_t80", "function", "janos_n50_1x10", "janos_n50_2x10", "janos_n500_1x10"])
    func theRealExamplesReachTheOptimumSCIPFound(name: String) throws {
        let fixture = try EmbeddingFixture.load(name)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let solutionFile = folder.appendingPathComponent("solution.json").path
        let solved = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--mip-gap", "0",
                                     "--solution", solutionFile] + fixture.senseArguments)
        #expect(solved.status == 0, "\(solved.stderr)")
        let fields = textFields(solved.stdout)
        let objective = try #require(Double(fields["objective"] ?? ""), "\(solved.stdout)")
        #expect(fields["status"] == "optimal" && fixture.isOptimum(objective), "\(name): \(objective) vs SCIP's \(fixture.objective)")
        #expect(fields["sense"]?.hasPrefix(fixture.maximize ? "maximize" : "minimize") == true, "\(fields["sense"] ?? "")")
        let networkObjective = try #require(Double(fields["network_objective"] ?? ""))
        #expect(fields["check"] == "passed" && fixture.isOptimum(networkObjective))
        #expect((Double(fields["output_difference"] ?? "") ?? 1) <= 1e-6)

        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: solutionFile))) as? [String: Any])
        #expect(written["format"] as? String == "nnmip-embedded-solution-1" && written["check"] as? String == "passed")
        let columns = try #require(written["columns"] as? [String: Double])
        // Every column of the model by its name: those SCIP's solution names too.
        #expect(Set(fixture.columns.keys).isSubset(of: Set(columns.keys)), "\(Set(fixture.columns.keys).subtracting(columns.keys))")
        let networks = try #require(written["networks"] as? [[String: Any]])
        #expect(networks.allSatisfy { ($0["output_difference"] as? Double ?? 1) <= 1e-6 } && !networks.isEmpty)
    }

    @Test(.needsHiGHS) func pulpsFileIsSolvedInTheSenseItsCommentGivesOnlyWithSense() throws {
        let fixture = try EmbeddingFixture.load("janos_n500_1x10")
        let minimized = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--time-limit", "20"])
        #expect(minimized.status == 0 && minimized.stderr.contains("warning") && minimized.stderr.contains("--sense max"), "\(minimized.stderr)")
        #expect(textFields(minimized.stdout)["sense"] == "minimize (the model file)", "\(minimized.stdout)")
        let maximized = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--sense", "max", "--time-limit", "20", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(maximized.stdout.utf8)) as? [String: Any])
        #expect(report["sense"] as? String == "maximize" && report["sense_origin"] as? String == "the model file, sense from --sense max")
        #expect(!maximized.stderr.contains("warning"), "\(maximized.stderr)")
    }

    @Test(.needsHiGHS) func theObjectiveOfTheCommandLineReplacesTheFilesAndTheShorthandWorks() throws {
        // function: minimize f_hat.y0 subject to g = median; maximizing it instead gives another optimum, at least SCIP's minimum.
        let fixture = try EmbeddingFixture.load("function")
        let network = "fixtures/embedding/function_f_3x8.onnx", g = "fixtures/embedding/function_g_3x8.onnx"
        let solved = try Tool.nnmip(["solve", "--model", fixture.model, "--network", "f_hat=\(network)", "--network", "g_hat=\(g)",
                                     "--link", "f_hat.x=x_0,x_1,x_2,x_3,x_4", "--link", "g_hat.x=x_0,x_1,x_2,x_3,x_4", "--link", "g_hat.y=g",
                                     "--minimize", "f_hat.y0", "--mip-gap", "0"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let fields = textFields(solved.stdout)
        let minimum = try #require(Double(fields["objective"] ?? ""))
        #expect(fixture.isOptimum(minimum) && fields["sense"] == "minimize (--minimize)", "\(solved.stdout)")
        let maximized = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--maximize", "f_hat.y0"])
        let maximum = try #require(Double(textFields(maximized.stdout)["objective"] ?? ""), "\(maximized.stdout)")
        #expect(maximum > fixture.objective + 1 && textFields(maximized.stdout)["sense"] == "maximize (--maximize)")
    }

    /// The dense solve's --trace: the start's points (the model's own LP's and the LP relaxation's,
    /// repaired, then the best polished), then HiGHS's improving solutions, judged on the original networks, timed in seconds since the
    /// command started (so within the process's own wall time), in order; the best is the solution
    /// the report gives.
    @Test(.needsHiGHS) func theDenseSolveTracesItsSolutionsInSecondsSinceTheCommandStarted() throws {
        let fixture = try EmbeddingFixture.load("janos_n50_1x10")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("trace.csv").path
        let started = Date()
        let solved = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--mip-gap", "0", "--trace", trace, "--quiet"])
        let wall = Date().timeIntervalSince(started)
        #expect(solved.status == 0, "\(solved.stderr)")
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.first == ["seconds", "source", "surrogate_objective", "original_objective"])
        let rows = lines.dropFirst()
        let seconds = rows.compactMap { Double($0[0]) }
        // The start's points (the model's LP's first, repaired), then HiGHS's.
        let sources = rows.map { String($0[1]) }
        #expect(sources.first == "model-lp repaired", "\(sources)")
        let startSources: Set = ["model-lp repaired", "lp-relaxation repaired", "polish", "walk"]
        #expect(Set(sources).isSubset(of: startSources.union(["dense"])), "\(sources)")
        #expect(sources.drop { startSources.contains($0) }.allSatisfy { $0 == "dense" }, "the start comes before HiGHS: \(sources)")
        #expect(!rows.isEmpty && seconds.count == rows.count, "\(rows)")
        #expect(seconds == seconds.sorted() && seconds.allSatisfy { $0 >= 0 && $0 <= wall }, "\(seconds) within \(wall) s")
        // JANOS maximizes: the best traced objective is the solution the report gives.
        let best = try #require(rows.compactMap { Double($0[3]) }.filter { !$0.isNaN }.max())
        let reported = try #require(Double(textFields(solved.stdout)["network_objective"] ?? ""))
        #expect(abs(best - reported) <= 1e-9 * max(1, abs(reported)), "\(best) vs \(reported)")
    }

    /// The default start of `solve --model`: before HiGHS branches, the model's own LP and the LP
    /// relaxation give points whose linked inputs, evaluated on the original networks and repaired,
    /// are truly feasible, and the best is polished. On JANOS n=500 with 3x10 networks (1,500
    /// binaries), where HiGHS alone had no incumbent in 60 s, the relaxation's point is within 15% of
    /// SCIP's optimum (0.87 of it measured, 0.90 polished), so a 20 s solve ends with a solution that
    /// `check` accepts, at least 0.85 of the optimum and no better than it. `--start none` traces no start.
    @Test(.needsHiGHS) func theLPRelaxationRepairedGivesAFeasibleStartBeforeHiGHSBranches() throws {
        let fixture = try EmbeddingFixture.load("janos_n500_3x10")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("trace.csv").path, solution = folder.appendingPathComponent("best.json").path
        let solved = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--time-limit", "20", "--threads", "1",
                                     "--trace", trace, "--solution", solution] + fixture.senseArguments)
        #expect(solved.status == 0, "\(solved.stderr)")
        #expect(solved.stderr.contains("nnmip: start: LP relaxation"), "the start says what it did: \(solved.stderr)")
        let fields = textFields(solved.stdout)
        let objective = try #require(Double(fields["objective"] ?? ""), "\(solved.stdout)")
        // "feasible (gap ...)" when HiGHS stops at the limit, as it does here.
        #expect(["feasible", "optimal"].contains(fields["status"]?.split(separator: " ").first) && fields["check"] == "passed", "\(solved.stdout)")
        let slack = 1e-6 * max(1, abs(fixture.objective))
        #expect(objective <= fixture.objective + slack && objective >= fixture.objective * 0.85, "\(objective) vs SCIP's \(fixture.objective)")
        let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let relaxation = try #require(rows.first { $0[1] == "lp-relaxation repaired" }, "\(rows.prefix(3))")
        #expect(Double(relaxation[3]).map { $0 >= fixture.objective * 0.8 } == true, "holds, and is good: \(relaxation)")
        let checked = try Tool.nnmip(["check", "--model", fixture.model, "--networks", fixture.networks, "--point", solution] + fixture.senseArguments)
        #expect(checked.status == 0, "check accepts the solution: \(checked.stdout)")

        let unstarted = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--time-limit", "2", "--start", "none",
                                        "--trace", trace, "--quiet"] + fixture.senseArguments)
        #expect(unstarted.status == 0, "\(unstarted.stderr)")
        let untraced = try String(contentsOfFile: trace, encoding: .utf8)
        #expect(!untraced.contains("model-lp") && !untraced.contains("lp-relaxation"), "\(untraced)")
    }

    /// When no LP's point holds (the function-approximation model: its equality on a network's output
    /// breaks with the true outputs at both LPs' points, and the region LP there is infeasible), the
    /// start walks, region by region, to a point that does: the trace has a `walk` point whose value
    /// is the original networks' (it holds), before any of HiGHS's, and the solve still ends at SCIP's
    /// optimum.
    @Test(.needsHiGHS) func aStartWhoseTrueOutputsBreakTheModelIsWalkedToOneThatHolds() throws {
        let fixture = try EmbeddingFixture.load("function")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("trace.csv").path
        let solved = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--mip-gap", "0", "--trace", trace]
                                    + fixture.senseArguments)
        #expect(solved.status == 0, "\(solved.stderr)")
        #expect(solved.stderr.contains("nnmip: start: walk toward feasibility, round"), "\(solved.stderr)")
        let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let walk = try #require(rows.firstIndex { $0[1] == "walk" }, "\(rows.map { $0[1] })")
        #expect(Double(rows[walk][3]).map { !$0.isNaN } == true, "the walk's point holds: \(rows[walk])")
        #expect(rows[..<walk].allSatisfy { $0[1] != "dense" }, "the walk comes before HiGHS's solutions")
        let objective = try #require(Double(textFields(solved.stdout)["objective"] ?? ""))
        #expect(fixture.isOptimum(objective), "\(objective) vs SCIP's \(fixture.objective)")
    }

    /// The surrogate search in the user's model: every answer it gives holds on the original networks
    /// and is no better than the optimum; on JANOS (whose only row binds the inputs) the repair of a
    /// surrogate's solution is feasible, on the diet with a binding palatability row the true output
    /// breaks the row and polishing makes the point feasible; --finish-dense then reaches the optimum.
    @Test(.needsHiGHS, arguments: [("janos_n50_1x10", "repaired"), ("diet_t80", "(repair infeasible)")])
    func theSurrogateSearchRepairsOrPolishesIntoTrulyFeasibleSolutions(name: String, traced: String) throws {
        let fixture = try EmbeddingFixture.load(name)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("trace.csv").path, solution = folder.appendingPathComponent("best.json").path
        let searched = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--surrogate", "prune=0.5",
                                       "--time-limit", "20", "--trace", trace, "--solution", solution, "--quiet"])
        #expect(searched.status == 0, "\(searched.stderr)")
        let fields = textFields(searched.stdout)
        let objective = try #require(Double(fields["objective"] ?? ""), "\(searched.stdout)")
        #expect(fields["check"] == "passed" && fields["status"] == "feasible" && fields["bound"] == "-", "\(searched.stdout)")
        let slack = 1e-6 * max(1, abs(fixture.objective))
        #expect(fixture.maximize ? objective <= fixture.objective + slack : objective >= fixture.objective - slack, "\(objective) vs \(fixture.objective)")
        #expect(try String(contentsOfFile: trace, encoding: .utf8).contains(traced), "the trace shows '\(traced)'")
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: solution))) as? [String: Any])
        #expect(written["source"] as? String == fields["source"] && written["check"] as? String == "passed")
        let checked = try Tool.nnmip(["check", "--model", fixture.model, "--networks", fixture.networks, "--point", solution])
        #expect(checked.status == 0, "the best point holds for check too: \(checked.stdout)")

        let finished = try Tool.nnmip(["solve", "--model", fixture.model, "--networks", fixture.networks, "--surrogate", "prune=0.5", "--finish-dense",
                                       "--time-limit", "60", "--mip-gap", "0", "--quiet"])
        let final = textFields(finished.stdout)
        let optimum = try #require(Double(final["objective"] ?? ""), "\(finished.stdout)")
        #expect(final["status"] == "optimal" && fixture.isOptimum(optimum), "\(finished.stdout)")
        #expect(final["bound"] != "-" && final["check"] == "passed")
    }

    @Test(arguments: [
        (["solve", "--model", "m.mps", "--networks", "e.json", "--start", "sample"], "--start with --model is 'relaxation' (the default) or 'none'"),
        (["solve", "--model", "m.mps", "--networks", "e.json", "--surrogate", "prune=0.5"], "--surrogate needs --time-limit"),
        (["solve", "--model", "m.mps", "--networks", "e.json", "--finish-dense"], "--finish-dense goes with --surrogate"),
        (["solve", "--model", "m.mps", "--networks", "e.json", "--time-limit", "0"], "--time-limit"),
    ])
    func optionsThatDoNotApplyAreUsageErrors(arguments: [String], says: String) throws {
        let result = try Tool.nnmip(arguments)
        #expect(result.status == 64 && result.stderr.contains(says), "\(result.stderr)")
    }
}
