import Foundation
import Testing
import TestSupport

/// Command lines a careless user types: nothing given may be silently ignored. An option that takes
/// one value, given twice, and an option that the rest of the command line leaves without effect are
/// refused with exit 64, naming the option and why, before any work and without writing a file.
@Suite struct CarelessCommandLineTests {
    let model = "fixtures/onnx/mlp_2x8.onnx"
    let property = "fixtures/specs/mlp_2x8.robustness.vnnlib"

    /// A folder for outputs, which must stay empty when a command line is refused.
    func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-careless-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Every option of every command that takes one value, from argument-parser's own description of
    /// the commands, so that an option added later is covered too.
    @Test func everyOptionThatTakesOneValueIsRefusedWhenGivenTwice() throws {
        let tree = try CommandTree.load()
        var checked = 0
        for path in tree.leafPaths {
            for option in tree.singleValuedOptions(at: path) {
                let result = try Tool.nnmip(path + [option, "1", option, "2"])
                #expect(result.status == 64, "nnmip \(path.joined(separator: " ")) \(option) 1 \(option) 2: \(result.stderr)")
                // (--stats takes a level as its next word, not "1": it is given twice without a value.)
                let values = option == "--stats" ? "('--stats', then '--stats')" : "('\(option) 1', then '\(option) 2')"
                #expect(result.stderr.contains("\(option) is given twice \(values)"), "\(result.stderr)")
                checked += 1
            }
        }
        #expect(checked >= 40, "only \(checked) single-valued options found")
        // The joined forms count as the same option.
        let joined = try Tool.nnmip(["compile", model, "-O2", "-O", "3", "--input-box=0:1", "--input-box", "0:1"])
        #expect(joined.status == 64 && joined.stderr.contains("-O is given twice ('-O2', then '-O 3')"), "\(joined.stderr)")
        let aliases = try Tool.nnmip(["prune", model, "--sparsity", "0.5", "-o", "a.onnx", "--output-file", "b.onnx"])
        #expect(aliases.status == 64 && aliases.stderr.contains("given twice ('-o a.onnx', then '--output-file b.onnx')"), "\(aliases.stderr)")
    }

    @Test func optionsThatCollectValuesMayRepeat() throws {
        let result = try Tool.nnmip(["solve", model, "--input-box", "-1:1", "--constraint", "y0 >= y1", "--constraint", "y0 >= y2",
                                     "--maximize", "y0", "--output", "Y", "--output", "Y"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: [
        (["help", "nosuch"], "help: no command 'nnmip nosuch'; the commands are inspect, eval, compile"),
        (["help", "solution", "nosuch"], "help: no command 'nnmip solution nosuch'; the commands of 'nnmip solution' are read"),
        (["help", "compile", "nosuch"], "'nnmip compile' has no subcommands"),
    ])
    func helpOfACommandThatDoesNotExistIsAnError(arguments: [String], message: String) throws {
        let result = try Tool.nnmip(arguments)
        #expect(result.status == 64 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let known = try Tool.nnmip(["help", "solution", "read"])
        #expect(known.status == 0 && known.stdout.contains("USAGE: nnmip solution read"), "\(known.stderr)")
    }

    /// Each case: the arguments after the command (`OUT` stands for a file in an empty folder), the
    /// option refused and a word of the reason.
    @Test(arguments: [
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--spec", "fixtures/specs/mlp_2x8.robustness.vnnlib", "--disjunct", "1", "-o", "OUT/"],
         "--disjunct", "-o DIR/ writes a file for every disjunct"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--emit-ir", "--names", "OUT"], "--names", "--emit-ir writes the IR and no MILP"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--emit-ir", "--stats-json", "OUT"], "--stats-json", "--emit-ir"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--emit-ir", "--format", "lp", "-o", "OUT"], "--format", "--emit-ir"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--emit-ir", "--short-names", "-o", "OUT"], "--short-names", "--emit-ir"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--emit-ir", "--maximize", "y0", "-o", "OUT"], "--maximize", "no objective"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--emit-ir", "-o", "OUT/"], "-o ", "--emit-ir writes one IR"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--emit-ir", "--stats"], "--stats", "without an input domain"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--emit-ir", "-o", "OUT.mps"], "-o ", "--emit-ir writes IR text; name it .nnir"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--ir-full-weights", "-o", "OUT"], "--ir-full-weights", "it applies to IR dumps"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--print-after", "bounds-ia", "-o", "OUT"], "--print-after bounds-ia",
         "the pipeline 'canonicalize,bounds-symbolic,dead-neuron-elim' does not run bounds-ia"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--surrogate", "prune=0.5", "--time-limit", "5",
          "--start", "sample"], "--start", "--surrogate runs its own search"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--surrogate", "prune=0.5", "--time-limit", "5",
          "--solution", "OUT"], "--solution", "writes no solution file"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--surrogate", "prune=0.5", "--time-limit", "5",
          "--format", "json"], "--format json", "prints its report as text"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--spec", "fixtures/specs/mlp_2x8.robustness.vnnlib", "--maximize", "y0",
          "--surrogate", "prune=0.5", "--time-limit", "5", "--disjunct", "0"], "--disjunct", "over the whole disjunction"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--surrogate", "prune=0.5", "--time-limit", "5",
          "--time-passes"], "--time-passes", "whose passes run without IR dumps"),
        (["compile", "--model", "fixtures/embedding/janos_n50.mps", "--networks", "fixtures/embedding/janos_n50_2x10.embed.json", "-o", "OUT",
          "--print-after-all"], "--print-after-all", "the passes run once per network instance"),
        (["verify", "fixtures/onnx/mlp_2x8.onnx", "fixtures/specs/mlp_2x8.robustness.vnnlib", "--jobs", "2"], "--jobs", "rows of --instances"),
        (["verify", "--instances", "fixtures/specs/none.csv", "--timeout", "5"], "--timeout", "its own timeout"),
        (["prune", "fixtures/onnx/mlp_2x8.onnx", "--sparsity", "0.5", "--seed", "3", "-o", "OUT"], "--seed", "only --method random"),
        (["prune", "fixtures/onnx/mlp_2x8.onnx", "--passes", "prune{sparsity=0.5}", "--method", "random", "-o", "OUT"], "--method", "--passes runs its own pipeline"),
        (["prune", "fixtures/onnx/mlp_2x8.onnx", "--passes", "prune{sparsity=0.5}", "--scope", "global", "-o", "OUT"], "--scope", "--passes"),
        (["prune", "fixtures/onnx/mlp_2x8.onnx", "--sparsity", "0.5", "--structured", "--method", "magnitude", "-o", "OUT"], "--method", "--structured"),
    ])
    func optionsWithoutEffectAreRefusedSayingWhy(arguments: [String], option: String, reason: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out").path
        let result = try Tool.nnmip(arguments.map { $0.replacingOccurrences(of: "OUT", with: out) })
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("\(option)") && result.stderr.contains("has no effect here: ") && result.stderr.contains(reason),
                "\(arguments): \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "\(arguments) wrote a file")
    }

    /// Standard output carries one thing: compile's `-o -` (the default), solve's report or verify's
    /// answer; a second output named `-` would run into it.
    @Test(arguments: [
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--names", "-"], "--names -: standard output already carries -o -"),
        (["compile", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "-o", "-", "--stats-json", "-"], "--stats-json -: standard output already carries -o -"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--solution", "-"], "--solution -: standard output already carries the report"),
        (["solve", "fixtures/onnx/mlp_2x8.onnx", "--input-box", "0:1", "--maximize", "y0", "--trace", "-"], "--trace -: standard output already carries the report"),
        (["verify", "fixtures/onnx/mlp_2x8.onnx", "fixtures/specs/mlp_2x8.robustness.vnnlib", "--out", "-"], "--out -: standard output already carries the answer"),
    ])
    func standardOutputCarriesOneThing(arguments: [String], message: String) throws {
        let result = try Tool.nnmip(arguments)
        #expect(result.status == 64 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments) printed \(result.stdout.prefix(200))")
    }

    @Test func anOutputOnStandardOutputAloneIsFine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--maximize", "y0", "-o", folder.appendingPathComponent("m.mps").path, "--names", "-"])
        #expect(result.status == 0 && result.stdout.hasPrefix("{\n  \"format\": \"nnmip-names-1\""), "\(result.stderr)")
    }

    /// Options that `verify` would not use are not options of `verify`.
    @Test(arguments: ["--mip-gap", "--print-after-all", "--time-passes", "--verify-each"])
    func verifyHasNoOptionItWouldIgnore(option: String) throws {
        let arguments = ["verify", model, property, option] + (option == "--mip-gap" ? ["0.5"] : [])
        let result = try Tool.nnmip(arguments)
        #expect(result.status == 64 && result.stderr.contains("Unknown option '\(option)'"), "\(arguments): \(result.stderr)")
    }

    @Test(arguments: [
        (["--format", "mps", "-o", "OUT.lp"], "--format mps contradicts -o OUT.lp, whose name says LP"),
        (["--format", "lp", "-o", "OUT.mps.gz"], "--format lp contradicts -o OUT.mps.gz, whose name says MPS"),
        (["--mps-fixed", "-o", "OUT.lp"], "--mps-fixed contradicts -o OUT.lp"),
        (["--mps-fixed", "--format", "lp"], "--mps-fixed contradicts --format lp"),
    ])
    func theFormatMustAgreeWithTheFileName(arguments: [String], message: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("m").path
        let result = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--maximize", "y0"] + arguments.map { $0.replacingOccurrences(of: "OUT", with: out) })
        #expect(result.status == 64 && result.stderr.contains(message.replacingOccurrences(of: "OUT", with: out)), "\(arguments): \(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // A format that agrees with the name, or a name that says nothing, is fine.
        for agreeing in [["--format", "fixed-mps", "-o", out + ".mps"], ["--format", "lp", "-o", out + ".txt"]] {
            let written = try Tool.nnmip(["compile", model, "--input-box", "0:1", "--maximize", "y0"] + agreeing)
            #expect(written.status == 0, "\(agreeing): \(written.stderr)")
        }
    }

    /// Fixed MPS holds names of at most 8 characters, so `--format fixed-mps` has short names as
    /// `--mps-fixed` does: small_cnn's readable names (h_l1_n143) would not fit.
    @Test func fixedMPSAlwaysHasShortNames() throws {
        let arguments = ["compile", "fixtures/onnx/small_cnn.onnx", "--input-box", "0:1", "--maximize", "y0", "-o", "-"]
        let byFormat = try Tool.nnmip(arguments + ["--format", "fixed-mps"])
        #expect(byFormat.status == 0, "\(byFormat.stderr)")
        let byFlag = try Tool.nnmip(arguments + ["--mps-fixed"])
        #expect(byFormat.stdout == byFlag.stdout && !byFormat.stdout.isEmpty)
        let readable = try Tool.nnmip(arguments + ["--format", "mps"])
        #expect(readable.stdout.contains("h_l"), "free MPS keeps readable names")
        let columns = byFormat.stdout.components(separatedBy: "\nCOLUMNS\n").last?.components(separatedBy: "\nRHS").first ?? ""
        let names = columns.split(separator: "\n").compactMap { $0.split(separator: " ").first }
        #expect(!names.isEmpty && names.allSatisfy { $0.count <= 8 }, "\(names.filter { $0.count > 8 }.prefix(5))")
    }

    /// `--stats layers` is `--stats=layers`, and `--stats` alone is `--stats summary`.
    @Test func statsTakesItsLevelAsTheNextWordToo() throws {
        // -q: the summary line holds the seconds, which differ from run to run.
        let arguments = ["compile", model, "--input-box", "0:1", "--maximize", "y0", "-o", "/dev/null", "-q"]
        let spaced = try Tool.nnmip(arguments + ["--stats", "layers"])
        let joined = try Tool.nnmip(arguments + ["--stats=layers"])
        let bare = try Tool.nnmip(arguments + ["--stats"])
        let summary = try Tool.nnmip(arguments + ["--stats", "summary"])
        #expect(spaced.status == 0 && joined.status == 0 && bare.status == 0, "\(spaced.stderr)")
        #expect(spaced.stderr == joined.stderr && spaced.stderr.contains("relu_unstable: "))
        #expect(bare.stderr == summary.stderr && bare.stderr != spaced.stderr)
        // A model file named like a level stays the model.
        let model = try Tool.nnmip(["compile", "--stats", "layers.onnx", "--input-box", "0:1"])
        #expect(model.stderr.contains("layers.onnx"), "\(model.stderr)")
    }
}
