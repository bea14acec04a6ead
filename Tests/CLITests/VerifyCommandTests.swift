import Foundation
import NNMIPKit
import Testing
import TestSupport

/// `nnmip verify` against the known answers of ../shared/realnets/expected.csv,
/// on instances that finish in seconds, and the instance-list runner.
@Suite(.serialized) struct VerifyCommandTests {
    /// Instances (network, property) that finish in seconds, with sat and unsat answers of every family.
    static let instances = [
        ("mnistfc/mnist-net_256x2.onnx", "mnistfc/prop_0_0.03.vnnlib"),
        ("mnistfc/mnist-net_256x2.onnx", "mnistfc/prop_1_0.03.vnnlib"),
        ("mnistfc/mnist-net_256x2.onnx", "mnistfc/prop_2_0.03.vnnlib"),
        ("mnistfc/mnist-net_256x2.onnx", "mnistfc/prop_3_0.03.vnnlib"),
        ("rl_benchmarks/cartpole.onnx", "rl_benchmarks/cartpole_case_safe_14.vnnlib"),
        ("rl_benchmarks/cartpole.onnx", "rl_benchmarks/cartpole_case_safe_99.vnnlib"),
        ("rl_benchmarks/cartpole.onnx", "rl_benchmarks/cartpole_case_unsafe_1.vnnlib"),
        ("rl_benchmarks/cartpole.onnx", "rl_benchmarks/cartpole_case_unsafe_29.vnnlib"),
        ("acasxu/ACASXU_run2a_1_1_batch_2000.onnx", "acasxu/prop_4.vnnlib"),
        ("acasxu/ACASXU_run2a_1_7_batch_2000.onnx", "acasxu/prop_3.vnnlib"),
        ("acasxu/ACASXU_run2a_2_1_batch_2000.onnx", "acasxu/prop_2.vnnlib"),
    ]

    /// Parses `((X_0 v)\n (X_1 v) ... (Y_0 v))` into the X and Y values.
    static func counterexample(_ text: String) -> (x: [Double], y: [Double]) {
        var x: [Int: Double] = [:], y: [Int: Double] = [:]
        for entry in text.components(separatedBy: "(").map({ $0.replacingOccurrences(of: ")", with: "") }) {
            let parts = entry.split(whereSeparator: \.isWhitespace)
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            if parts[0].hasPrefix("X_"), let k = Int(parts[0].dropFirst(2)) { x[k] = value }
            if parts[0].hasPrefix("Y_"), let k = Int(parts[0].dropFirst(2)) { y[k] = value }
        }
        return (x.keys.sorted().map { x[$0]! }, y.keys.sorted().map { y[$0]! })
    }

    @Test(.needsRealnets, .needsHiGHS, arguments: instances.map { "\($0.0),\($0.1)" })
    func answersAgreeWithTheTableAndCounterexamplesHold(instance: String) throws {
        let folder = try Realnets.require()
        _ = try EmbeddedHiGHS.require()
        let parts = instance.split(separator: ",").map(String.init)
        let expected = try #require(try Realnets.expectedAnswers(folder)[instance], "\(instance) is not in expected.csv")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-verify-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try Tool.nnmip(["verify", folder + "/" + parts[0], folder + "/" + parts[1], "--timeout", "120", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let answer = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(answer == expected, "\(instance): nnmip says \(answer), the table \(expected)\n\(result.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == result.stdout, "--out holds what stdout shows")
        guard answer == "sat" else { return }

        // The counterexample, checked independently: inside the property's box, and the network's outputs
        // there (recomputed) are those printed and violate the property.
        let (x, y) = Self.counterexample(result.stdout)
        let graph = try ModelLoader.load(folder + "/" + parts[0]).graph
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addSpecFile(path: folder + "/" + parts[1])
        let spec = builder.finish()
        #expect(x.count == graph[graph.inputs[0]].elementCount)
        let outputs = try Evaluator(graph: graph).evaluate(inputs: [x])
        #expect(outputs[0] == y, "printed outputs differ from the evaluator's")
        #expect(spec.domainViolation(inputs: [x]) == 0, "the counterexample leaves the box")
        #expect(spec.constraintViolation(inputs: [x], outputs: outputs) <= 1e-6, "the counterexample does not violate the property")
    }

    /// A sat instance of expected.csv that the dense MILP takes about 40 s on: the 80% magnitude-pruned
    /// surrogate, with its best point polished in the original network's linear region, finds the
    /// counterexample on the ORIGINAL network in seconds, and it holds there.
    @Test(.needsRealnets, .needsHiGHS) func aPrunedSurrogateFindsACounterexampleOnTheOriginalNetwork() throws {
        let folder = try Realnets.require()
        _ = try EmbeddedHiGHS.require()
        let (network, property) = ("mnistfc/mnist-net_256x2.onnx", "mnistfc/prop_1_0.03.vnnlib")
        #expect(try Realnets.expectedAnswers(folder)["\(network),\(property)"] == "sat")
        let result = try Tool.nnmip(["verify", folder + "/" + network, folder + "/" + property, "--timeout", "60",
                                     "--no-sampling", "--surrogate", "prune=0.8", "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("sat\n"), "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("sat (surrogate prune=0.8 MILP of"), "the surrogate stage did not find it:\n\(result.stderr)")
        #expect(result.stderr.contains("no counterexample among 1 sampled points"), "--no-sampling samples the center only")
        let (x, y) = Self.counterexample(result.stdout)
        let graph = try ModelLoader.load(folder + "/" + network).graph
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addSpecFile(path: folder + "/" + property)
        let spec = builder.finish()
        let outputs = try Evaluator(graph: graph).evaluate(inputs: [x])
        #expect(outputs[0] == y)
        #expect(spec.domainViolation(inputs: [x]) == 0)
        #expect(spec.constraintViolation(inputs: [x], outputs: outputs) <= 1e-6)
    }

    @Test(.needsRealnets, .needsHiGHS) func anInstanceListRunsInWorkerProcessesAndGivesOneLineEach() throws {
        let folder = try Realnets.require()
        _ = try EmbeddedHiGHS.require()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-instances-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // Paths relative to the list, as VNN-COMP writes them.
        try FileManager.default.createSymbolicLink(atPath: work.appendingPathComponent("nets").path, withDestinationPath: folder)
        let chosen = Array(Self.instances.prefix(4)) + [Self.instances[6]]
        let list = chosen.map { "nets/\($0.0),nets/\($0.1),60" }.joined(separator: "\n") + "\n"
        try list.write(to: work.appendingPathComponent("instances.csv"), atomically: true, encoding: .utf8)
        let results = work.appendingPathComponent("results.csv").path
        let run = try Tool.nnmip(["verify", "--instances", work.appendingPathComponent("instances.csv").path, "--jobs", "2", "--results", results])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: results, encoding: .utf8)
        #expect(text.hasPrefix("onnx,vnnlib,result,seconds,reason\n"))
        let expected = try Realnets.expectedAnswers(folder)
        let rows = InstanceRunnerTests.csvRows(text)
        #expect(rows.count == chosen.count, "\(text)")
        for (fields, instance) in zip(rows, chosen) {
            #expect(fields.count == 5 && fields[0] == "nets/\(instance.0)" && fields[1] == "nets/\(instance.1)", "\(fields)")
            #expect(fields.count == 5 && fields[2] == expected["\(instance.0),\(instance.1)"], "\(fields)")
        }
    }

    @Test func commandLineMistakesAreUsageErrors() throws {
        for arguments in [["verify", "fixtures/onnx/mlp_2x8.onnx"], ["verify", "--instances", "x.csv", "fixtures/onnx/mlp_2x8.onnx", "p.vnnlib"],
                          ["verify", "fixtures/onnx/mlp_2x8.onnx", "p.vnnlib", "--timeout", "0"],
                          ["verify", "fixtures/onnx/mlp_2x8.onnx", "p.vnnlib", "--surrogate", "prune=1"],
                          ["verify", "fixtures/onnx/mlp_2x8.onnx", "p.vnnlib", "--surrogate", "0.9"],
                          ["verify", "fixtures/onnx/mlp_2x8.onnx", "p.vnnlib", "--attack-only", "--surrogate", "prune=0.9"]] {
            let result = try Tool.nnmip(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
        // A pruning pass would make the answer the pruned network's: refused, pointing at --surrogate.
        for command in ["verify", "solve"] {
            let pruned = try Tool.nnmip([command, "fixtures/onnx/mlp_2x8.onnx"] + (command == "verify" ? ["fixtures/specs/mlp_2x8.robustness.vnnlib"] : ["--input-box", "-1:1", "--maximize", "y0"])
                                        + ["--passes", "prune{sparsity=0.99},bounds-symbolic"])
            #expect(pruned.status == 64 && pruned.stderr.contains("--surrogate"), "\(command): \(pruned.stderr)")
        }
        let missing = try Tool.nnmip(["verify", "fixtures/onnx/mlp_2x8.onnx", "no-such.vnnlib"])
        #expect(missing.status == 66 && missing.stderr.contains("no-such.vnnlib"), "\(missing.stderr)")
    }
}
