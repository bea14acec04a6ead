import Foundation
import Testing
import TestSupport

/// `nnmip compile` as a user runs it: formats, files, statistics, errors.
@Suite struct CompileCommandTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"

    private func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-compile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test(arguments: [("mlp_tiny", "mps"), ("mlp_tiny", "lp"), ("leaky_relu_alpha02", "mps"), ("maxpool_pads_strides", "lp")])
    func goldenFiles(network: String, format: String) throws {
        let result = try Tool.nnmip(["compile", "fixtures/onnx/\(network).onnx", "--input-box", "-1:1", "--maximize", "y0",
                                     "--format", format, "-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let mismatch = try goldenMismatch(result.stdout, file: "Tests/CLITests/Golden/\(network).\(format)")
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// A user with `h_l1_n0` in a solver log finds the ONNX node it belongs to in the name map alone.
    @Test func theNameMapTracesAHiddenLayersVariablesToTheirONNXNode() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = folder.appendingPathComponent("names.json").path
        let result = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--maximize", "y0", "-o", folder.appendingPathComponent("m.lp").path,
                                     "--names", names])
        #expect(result.status == 0, "\(result.stderr)")
        let map = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: names))) as? [String: Any])
        #expect(map["format"] as? String == "nnmip-names-1")
        let variable = try #require((map["variables"] as? [String: [String: Any]])?["h_l1_n0"])
        let layers = try #require(map["layers"] as? [[String: Any]])
        let layer = try #require(layers.first { $0["node"] as? Int == variable["node"] as? Int })
        #expect(layer["loc"] as? String == "fc1" && layer["op"] as? String == "affine", "\(layer)")
        #expect((layer["prefixes"] as? [String])?.contains("h_l1") == true, "\(layer)")
        let relu = try #require(layers.first { ($0["prefixes"] as? [String])?.contains("a_l2") == true })
        #expect(relu["loc"] as? String == "relu1", "\(relu)")
    }

    @Test func outputIsByteIdenticalAcrossRunsAndFormatsFollowTheName() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var texts: [String: Data] = [:]
        for name in ["a.mps", "b.mps", "c.lp", "d.mps.gz"] {
            let path = folder.appendingPathComponent(name).path
            let result = try Tool.nnmip(["compile", "fixtures/onnx/small_cnn.onnx", "--input-box", "0:1", "--minimize", "y1 - y0", "-o", path])
            #expect(result.status == 0, "\(result.stderr)")
            texts[name] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        #expect(texts["a.mps"] == texts["b.mps"])
        #expect(String(decoding: texts["a.mps"]!, as: UTF8.self).contains("\nROWS\n"))
        #expect(String(decoding: texts["c.lp"]!, as: UTF8.self).contains("\nSubject To\n"))
        let unzipped = try Tool.run("/bin/gzip", ["-dc", folder.appendingPathComponent("d.mps.gz").path])
        #expect(Data(unzipped.stdout.utf8) == texts["a.mps"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func statsNameEveryCountScriptsRelyOn() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let statsFile = folder.appendingPathComponent("stats.json").path
        let result = try Tool.nnmip(["compile", model, "--input-box", "-1:1", "--maximize", "y0", "-o", folder.appendingPathComponent("m.mps").path,
                                     "--stats=layers", "--stats-json", statsFile])
        #expect(result.status == 0, "\(result.stderr)")
        var values: [String: Int] = [:]
        for line in result.stderr.split(separator: "\n") {
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, let value = Int(parts[1]) { values[parts[0]] = value }
        }
        for name in ["variables", "binaries", "constraints", "nonzeros", "relu_inactive", "relu_active", "relu_unstable"] {
            #expect(values[name] != nil, "missing \(name) in:\n\(result.stderr)")
        }
        // mlp_2x8 has two ReLU layers of 8: every ReLU is counted once, and only unstable ones cost a binary.
        #expect((values["relu_inactive"] ?? 0) + (values["relu_active"] ?? 0) + (values["relu_unstable"] ?? 0) == 16)
        #expect(values["binaries"] == values["relu_unstable"])
        #expect(values.keys.contains { $0.hasPrefix("l2.relu_") })
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statsFile))) as? [String: Any])
        #expect(json["nonzeros"] as? Int == values["nonzeros"])
        #expect((json["layers"] as? [Any])?.count == 2)
        let plain = try Tool.nnmip(["compile", model, "--input-box", "-1:1", "--maximize", "y0", "-o", folder.appendingPathComponent("m.mps").path, "--stats"])
        #expect(plain.stderr.contains("relu_unstable: ") && !plain.stderr.contains("l2.relu_"))
    }

    /// The `nnmip: wrote FILE: ...` lines on standard error: `(name, columns, binaries, rows, format)`
    /// of each, with the seconds.
    private func summaries(_ stderr: String) -> [(file: String, columns: Int, binaries: Int, rows: Int, format: String, seconds: Double)] {
        let pattern = try! NSRegularExpression(pattern: #"^nnmip: wrote (.+): ([0-9,]+) columns \(([0-9,]+) binary\), ([0-9,]+) rows, (.+); ([0-9.]+) s$"#,
                                               options: .anchorsMatchLines)
        return pattern.matches(in: stderr, range: NSRange(stderr.startIndex..., in: stderr)).map { match in
            let group = { (k: Int) in String(stderr[Range(match.range(at: k), in: stderr)!]) }
            let count = { (k: Int) in Int(group(k).replacingOccurrences(of: ",", with: "")) ?? -1 }
            return (group(1), count(2), count(3), count(4), group(5), Double(group(6)) ?? -1)
        }
    }

    /// One line per MILP file, whose counts are --stats's, also for -o - (the line goes to standard
    /// error, the MILP alone to standard output) and for one file per disjunct; -q and --quiet drop it.
    @Test func aSummaryLineSaysWhatWasWrittenUnlessQuiet() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let mps = folder.appendingPathComponent("m.mps").path
        let cnn = ["compile", "fixtures/onnx/small_cnn.onnx", "--input-box", "0:1", "--maximize", "y0", "-O0"]
        let written = try Tool.nnmip(cnn + ["-o", mps, "--stats"])
        #expect(written.status == 0, "\(written.stderr)")
        let stats = textFields(written.stderr)
        let line = try #require(summaries(written.stderr).first, "\(written.stderr)")
        #expect(summaries(written.stderr).count == 1 && line.file == mps && line.format == "free MPS", "\(written.stderr)")
        #expect(line.columns == Int(stats["variables"] ?? "") && line.binaries == Int(stats["binaries"] ?? "") && line.rows == Int(stats["constraints"] ?? ""),
                "\(written.stderr)")
        let grouped = "\(line.columns / 1000),\(String(format: "%03d", line.columns % 1000)) columns"
        #expect(line.columns >= 1000 && written.stderr.contains(": \(grouped) ("), "thousands are grouped: \(written.stderr)")
        #expect(line.seconds >= 0 && line.seconds < 60)

        let piped = try Tool.nnmip(cnn + ["--format", "lp", "-o", "-"])
        let pipedLine = try #require(summaries(piped.stderr).first, "\(piped.stderr)")
        #expect(pipedLine.file == "standard output" && pipedLine.format == "CPLEX LP" && pipedLine.columns == line.columns, "\(piped.stderr)")
        #expect(piped.stdout.hasPrefix("\\") && !piped.stdout.contains("nnmip: wrote"), "standard output holds the LP alone")

        let gz = try Tool.nnmip(cnn + ["-o", mps + ".gz"])
        #expect(summaries(gz.stderr).first?.format == "free MPS, gzip", "\(gz.stderr)")
        let cases = folder.appendingPathComponent("cases").path + "/"
        let perDisjunct = try Tool.nnmip(["compile", model, "--spec", "fixtures/specs/mlp_2x8.robustness.vnnlib", "-o", cases])
        #expect(summaries(perDisjunct.stderr).map(\.file) == [cases + "mlp_2x8.d0.mps", cases + "mlp_2x8.d1.mps"], "\(perDisjunct.stderr)")

        for quiet in ["-q", "--quiet"] {
            let silent = try Tool.nnmip(cnn + ["-o", mps, quiet])
            #expect(silent.status == 0 && silent.stderr.isEmpty, "\(quiet): \(silent.stderr)")
        }
        // A compile that fails wrote nothing, and says nothing was written.
        let failed = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--maximize", "y9", "-o", mps])
        #expect(failed.status == 64 && summaries(failed.stderr).isEmpty, "\(failed.stderr)")
    }

    @Test func theNameMapCoversEveryVariable() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = folder.appendingPathComponent("names.json").path
        let result = try Tool.nnmip(["compile", model, "--input-box", "-1:1", "--maximize", "y0", "--format", "lp", "-o", "-", "--names", names, "--short-names"])
        #expect(result.status == 0, "\(result.stderr)")
        let map = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: names))) as? [String: Any])
        let variables = try #require(map["variables"] as? [String: [String: Any]])
        let bounds = result.stdout.components(separatedBy: "\nBounds\n")[1].components(separatedBy: "\nBinaries\n")[0]
        let declared = bounds.split(separator: "\n").map { $0.split(separator: " ").first { $0.hasPrefix("C") }.map(String.init) ?? "" }
        #expect(Set(declared) == Set(variables.keys))
        #expect(variables.keys.allSatisfy { $0.count <= 8 })
        let inputs = try #require(map["inputs"] as? [[String: Any]])
        #expect((inputs.first?["variables"] as? [String])?.count == 4)
        #expect(variables.values.contains { $0["role"] as? String == "relu_indicator" })
    }

    @Test func aDisjunctivePropertyGivesOneFileOrOneFilePerDisjunct() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = "fixtures/specs/mlp_2x8.robustness.vnnlib"
        let single = try Tool.nnmip(["compile", model, "--spec", spec, "-o", "-"])
        #expect(single.status == 0, "\(single.stderr)")
        #expect(single.stdout.contains(" d_0 ") && single.stdout.contains(" d_1 ") && single.stdout.contains("spec_choose"))
        let perDisjunct = try Tool.nnmip(["compile", model, "--spec", spec, "-o", folder.path + "/"])
        #expect(perDisjunct.status == 0, "\(perDisjunct.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["mlp_2x8.d0.mps", "mlp_2x8.d1.mps"])
        let second = try Tool.nnmip(["compile", model, "--spec", spec, "--disjunct", "1", "-o", "-"])
        #expect(try String(contentsOfFile: folder.path + "/mlp_2x8.d1.mps", encoding: .utf8) == second.stdout)
        #expect(!second.stdout.contains(" d_0 "))
    }

    @Test func anL1BallAddsOneDistanceVariableAndTwoRowsPerInputElement() throws {
        let result = try Tool.nnmip(["compile", model, "--input-box", "-1:1", "--l1-ball", "fixtures/specs/mlp_2x8.center.json:0.5",
                                     "--maximize", "y0", "--format", "lp", "-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        // |x_k - c_k| <= t_k as two rows per element, and one row for sum t_k <= 0.5.
        #expect(lines.filter { $0.hasPrefix(" rp_l0_n") }.count == 4)
        #expect(lines.filter { $0.hasPrefix(" rn_l0_n") }.count == 4)
        let sum = try #require(lines.first { $0.hasPrefix(" rl1_l0:") })
        #expect(sum.hasSuffix("<= 0.5"), "\(sum)")
    }

    @Test func emitIRShowsTheBoundsThatWereFormulated() throws {
        let result = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--emit-ir"])
        #expect(result.status == 0, "\(result.stderr)")
        let relu = try #require(result.stdout.split(separator: "\n").first { $0.contains(" = relu ") })
        #expect(relu.contains("lower=[0.0") && relu.contains("upper=["))
    }

    @Test(arguments: [
        (["--maximize", "y0"], 64, "has no lower bound; a MILP needs every input element bounded: give --input-box LO:HI"),
        (["--input-box", "0:inf", "--maximize", "y0"], 64, "--input-box '0:inf'"),
        (["--input-box", "0:1", "--maximize", "y9"], 64, "'y9' is out of range"),
        (["--input-box", "0:1", "--maximize", "y0", "--minimize", "y1"], 64, "either --maximize or --minimize"),
        (["--spec", "fixtures/bad/README.md"], 65, "fixtures/bad/README.md: not a spec nnmip reads: it starts with the text"),
        (["--spec", "fixtures/specs/missing.vnnlib"], 66, "fixtures/specs/missing.vnnlib: cannot read the file (no such file)"),
        (["--input-box", "0:1", "--maximize", "y0", "-o", "/nonexistent-folder/m.mps"], 73, "cannot create the file"),
        (["--spec", "fixtures/specs/mlp_2x8.robustness.vnnlib", "--disjunct", "5"], 64, "numbered 0 to 1"),
        (["--l1-ball", "fixtures/specs/mlp_2x8.center.json", "--maximize", "y0"], 64, "expected FILE:EPS"),
        (["--l1-ball", "fixtures/specs/mlp_2x8.center.json:-1", "--maximize", "y0"], 64, "with EPS >= 0"),
    ])
    func mistakesGetAClearErrorAndNoFile(arguments: [String], status: Int32, message: String) throws {
        let result = try Tool.nnmip(["compile", model] + arguments)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.hasPrefix("nnmip: error: ") || result.stderr.hasPrefix("Error: "), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
