import Foundation
import NNMIPKit
import Testing
import TestSupport

/// The commands on networks with smooth activations, as users run them: compile refuses them
/// without --pwl-segments and writes the interpolant's or the enclosure's MILP with it (read by the
/// highs binary), solve reports the smooth network's own value at its point (the one `nnmip eval`
/// gives), at least as good as 10,000 samples' best, and verify proves and refutes.
@Suite(.serialized) struct SmoothActivationCommandTests {
    let model = "fixtures/onnx/smooth_tanh.onnx"
    let problem = ["--input-box", "-1:1", "--maximize", "y0"]

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-smooth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The best y0 among 10,000 uniform inputs of [-1, 1]^3 (the reference evaluator through `nnmip eval`
    /// would take a process per point, so the library's evaluator, which the eval command runs).
    private func sampledBest() throws -> Double {
        let graph = try ModelLoader.load(Paths.fixture("onnx/smooth_tanh.onnx")).graph
        let evaluator = Evaluator(graph: graph)
        var generator = SplitMix64(seed: 13)
        var best = -Double.infinity
        for _ in 0..<10_000 { best = max(best, try evaluator.evaluate(inputs: [(0..<3).map { _ in generator.nextUnit() * 2 - 1 }])[0][0]) }
        return best
    }

    @Test func compileRefusesASmoothNetworkWithoutPwlSegmentsNamingTheNode() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mps = folder.appendingPathComponent("m.mps").path
        let result = try Tool.nnmip(["compile", model] + problem + ["-o", mps])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("act1") && result.stderr.contains("tanh is not piecewise linear")
                && result.stderr.contains("--pwl-segments") && result.stderr.contains("--pwl-enclosure"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: mps), "a refused compile left \(mps)")
        let lonely = try Tool.nnmip(["compile", model] + problem + ["--pwl-enclosure", "-o", mps])
        #expect(lonely.status == 64 && lonely.stderr.contains("--pwl-enclosure needs --pwl-segments"), "\(lonely.status) \(lonely.stderr)")
    }

    @Test(.needs(.highs)) func theEnclosureBoundsAndTheInterpolantReachesTheSampledBest() throws {
        try Solver.highs.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (surrogate, enclosure) = (folder.appendingPathComponent("s.mps").path, folder.appendingPathComponent("e.mps").path)
        let compiled = try Tool.nnmip(["compile", model] + problem + ["--pwl-segments", "8", "-o", surrogate, "--stats"])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        #expect(compiled.stderr.contains("binaries"), "\(compiled.stderr)")
        let enclosed = try Tool.nnmip(["compile", model] + problem + ["--pwl-segments", "8", "--pwl-enclosure", "-o", enclosure])
        #expect(enclosed.status == 0, "\(enclosed.stderr)")
        // MPS minimizes, so each maximum is minus HiGHS's objective there.
        let bound = -(try #require(try Solver.highs.solve(enclosure).objective))
        let interpolated = -(try #require(try Solver.highs.solve(surrogate).objective))
        let best = try sampledBest()
        #expect(best <= bound + 1e-6 && bound - best < 0.25, "samples \(best), enclosure \(bound)")
        #expect(abs(interpolated - best) < 0.25, "samples \(best), interpolant \(interpolated)")
    }

    @Test(.needsHiGHS) func solveReportsTheSmoothNetworksValueAtItsPoint() throws {
        _ = try EmbeddedHiGHS.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let solution = folder.appendingPathComponent("solution.json").path
        let solved = try Tool.nnmip(["solve", model] + problem + ["--solution", solution])
        #expect(solved.status == 0, "\(solved.stderr)")
        let values = textFields(solved.stdout)
        #expect(values["status"] == "feasible" && values["surrogate"] == "pwl-approx{segments=8}" && values["surrogate_status"] == "optimal", "\(solved.stdout)")
        let objective = try #require(Double(values["network_objective"] ?? ""))
        // The point's value on the network, computed by `nnmip eval` from the reported input.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: solution))) as? [String: Any])
        let inputs = try #require((json["inputs"] as? [String: Any])?["X"] as? [Any])
        let point = String(decoding: try JSONSerialization.data(withJSONObject: inputs), as: UTF8.self)
        let evaluated = try Tool.nnmip(["eval", model, "--input", point])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let y0 = try #require(Double(evaluated.stdout.split(separator: "\n").first.map(String.init) ?? ""))
        #expect(abs(y0 - objective) <= 1e-9 * max(1, abs(objective)), "eval gives \(y0), solve reported \(objective): \(evaluated.stdout)")
        #expect(objective >= (try sampledBest()) - 1e-6, "solve's \(objective) is below the samples' best")
        // The interpolant's maximum (2.28) is below the network's (2.33): a constraint between the two
        // leaves the surrogate infeasible, which must not be reported as the network's answer.
        let between = try Tool.nnmip(["solve", model] + problem + ["--constraint", "y0 >= 2.30"])
        #expect(between.status == 0 && textFields(between.stdout)["status"] == "feasible"
                && (Double(textFields(between.stdout)["network_objective"] ?? "") ?? 0) >= 2.30, "\(between.stdout)")
        let beyond = try Tool.nnmip(["solve", model] + problem + ["--constraint", "y0 >= 2.5"])
        #expect(beyond.status == 0 && textFields(beyond.stdout)["status"] == "unknown", "\(beyond.stdout)")
        let enclosed = try Tool.nnmip(["solve", model] + problem + ["--pwl-segments", "8", "--pwl-enclosure"])
        #expect(enclosed.status == 64 && enclosed.stderr.contains("--pwl-enclosure"), "\(enclosed.stderr)")
    }
}
