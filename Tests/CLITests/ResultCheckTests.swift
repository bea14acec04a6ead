import Foundation
import NNMIPKit
import Testing
import TestSupport

/// Issue 14, section 3 and the spec-cycle item of section 1, as real processes: no result is accepted
/// with exit 0 unless it was checked, each failure has its documented status, and stderr names the file
/// and the place.
@Suite struct ResultCheckTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-checks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    private func write(_ text: String, _ folder: URL, _ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `name: value` lines of text output.
    private func fields(_ text: String) -> [String: String] {
        textFields(text)
    }

    // MARK: - Spec files that include each other (section 1)

    @Test func specCyclesExit65NamingTheCycle() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let itself = try write(#"{"vnnlib": "self.json"}"#, folder, "self.json")
        let a = try write(#"{"input_box": [-1, 1], "vnnlib": "b.json"}"#, folder, "a.json")
        let b = try write(#"{"vnnlib": "a.json"}"#, folder, "b.json")
        for (spec, cycle) in [(itself, "\(itself) → \(itself)"), (a, "\(a) → \(b) → \(a)")] {
            let result = try Tool.nnmip(["compile", model, "--spec", spec, "-o", "/dev/null"])
            #expect(result.status == 65, "\(result.status) \(result.stderr)")
            #expect(result.stderr.contains("cycle: \(cycle)"), "\(result.stderr)")
            let verify = try Tool.nnmip(["verify", model, spec, "--timeout", "5"])
            #expect(verify.status == 65 && verify.stderr.contains(cycle), "\(verify.status) \(verify.stderr)")
        }
    }

    // MARK: - solution read (section 3)

    /// mlp_2x8 compiled over [-1, 1]^4 maximizing y0 with the name map, in a fresh folder.
    private func compiled(_ folder: URL, extra: [String] = []) throws -> (mps: String, names: String) {
        let mps = folder.appendingPathComponent("m.mps").path, names = folder.appendingPathComponent("names.json").path
        let result = try Tool.nnmip(["compile", model, "--input-box", "-1:1", "--maximize", "y0", "-o", mps, "--names", names] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return (mps, names)
    }

    /// A Gurobi-style solution giving the network's inputs and outputs (read from `eval` on `network`).
    private func solution(_ folder: URL, _ name: String, inputs: [Double], network: String? = nil, overrides: [String: String] = [:]) throws -> String {
        let evaluated = try Tool.nnmip(["eval", network ?? model, "--input", "-"], stdin: "\(inputs)")
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let outputs = evaluated.stdout.split(separator: "\n").map(String.init)
        let map = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("names.json"))) as? [String: Any]
        let inputNames = ((map?["inputs"] as? [[String: Any]])?.first?["variables"] as? [String]) ?? []
        let outputNames = ((map?["outputs"] as? [[String: Any]])?.first?["variables"] as? [String]) ?? []
        var lines = ["# Objective value = 1"]
        for (variable, value) in zip(inputNames + outputNames, inputs.map { "\($0)" } + outputs) {
            lines.append("\(variable) \(overrides[variable] ?? value)")
        }
        return try write(lines.joined(separator: "\n") + "\n", folder, name)
    }

    @Test func aCheckedSolutionPassesAndAnOldMapOnlyWarns() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, names) = try compiled(folder)
        let good = try solution(folder, "good.sol", inputs: [0.5, -1, 1, 0.25])
        let read = try Tool.nnmip(["solution", "read", good, "--names", names])
        #expect(read.status == 0 && fields(read.stdout)["check"] == "passed", "\(read.stdout)\(read.stderr)")
        #expect(read.stderr.isEmpty, "\(read.stderr)")
        // A map from before issue 14 has neither model_hash nor spec: read, with a warning that says what is not checked.
        var map = try String(contentsOfFile: names, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        map.removeAll { $0.hasPrefix("  \"model_hash\"") || $0.hasPrefix("  \"spec\"") }
        let old = try write(map.joined(separator: "\n"), folder, "old.json")
        let oldRead = try Tool.nnmip(["solution", "read", good, "--names", old])
        #expect(oldRead.status == 0, "\(oldRead.stderr)")
        #expect(oldRead.stderr.contains("warning") && oldRead.stderr.contains(old) && oldRead.stderr.contains("model_hash"), "\(oldRead.stderr)")
    }

    @Test func aMapForAnotherModelIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, names) = try compiled(folder)
        let other = folder.appendingPathComponent("pruned.onnx").path
        let pruned = try Tool.nnmip(["prune", model, "--sparsity", "0.5", "-o", other])
        #expect(pruned.status == 0, "\(pruned.stderr)")
        let good = try solution(folder, "good.sol", inputs: [0.5, -1, 1, 0.25])
        // The map with another network: the hash says they do not belong together.
        let result = try Tool.nnmip(["solution", "read", good, "--names", names, "--model", other])
        #expect(result.status == 65, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains(names) && result.stderr.contains("model_hash") && result.stderr.contains(other), "\(result.stderr)")
        // A solution of the other network's MILP, read with this map: its outputs are not this network's.
        let foreign = try solution(folder, "foreign.sol", inputs: [0.5, -1, 1, 0.25], network: other)
        let mismatch = try Tool.nnmip(["solution", "read", foreign, "--names", names])
        #expect(mismatch.status == 3, "\(mismatch.status) \(mismatch.stdout)\(mismatch.stderr)")
        #expect(mismatch.stderr.contains(foreign) && mismatch.stderr.contains("output 'Y' element"), "\(mismatch.stderr)")
        #expect(fields(mismatch.stdout)["check"] == "failed")
    }

    @Test func notANumberIsRefusedNamingTheVariable() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, names) = try compiled(folder)
        for value in ["nan", "-nan", "inf", "-infinity"] {
            let bad = try solution(folder, "bad.sol", inputs: [0.5, -1, 1, 0.25], overrides: ["x_l0_n2": value])
            let result = try Tool.nnmip(["solution", "read", bad, "--names", names])
            #expect(result.status == 65, "\(value): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(bad) && result.stderr.contains("x_l0_n2") && result.stderr.contains("input 'X' element 2"), "\(result.stderr)")
        }
    }

    @Test func aPointOutsideTheBoxExits2NamingTheElement() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (_, names) = try compiled(folder)
        let outside = try solution(folder, "outside.sol", inputs: [0.5, -1, 1.25, 0.25])
        let result = try Tool.nnmip(["solution", "read", outside, "--names", names])
        #expect(result.status == 2, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("\(outside): input 'X' element 2: is 1.25, outside the input domain [-1.0, 1.0]"), "\(result.stderr)")
        // Within the solver's tolerance, relative to the bound's magnitude, it passes.
        let edge = try solution(folder, "edge.sol", inputs: [0.5, -1, 1.0000001, 0.25])
        #expect(try Tool.nnmip(["solution", "read", edge, "--names", names]).status == 0)
    }

    /// CBC and GLPK write files for infeasible MILPs too; neither is an answer.
    @Test(.needs(.cbc), .needs(.glpk))
    func infeasibleSolutionFilesOfCBCAndGLPKAreRejected() throws {
        try Solver.cbc.require()
        try Solver.glpk.require()
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // x0 + x1 >= 3 cannot hold in [-1, 1]^4: CBC's file shows an input outside the box.
        let (mps, names) = try compiled(folder, extra: ["--constraint", "x0 + x1 >= 3"])
        let cbc = folder.appendingPathComponent("c.sol").path, glpk = folder.appendingPathComponent("g.sol").path
        _ = try Tool.run(Solver.cbc.executable, [mps, "-solve", "-solution", cbc])
        _ = try Tool.run(Solver.glpk.executable, ["--freemps", mps, "-w", glpk])
        for (file, place) in [(cbc, "input 'X' element"), (glpk, "the constraint from --constraint")] {
            let result = try Tool.nnmip(["solution", "read", file, "--names", names])
            #expect(result.status == 2, "\(file): \(result.status) \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains(file) && result.stderr.contains(place), "\(result.stderr)")
            #expect(fields(result.stdout)["check"] == "failed", "\(result.stdout)")
        }
        // An output constraint no point meets (y0 >= 100): both files violate it on the network.
        let folder2 = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder2) }
        let (mps2, names2) = try compiled(folder2, extra: ["--constraint", "y0 >= 100"])
        _ = try Tool.run(Solver.cbc.executable, [mps2, "-solve", "-solution", cbc])
        _ = try Tool.run(Solver.glpk.executable, ["--freemps", mps2, "-w", glpk])
        for file in [cbc, glpk] {
            let result = try Tool.nnmip(["solution", "read", file, "--names", names2])
            #expect(result.status == 2 && result.stderr.contains("the constraint from --constraint"), "\(file): \(result.status) \(result.stderr)")
        }
    }

    // MARK: - Relative output check and numbers HiGHS refuses (section 3)

    @Test(.needsHiGHS) func aRightAnswerOnAHugeBoxIsAccepted() throws {
        _ = try EmbeddedHiGHS.require()
        let result = try Tool.nnmip(["solve", model, "--input-box", "-1e10:1e10", "--maximize", "y0", "--format", "json"])
        #expect(result.status == 0, "\(result.status) \(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(json?["status"] as? String == "optimal", "\(result.stdout)")
        #expect(((json?["output_difference"] as? Double) ?? .infinity) <= 1e-6 * 1e10, "\(result.stdout)")
    }

    @Test func numbersNoSolverTakesExactlyExit65NamingThem() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let huge = ["compile", model, "--input-box", "-1e16:1e16", "--maximize", "y0", "-o", "/dev/null"]
        let cost = ["compile", model, "--input-box", "-1:1", "--maximize", "1e20*y0", "-o", "/dev/null"]
        let nnir = try write("""
            ; nnmip IR 1
            %0 = input "X" : [1, 2]
            %1 = affine %0 : [1, 2] weights=dense<2x2>[3e38, 1.0, -1.0, 0.5] bias=[0.0, 0.0] loc("fc1")
            %2 = relu %1 : [1, 2] loc("relu1")
            output "Y" = %2

            """, folder, "big.nnir")
        let weight = ["compile", nnir, "--input-box", "-1:1", "--maximize", "y0", "-o", "/dev/null"]
        for (command, words) in [(huge, ["1e15", "z_l2_n0", "relu1"]), (cost, ["objective coefficient 1e+20", "1e20"]),
                                 (weight, ["3e+38", "r_l1_n0", "'fc1'", "1e15"])] {
            let result = try Tool.nnmip(command)
            #expect(result.status == 65, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("nnmip: error: \(command[1]): "), "names the model: \(result.stderr)")
            for word in words { #expect(result.stderr.contains(word), "'\(word)' missing from \(result.stderr)") }
        }
    }

    @Test(.needsHiGHS) func solveRefusesTheSameNumbersBeforeHiGHSSeesThem() throws {
        _ = try EmbeddedHiGHS.require()
        let result = try Tool.nnmip(["solve", model, "--input-box", "-1e16:1e16", "--maximize", "y0"])
        #expect(result.status == 65 && result.stderr.contains("1e15"), "\(result.status) \(result.stderr)")
    }

    // MARK: - eval (section 3)

    @Test func evalRefusesNonFiniteOutputsInBothFormats() throws {
        for format in ["text", "json"] {
            let result = try Tool.nnmip(["eval", model, "--input", "-", "--format", format], stdin: "[1.7e308, -1.7e308, 1.7e308, -1.7e308]")
            #expect(result.status == 65, "\(format): \(result.status) \(result.stdout)\(result.stderr)")
            #expect(result.stdout.isEmpty, "nothing is printed: \(result.stdout)")
            #expect(result.stderr.contains("<stdin>: output 'Y' element 0") && result.stderr.contains("not a finite number"), "\(result.stderr)")
        }
        let fine = try Tool.nnmip(["eval", model, "--input", "-", "--format", "json"], stdin: "[1e300, -1e300, 1e300, -1e300]")
        #expect(fine.status == 0, "\(fine.stderr)")
        #expect((try? JSONSerialization.jsonObject(with: Data(fine.stdout.utf8))) != nil, "eval's JSON parses: \(fine.stdout)")
    }

    // MARK: - ONNX (section 3)

    @Test(arguments: [
        ("duplicate_writer.onnx", Int32(65), ["node 'fc1_again' (Gemm)", "node 'fc1' (Gemm)", "tensor 'h1'"]),
        ("zero_dim.onnx", 65, ["input 'X'", "[0, 4]"]),
        ("int64_input.onnx", 1, ["input 'X'", "INT64"]),
        ("unknown_op_newer_opset.onnx", 1, ["node 'act1' (FutureActivation)", "'FutureActivation'"]),
    ])
    func onnxGraphsNnmipCannotReadAsGivenAreRefused(file: String, status: Int32, words: [String]) throws {
        let path = "fixtures/bad/\(file)"
        let result = try Tool.nnmip(["inspect", path])
        #expect(result.status == status, "\(file): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains("nnmip: error: \(path): "), "\(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "'\(word)' missing from \(result.stderr)") }
    }

    @Test func newerONNXVersionsWithKnownOperatorsAreRead() throws {
        let result = try Tool.nnmip(["eval", "fixtures/onnx/newer_versions.onnx", "--input", "-"], stdin: "[0.1, -0.2, 0.3, 0.5]")
        let original = try Tool.nnmip(["eval", model, "--input", "-"], stdin: "[0.1, -0.2, 0.3, 0.5]")
        #expect(result.status == 0 && result.stdout == original.stdout, "\(result.stderr)")
    }
}
