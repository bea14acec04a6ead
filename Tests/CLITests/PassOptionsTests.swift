import Foundation
import Testing
import TestSupport

/// The pass pipeline as a user drives it from the command line: `nnmip passes`,
/// `-O`, `--passes`, the instrumentation flags and their errors.
@Suite struct PassOptionsTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"
    let domain = ["--input-box", "-1:1", "--maximize", "y0"]

    /// The pass names `nnmip passes` lists (the lines indented by exactly two spaces under "passes:").
    func listedPasses() throws -> [String] {
        let listing = try Tool.nnmip(["passes"])
        #expect(listing.status == 0, "\(listing.stderr)")
        let section = listing.stdout.components(separatedBy: "\n\n").first ?? ""
        return section.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test func everyListedPassItsOptionsAndEveryLevelAreInTheManualPage() throws {
        let manual = try String(contentsOf: Paths.root.appendingPathComponent("man/nnmip.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
        let passes = try listedPasses()
        #expect(Set(passes).isSuperset(of: ["canonicalize", "bounds-ia", "bounds-symbolic", "bounds-lp", "dead-neuron-elim"]), "\(passes)")
        for pass in passes {
            #expect(manual.contains(".B \(pass)\n") || manual.contains(".BI \(pass){"), "man/nnmip.1 has no entry for the pass \(pass)")
        }
        let listing = try Tool.nnmip(["passes"]).stdout
        for line in listing.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("-O") {
                // "-O2  canonicalize,...  (default)": the pipeline must be the one the manual gives.
                let fields = text.split(separator: " ", omittingEmptySubsequences: true)
                #expect(manual.contains("\(fields[0])  \(fields[1])\n"), "man/nnmip.1 does not give \(fields[0]) as \(fields[1])")
            } else if let equals = text.firstIndex(of: "="), text.contains("=<") {
                let option = String(text[..<equals])
                #expect(manual.contains("\(option)"), "man/nnmip.1 does not document the pass option \(option)")
            }
        }
    }

    @Test(arguments: [
        (["--passes", "bounds-ia,bogus"], "unknown pass 'bogus'"),
        (["--passes", "bounds-symbolc"], "did you mean 'bounds-symbolic'"),
        (["--passes", "bounds-lp{timeout=soon}"], "expected"),
        (["--passes", "canonicalize{x=1}"], "takes none"),
        (["-O1", "--passes", "bounds-ia"], "either -O or --passes"),
        (["-O7"], "the levels are 0, 1, 2 and 3"),
        (["--print-after", "bounds-ai"], "no such pass"),
    ])
    func badPipelinesAreUsageErrorsThatSayWhatIsWrong(arguments: [String], message: String) throws {
        let result = try Tool.nnmip(["compile", model] + domain + arguments + ["-o", "-"])
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func printAfterAllShowsOneBannerPerPassAndPrintChangedSkipsPassesThatChangedNothing() throws {
        let all = try Tool.nnmip(["compile", model] + domain + ["--passes", "canonicalize,bounds-ia,bounds-ia", "--print-after-all", "-o", "-"])
        #expect(all.status == 0, "\(all.stderr)")
        let banners = all.stderr.split(separator: "\n").filter { $0.hasPrefix("; *** IR Dump After") }
        #expect(banners == ["; *** IR Dump After canonicalize ***", "; *** IR Dump After bounds-ia ***", "; *** IR Dump After bounds-ia ***"],
                "\(banners)")
        #expect(all.stdout.contains("\nROWS\n"), "the MILP still goes to standard output")

        let changed = try Tool.nnmip(["compile", model] + domain + ["--passes", "bounds-ia,bounds-ia", "--print-changed", "-o", "-"])
        #expect(changed.status == 0, "\(changed.stderr)")
        let dumps = changed.stderr.components(separatedBy: "; *** IR Dump After bounds-ia ***").count - 1
        #expect(dumps == 1, "the second bounds-ia changes nothing, so only the first prints the IR:\n\(changed.stderr)")
        #expect(changed.stderr.contains("upper="), "the dump after bounds-ia shows the bounds")

        let before = try Tool.nnmip(["compile", model] + domain + ["--passes", "bounds-ia", "--print-before", "bounds-ia", "-o", "-"])
        #expect(before.stderr.contains("; *** IR Dump Before bounds-ia ***"), "\(before.stderr)")
        let firstAffine = before.stderr.split(separator: "\n").first { $0.hasPrefix("%1 = affine") } ?? ""
        #expect(!firstAffine.isEmpty && !firstAffine.contains("upper="), "before bounds-ia only the inputs have bounds:\n\(before.stderr)")
    }

    @Test func timePassesAndVerifyEachReportEveryPass() throws {
        let result = try Tool.nnmip(["compile", model] + domain + ["-O2", "--time-passes", "--verify-each", "-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = result.stderr.components(separatedBy: "===== pass execution timing report =====").last ?? ""
        for pass in ["canonicalize", "bounds-symbolic", "dead-neuron-elim", "total"] {
            #expect(report.split(separator: "\n").contains { $0.hasSuffix(" \(pass)") }, "no time for \(pass):\n\(result.stderr)")
        }
    }

    @Test func statsShowTheEffectOfEachPassAndTheirRemarks() throws {
        let result = try Tool.nnmip(["compile", "fixtures/onnx/small_cnn.onnx", "--input-box", "0:1", "--maximize", "y0",
                                     "--passes", "canonicalize,bounds-ia,bounds-symbolic,dead-neuron-elim", "--stats", "-o", "-"])
        #expect(result.status == 0, "\(result.stderr)")
        let table = result.stderr.components(separatedBy: "===== pass statistics =====").last?
            .components(separatedBy: "=====").first ?? ""
        let rows = table.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.first == ["pass", "relu_neurons", "relu_unstable", "binaries", "nonzeros"], "\(table)")
        let byPass = Dictionary(rows.dropFirst().map { ($0[0], $0.dropFirst().compactMap { Int($0) }) }, uniquingKeysWith: { a, _ in a })
        for pass in ["(input)", "canonicalize", "bounds-ia", "bounds-symbolic", "dead-neuron-elim"] {
            #expect(byPass[pass]?.count == 4, "no row for \(pass):\n\(table)")
        }
        // Symbolic bounds never leave more unstable ReLUs than interval bounds.
        #expect((byPass["bounds-symbolic"]?[1] ?? .max) <= (byPass["bounds-ia"]?[1] ?? 0), "\(table)")
        // The last row is what the MILP has.
        var binaries: Int?
        for line in result.stderr.split(separator: "\n") where line.hasPrefix("binaries: ") { binaries = Int(line.dropFirst(10)) }
        #expect(binaries == byPass["dead-neuron-elim"]?[2], "\(result.stderr)")
        #expect(result.stderr.contains("===== pass remarks =====\ncanonicalize: "), "\(result.stderr)")
    }

    @Test func boundsInAnIRFileAreRecomputedForTheDomainGiven() throws {
        // An IR dump carries the bounds of the domain it was compiled for; compiling it for a wider
        // domain must not keep them (that would cut off real network values).
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-ir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dump = folder.appendingPathComponent("narrow.nnir").path
        let narrow = try Tool.nnmip(["compile", model, "--input-box", "0:0.01", "--emit-ir", "--ir-full-weights", "-O0", "-o", dump])
        #expect(narrow.status == 0, "\(narrow.stderr)")
        let fromDump = try Tool.nnmip(["compile", dump, "--input-box", "-1:1", "--emit-ir", "-O0"])
        let fromModel = try Tool.nnmip(["compile", model, "--input-box", "-1:1", "--emit-ir", "-O0"])
        func bounds(_ text: String) -> [String] {
            text.split(separator: "\n").compactMap { line in line.range(of: "lower=").map { String(line[$0.lowerBound...]) } }
        }
        #expect(!bounds(fromModel.stdout).isEmpty)
        #expect(bounds(fromDump.stdout) == bounds(fromModel.stdout), "\(fromDump.stdout)")
    }

    @Test func boundsLPWithoutHiGHSSaysWhereItLookedAndExits69() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-none-\(UUID().uuidString)/libhighs.so").path
        let result = try Tool.nnmip(["compile", model] + domain + ["-O3", "--highs-library", missing, "-o", "-"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains(missing) && result.stderr.contains("scripts/setup.sh"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        // Pipelines without bounds-lp never load HiGHS, so the same flag does no harm there.
        let without = try Tool.nnmip(["compile", model] + domain + ["-O2", "--highs-library", missing, "-o", "-"])
        #expect(without.status == 0, "\(without.stderr)")
    }

    @Test func tighterPipelinesNeverCostMoreBinaries() throws {
        func binaries(_ level: String) throws -> Int {
            let result = try Tool.nnmip(["compile", "fixtures/onnx/small_cnn.onnx", "--input-box", "0:1", "--maximize", "y0", level, "--stats", "-o", "-"])
            #expect(result.status == 0, "\(level): \(result.stderr)")
            let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("binaries: ") }
            return Int(line?.dropFirst(10) ?? "") ?? -1
        }
        let o0 = try binaries("-O0"), o1 = try binaries("-O1"), o2 = try binaries("-O2")
        #expect(o0 >= o1 && o1 >= o2 && o2 >= 0, "-O0 \(o0), -O1 \(o1), -O2 \(o2)")
        _ = try EmbeddedHiGHS.require()  // -O3 runs bounds-lp
        let o3 = try binaries("-O3")
        #expect(o3 <= o2 && o3 >= 0, "-O2 \(o2), -O3 \(o3)")
    }
}
