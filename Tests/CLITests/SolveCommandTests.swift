import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// `nnmip solve` and `nnmip solution read` as users run them, checked against
/// the `highs`, `cbc` and `glpsol` binaries solving the MPS that `compile` writes.
@Suite(.serialized) struct SolveCommandTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"
    let problem = ["--input-box", "-1:1", "--maximize", "y1 - 2*y2"]

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-solve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `name: value` lines of text output.
    private func fields(_ text: String) -> [String: String] {
        textFields(text)
    }

    @Test(.needsHiGHS, .needs(.highs)) func theOptimumIsTheOneTheHighsBinaryFindsInTheCompiledMPS() throws {
        _ = try EmbeddedHiGHS.require()
        try Solver.highs.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mps = folder.appendingPathComponent("m.mps").path
        let compiled = try Tool.nnmip(["compile", model] + problem + ["-o", mps])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let reference = try Solver.highs.solve(mps)
        // MPS minimizes, so the maximum is minus HiGHS's objective there.
        let maximum = -(try #require(reference.objective))

        for level in ["-O0", "-O2"] {
            let solved = try Tool.nnmip(["solve", model] + problem + [level])
            #expect(solved.status == 0, "\(solved.stderr)")
            let values = fields(solved.stdout)
            #expect(values["status"] == "optimal", "\(solved.stdout)")
            let objective = try #require(Double(values["objective"] ?? ""))
            let networkObjective = try #require(Double(values["network_objective"] ?? ""))
            #expect(abs(objective - maximum) <= 1e-6 * max(1, abs(maximum)), "\(level): \(objective) vs highs \(maximum)")
            #expect(abs(networkObjective - objective) <= 1e-6, "\(solved.stdout)")
            #expect((Double(values["output_difference"] ?? "") ?? 1) <= 1e-6)
            #expect(solved.stdout.contains("input X: [") && solved.stdout.contains("output Y: ["), "\(solved.stdout)")
        }
    }

    @Test(.needsHiGHS) func jsonOutputAndTheSolutionFileSayTheSame() throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("solution.json").path
        let log = folder.appendingPathComponent("highs.log").path
        let solved = try Tool.nnmip(["solve", model] + problem + ["--format", "json", "--solution", file, "--log", log, "--threads", "1", "--seed", "3", "--mip-gap", "0"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let printed = try #require(try JSONSerialization.jsonObject(with: Data(solved.stdout.utf8)) as? [String: Any])
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        #expect(printed["status"] as? String == "optimal")
        for key in ["objective", "bound", "gap", "network_objective", "output_difference"] {
            #expect(printed[key] is Double, "\(key) in \(solved.stdout)")
        }
        #expect((written["inputs"] as? [String: [Double]])?["X"] == (printed["inputs"] as? [String: [Double]])?["X"])
        let input = try #require((printed["inputs"] as? [String: [Double]])?["X"])
        #expect(input.count == 4 && input.allSatisfy { (-1...1).contains($0) }, "\(input)")
        let logText = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logText.contains("HiGHS"), "the log file holds HiGHS's log")

        // The input point, evaluated by `nnmip eval`, gives the reported outputs.
        let inputFile = folder.appendingPathComponent("x.json").path
        try "[\(input.map { "\($0)" }.joined(separator: ", "))]".write(toFile: inputFile, atomically: true, encoding: .utf8)
        let evaluated = try Tool.nnmip(["eval", model, "--input", inputFile, "--format", "json"])
        let outputs = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: [Double]])
        // (JSONSerialization may read a number 1 ulp off, so the comparison allows for that.)
        let reported = try #require((printed["outputs"] as? [String: [Double]])?["Y"])
        #expect(zip(try #require(outputs["Y"]), reported).allSatisfy { abs($0 - $1) <= 1e-12 }, "\(String(describing: outputs["Y"])) vs \(reported)")
    }

    @Test(.needsHiGHS) func aTimeLimitStopsAHardSolveWithAnHonestStatus() throws {
        _ = try EmbeddedHiGHS.require()
        let solved = try Tool.nnmip(["solve", "fixtures/onnx/small_cnn.onnx", "--input-box", "0:1", "--maximize", "y0", "-O0", "--time-limit", "1"])
        #expect(solved.status == 0, "\(solved.stderr)")
        // `feasible` names its gap: `feasible (gap 0.41)`.
        let status = (fields(solved.stdout)["status"] ?? "").components(separatedBy: " (gap ").first ?? ""
        #expect(["feasible", "time limit", "optimal"].contains(status), "\(solved.stdout)")
        if status == "feasible" {
            let objective = try #require(Double(fields(solved.stdout)["objective"] ?? ""))
            let bound = try #require(Double(fields(solved.stdout)["bound"] ?? ""))
            #expect(bound >= objective, "a maximization's bound is above its incumbent")
        }
        #expect((Double(fields(solved.stdout)["seconds"] ?? "") ?? 99) < 10)
    }

    @Test(.needsHiGHS) func lpBoundsThenAMultiThreadedSolveWork() throws {
        // bounds-lp starts HiGHS's thread pool with one thread; the solve then asks for two.
        _ = try EmbeddedHiGHS.require()
        let solved = try Tool.nnmip(["solve", model] + problem + ["-O3", "--threads", "2", "--quiet"])
        #expect(solved.status == 0, "\(solved.stderr)")
        #expect(fields(solved.stdout)["status"] == "optimal", "\(solved.stdout)")
        #expect(solved.stderr.isEmpty, "--quiet silences the bounds-lp progress too: \(solved.stderr)")
    }

    /// small_cnn over [0, 1]: the dense MILP gives HiGHS no solution in seconds; pruned surrogates do, and
    /// the answer is the ORIGINAL network's value at the point found.
    @Test(.needsHiGHS) func surrogateSolutionsAreJudgedOnTheOriginalNetwork() throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cnn = "fixtures/onnx/small_cnn.onnx", trace = folder.appendingPathComponent("trace.csv").path
        let plot = folder.appendingPathComponent("trace.svg").path
        let solved = try Tool.nnmip(["solve", cnn, "--input-box", "0:1", "--maximize", "y0", "--surrogate", "prune=0.9,0.8",
                                     "--time-limit", "6", "--trace", trace, "--plot", plot, "--threads", "1"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let values = fields(solved.stdout)
        #expect(values["status"] == "feasible", "\(solved.stdout)")
        let objective = try #require(Double(values["objective"] ?? ""))
        #expect(["sample", "gradient", "walk", "lp-relaxation", "prune=0.9", "prune=0.8", "polish"].contains(values["source"] ?? ""), "\(solved.stdout)")

        // The printed input, evaluated independently by `nnmip eval`, gives that objective.
        let input = try #require(values["input X"])
        let inputFile = folder.appendingPathComponent("x.json").path
        try input.write(toFile: inputFile, atomically: true, encoding: .utf8)
        let evaluated = try Tool.nnmip(["eval", cnn, "--input", inputFile])
        let y0 = try #require(Double(evaluated.stdout.split(separator: "\n").first ?? ""))
        #expect(abs(y0 - objective) <= 1e-12 * max(1, abs(y0)), "eval gives \(y0), solve says \(objective)")

        // The trace holds every judged solution; the answer is its best original objective.
        let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(!rows.isEmpty)
        let originals = rows.compactMap { Double($0[3]) }
        #expect(originals.max() == objective, "\(originals)")
        #expect(rows.allSatisfy { ["sample", "gradient", "walk", "lp-relaxation", "prune=0.9", "prune=0.8", "polish"].contains(String($0[1])) })
        #expect(["sample", "gradient"].contains(rows.first?[1] ?? ""), "the best sampled point, or its gradient ascent, is the first incumbent")
        // found_at is when the trace first holds the answer, by the member the report names.
        let first = rows.first { Double($0[3]) == objective }
        #expect(first.map { String($0[0]) } == values["found_at"] && first.map { String($0[1]) } == values["source"], "\(solved.stdout)")

        // The chart is well-formed SVG with one dot per judged solution and the best-so-far line.
        let svg = try Data(contentsOf: URL(fileURLWithPath: plot))
        let parser = XMLParser(data: svg)
        #expect(parser.parse(), "the SVG does not parse: \(String(describing: parser.parserError))")
        let text = String(decoding: svg, as: UTF8.self)
        #expect(text.components(separatedBy: "class=\"solution\"").count - 1 == originals.count)
        #expect(text.contains("<path class=\"best\""))
    }

    /// On mlp_2x8, the surrogate at half the weights ends in a point that the LP of the original network's
    /// linear region there improves; the polished answer is the network's own value and beats every
    /// surrogate point. One thread: the gradient restarts beside the MILPs reach the maximum itself here.
    @Test(.needsHiGHS) func polishingImprovesTheBestPointInItsLinearRegion() throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("trace.csv").path
        let solved = try Tool.nnmip(["solve", model, "--input-box", "-1:1", "--maximize", "y0", "--surrogate", "prune=0.5",
                                     "--time-limit", "5", "--trace", trace, "--threads", "1"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let values = fields(solved.stdout)
        #expect(values["source"] == "polish", "\(solved.stdout)")
        let objective = try #require(Double(values["objective"] ?? ""))
        let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let surrogateBest = rows.filter { $0[1] == "prune=0.5" }.compactMap { Double($0[3]) }.max() ?? .infinity
        #expect(objective > surrogateBest, "polish gave \(objective), the surrogate's best point \(surrogateBest)")
        // Never above the true maximum of y0 over the box (0.27876593707922, see PropertyVerificationTests).
        #expect(objective <= 0.27876593707922 + 1e-9)
        let inputFile = folder.appendingPathComponent("x.json").path
        try (values["input X"] ?? "").write(toFile: inputFile, atomically: true, encoding: .utf8)
        let y0 = Double(try Tool.nnmip(["eval", model, "--input", inputFile]).stdout.split(separator: "\n").first ?? "")
        #expect(y0 == objective)
    }

    /// The other surrogates of the paper, random weights and whole neurons, answer with the original network's value.
    @Test(.needsHiGHS, arguments: ["prune-random=0.5", "prune-neurons=0.5"])
    func otherPruningMethodsAreJudgedOnTheOriginalNetwork(surrogate: String) throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("trace.csv").path
        let solved = try Tool.nnmip(["solve", model, "--input-box", "-1:1", "--maximize", "y0", "--surrogate", surrogate,
                                     "--time-limit", "4", "--trace", trace, "--threads", "1"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let values = fields(solved.stdout)
        let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.contains { $0[1] == surrogate }, "no solution of \(surrogate) in the trace")
        let objective = try #require(Double(values["objective"] ?? ""))
        let inputFile = folder.appendingPathComponent("x.json").path
        try (values["input X"] ?? "").write(toFile: inputFile, atomically: true, encoding: .utf8)
        #expect(Double(try Tool.nnmip(["eval", model, "--input", inputFile]).stdout.split(separator: "\n").first ?? "") == objective)
    }

    /// Without --surrogate, --trace records the dense MILP's improving solutions: each is the network's own
    /// value at its point, they only improve, and the last is the optimum printed.
    @Test(.needsHiGHS) func theDenseSolveIsTracedToo() throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let trace = folder.appendingPathComponent("trace.csv").path
        let solved = try Tool.nnmip(["solve", model, "--input-box", "-1:1", "--maximize", "y0", "--trace", trace, "--start", "sample"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let values = fields(solved.stdout)
        #expect(values["status"] == "optimal")
        let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(!rows.isEmpty && rows.allSatisfy { $0[1] == "dense" })
        let originals = rows.compactMap { Double($0[3]) }
        #expect(originals.count == rows.count && originals == originals.sorted(), "\(originals)")
        let objective = try #require(Double(values["network_objective"] ?? ""))
        #expect(abs((originals.last ?? .nan) - objective) <= 1e-9, "\(originals) vs \(objective)")
        for row in rows { #expect(abs(Double(row[2])! - Double(row[3])!) <= 1e-6, "the MILP and the network disagree: \(row)") }
    }

    /// small_cnn over [0, 1]^64: HiGHS alone finds no solution in 2 s, so `--start none` ends with
    /// none, while the default start (sampled points climbed by gradient ascent) gives it one, whose
    /// objective is the network's own value at the printed input.
    @Test(.needsHiGHS) func theDefaultStartGivesHiGHSASolutionWhereItFindsNone() throws {
        _ = try EmbeddedHiGHS.require()
        let problem = ["solve", "fixtures/onnx/small_cnn.onnx", "--input-box", "0:1", "--maximize", "y0", "--time-limit", "2", "--threads", "1", "--quiet"]
        let alone = fields(try Tool.nnmip(problem + ["--start", "none"]).stdout)
        #expect(alone["status"] == "time limit" && alone["objective"] == "-", "\(alone)")
        let started = try Tool.nnmip(problem)
        let values = fields(started.stdout)
        #expect(started.status == 0 && values["status"]?.hasPrefix("feasible") == true, "\(started.stdout)\(started.stderr)")
        let objective = try #require(Double(values["objective"] ?? ""))
        #expect(Double(values["network_objective"] ?? "") == objective, "\(values)")
    }

    @Test func surrogateOptionsAreChecked() throws {
        for arguments in [["--surrogate", "prune=0.8"], ["--surrogate", "prune=1.2", "--time-limit", "5"],
                          ["--surrogate", "prune=", "--time-limit", "5"], ["--surrogate", "prune-fancy=0.5", "--time-limit", "5"],
                          ["--finish-dense"]] {
            let result = try Tool.nnmip(["solve", model] + problem + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }

    @Test func solveErrorsAreExplained() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-none-\(UUID().uuidString)/libhighs.so").path
        let noLibrary = try Tool.nnmip(["solve", model] + problem + ["--highs-library", missing])
        #expect(noLibrary.status == 69 && noLibrary.stderr.contains(missing), "\(noLibrary.stderr)")
        let unbounded = try Tool.nnmip(["solve", model, "--maximize", "y0"])
        #expect(unbounded.status == 64 || unbounded.status == 65, "\(unbounded.stderr)")
        #expect(unbounded.stderr.contains("--input-box"), "the error says how to bound the inputs: \(unbounded.stderr)")
        let badLimit = try Tool.nnmip(["solve", model] + problem + ["--time-limit", "-3"])
        #expect(badLimit.status == 64, "\(badLimit.stderr)")
    }

    /// Each solver writes its own solution file for the compiled MPS; `solution read` maps it back.
    @Test(arguments: [Solver.highs, .cbc, .glpk])
    func solutionFilesOfEverySolverMapBackToTheNetwork(solver: Solver) throws {
        try solver.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mps = folder.appendingPathComponent("m.mps").path, names = folder.appendingPathComponent("names.json").path
        let solution = folder.appendingPathComponent("m.sol").path
        let compiled = try Tool.nnmip(["compile", model] + problem + ["-o", mps, "--names", names])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        let arguments: [String] = switch solver {
        case .highs: ["--model_file", mps, "--solution_file", solution, "--options_file", folder.appendingPathComponent("h.options").path]
        case .cbc: [mps, "-solve", "-solution", solution]
        case .glpk: ["--freemps", mps, "-w", solution]
        }
        // HiGHS's log goes into the test's folder, not the working folder.
        try "log_file = \"\(folder.appendingPathComponent("h.log").path)\"\n".write(toFile: folder.appendingPathComponent("h.options").path, atomically: true, encoding: .utf8)
        let ran = try Tool.run(solver.executable, arguments)
        #expect(ran.status == 0, "\(ran.stdout)\(ran.stderr)")
        // The same solution, read by the test's own parser, for comparison.
        let reference = try solver.solve(mps)

        let read = try Tool.nnmip(["solution", "read", solution, "--names", names])
        #expect(read.status == 0, "\(read.stderr)")
        let values = fields(read.stdout)
        #expect((Double(values["output_difference"] ?? "") ?? 1) <= 1e-6, "\(read.stdout)")
        let input = try #require(values["input X"]).dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        #expect(input.count == 4)
        for (k, x) in input.enumerated() {
            let expected = try #require(reference.values["x_l0_n\(k)"])
            #expect(abs(x - expected) <= 1e-6, "x\(k): \(x) vs \(expected)")
        }
        // The network's y1 - 2*y2 at that input is the solver's optimum (MPS minimizes the negation).
        let outputs = try #require(values["output Y"]).dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let objective = try #require(reference.objective)
        #expect(abs((outputs[1] - 2 * outputs[2]) + objective) <= 1e-5, "\(outputs) vs \(objective)")
    }

    static let scip = Paths.root.appendingPathComponent(".tools/scip/pyscipopt").path
    static var hasSCIP: Bool { FileManager.default.fileExists(atPath: scip) }

    /// SCIP (the pyscipopt wheel in .tools/scip, driven by scripts/solvers/scip_solve.py) writes only the
    /// variables that are not zero; the point read back must still be HiGHS's optimum on the network.
    @Test(.needs(.highs), .enabled(if: Requirements.inCI || Self.hasSCIP, "needs pyscipopt in .tools/scip (scripts/setup.sh installs it)"))
    func scipSolutionsMapBackToTheNetwork() throws {
        guard Self.hasSCIP else { throw Requirements.Unmet(description: "\(Self.scip) is missing: CI must run scripts/setup.sh") }
        try Solver.highs.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mps = folder.appendingPathComponent("m.mps").path, names = folder.appendingPathComponent("names.json").path
        let solution = folder.appendingPathComponent("m.sol").path
        _ = try Tool.nnmip(["compile", model] + problem + ["-o", mps, "--names", names])
        let ran = try Tool.run("/usr/bin/env", ["PYTHONPATH=" + Paths.root.appendingPathComponent(".tools/scip").path,
                                                "python3", "scripts/solvers/scip_solve.py", mps, solution, "60"])
        #expect(ran.status == 0, "\(ran.stderr)")
        let read = try Tool.nnmip(["solution", "read", solution, "--names", names])
        #expect(read.status == 0, "\(read.stderr)")
        let values = fields(read.stdout)
        #expect(values["format"] == "SCIP")
        #expect((Double(values["output_difference"] ?? "") ?? 1) <= 1e-6, "\(read.stdout)")
        let outputs = try #require(values["output Y"]).dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let optimum = try #require(try Solver.highs.solve(mps).objective)
        #expect(abs((outputs[1] - 2 * outputs[2]) + optimum) <= 1e-6, "SCIP's point gives \(outputs), HiGHS's optimum is \(-optimum)")
    }

    @Test func solutionReadRejectsWhatItCannotRead() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = folder.appendingPathComponent("names.json").path
        _ = try Tool.nnmip(["compile", model] + problem + ["-o", folder.appendingPathComponent("m.mps").path, "--names", names])
        let garbage = folder.appendingPathComponent("garbage.sol").path
        try "hello world\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let result = try Tool.nnmip(["solution", "read", garbage, "--names", names])
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.contains(garbage) && result.stderr.contains("line 1"), "\(result.stderr)")
        let partial = folder.appendingPathComponent("partial.sol").path
        try "# Objective value = 1\nx_l0_n0 0.5\n".write(toFile: partial, atomically: true, encoding: .utf8)
        let missing = try Tool.nnmip(["solution", "read", partial, "--names", names])
        #expect(missing.status == 65 && missing.stderr.contains("x_l0_n1"), "\(missing.stderr)")
    }

    /// With one thread and a seed, a search that ends before its limit repeats exactly: the same
    /// answer and the same trace row for row (its seconds aside, which are the clock's), through
    /// every member (sampling, the gradient, the walk, the surrogates' MILPs, polishing, the dense MILP).
    @Test(.needsHiGHS) func oneThreadAndASeedRepeatTheSearch() throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        func run(_ name: String, seed: String) throws -> (stdout: String, rows: [String]) {
            let trace = folder.appendingPathComponent(name).path
            let solved = try Tool.nnmip(["solve", model, "--input-box", "-1:1", "--maximize", "y0", "--surrogate", "prune=0.5,0.3", "--finish-dense",
                                         "--time-limit", "60", "--trace", trace, "--threads", "1", "--seed", seed])
            #expect(solved.status == 0, "\(solved.stderr)")
            #expect(fields(solved.stdout)["status"] == "optimal", "the run must end before its limit: \(solved.stdout)")
            let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst()
            // Everything but the seconds, and the report without found_at (seconds too).
            return (solved.stdout.split(separator: "\n").filter { !$0.hasPrefix("found_at:") }.joined(separator: "\n"),
                    rows.map { String($0.drop { $0 != "," }) })
        }
        let first = try run("a.csv", seed: "11"), second = try run("b.csv", seed: "11")
        #expect(first.rows.count >= 3, "\(first.rows)")
        #expect(first.rows == second.rows, "\(first.rows)\n\(second.rows)")
        #expect(first.stdout == second.stdout)
        // Another seed draws other sampled points: the first traced value differs.
        let other = try run("c.csv", seed: "12")
        #expect(other.rows.first != first.rows.first, "\(other.rows.first ?? "") for both seeds")
    }

    /// `--members walk` runs the region walk alone: every traced point is the walk's, and the answer
    /// is the network's own value at the printed input (`nnmip eval`); a list with an unknown member,
    /// or `--finish-dense` without the member milp, is a usage error naming the option.
    @Test(.needsHiGHS) func membersRunAlone() throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let net = "fixtures/onnx/mlp_2x8.onnx", trace = folder.appendingPathComponent("trace.csv").path
        let base = ["solve", net, "--input-box", "-1:1", "--maximize", "y0", "--surrogate", "prune=0.5", "--time-limit", "2", "--threads", "1"]
        let solved = try Tool.nnmip(base + ["--members", "walk", "--trace", trace])
        #expect(solved.status == 0, "\(solved.stderr)")
        let values = fields(solved.stdout)
        #expect(values["source"] == "walk", "\(solved.stdout)")
        let rows = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0.split(separator: ",")[1] == "walk" }, "\(rows)")
        let inputFile = folder.appendingPathComponent("x.json").path
        try #require(values["input X"]).write(toFile: inputFile, atomically: true, encoding: .utf8)
        let evaluated = try Tool.nnmip(["eval", net, "--input", inputFile])
        let y0 = try #require(Double(evaluated.stdout.split(separator: "\n").first ?? "")), objective = try #require(Double(values["objective"] ?? ""))
        #expect(abs(y0 - objective) <= 1e-12 * max(1, abs(y0)), "eval gives \(y0), solve says \(objective)")

        for (extra, says) in [(["--members", "walk,bogus"], "--members 'walk,bogus'"), (["--members", "walk", "--finish-dense"], "--finish-dense goes with the member milp")] {
            let refused = try Tool.nnmip(base + extra)
            #expect(refused.status == 64 && refused.stderr.contains(says), "\(refused.stderr)")
        }
    }
}
