import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NNMIPKit
import Testing
import TestSupport

/// Issue 14, section 5, the input files: every file nnmip reads arrives as a file, gzipped, on
/// standard input (`-`, `/dev/stdin`), from a process substitution (`<(...)`, a `/dev/fd/N` pipe) or
/// from a FIFO, and gives the same answer as the plain file; what cannot be read ends with the
/// documented status and a message naming the file in plain words. Every case runs the real
/// binary (through bash, for the pipes), and checks that no input file changed, that no process
/// died by a signal and that no message carries Foundation's text.
@Suite struct HostileInputTests {
    /// A scratch folder holding the inputs: a model in each form, the spec files, a point, bounds, a
    /// Keras config, each also gzipped (`NAME.gz`), and the hashes to compare them with afterwards.
    final class Workspace {
        let folder: ScratchFolder
        /// The file names whose content must never change.
        private(set) var inputs: [String] = []
        private var hashes: [String: String] = [:]

        init() throws {
            folder = try ScratchFolder("hostile")
            let fixtures = [("m.onnx", "onnx/mlp_2x8.onnx"), ("p.vnnlib", "specs/mlp_2x8.robustness.vnnlib"),
                            ("x0.json", "specs/mlp_2x8.center.json"), ("k.keras", "keras/mlp_mixed.keras"),
                            ("k.h5", "keras/mlp_mixed.keras2.h5"), ("w.weights.h5", "keras/mlp_mixed.keras3.weights.h5"),
                            ("k.json", "keras/mlp_mixed.keras3.json")]
            for (name, fixture) in fixtures { try add(name) { try folder.copy(Paths.fixture(fixture), to: $0) } }
            try add("b.json") { try folder.write(Data(#"{"lower": [-1, -1, -1, -1], "upper": [1, 1, 1, 1]}"#.utf8), to: $0) }
            try add("spec.json") { try folder.write(Data(#"{"input_box": [-1, 1], "maximize": "y0 - y1"}"#.utf8), to: $0) }
            // Absolute paths: a list read from a pipe has no folder of its own.
            try add("list.csv") { try folder.write(Data("\(folder.path("m.onnx.gz")),\(folder.path("p.vnnlib.gz")),20\n".utf8), to: $0) }
            try add("random.bin") { try folder.write(Data((0..<256).map { UInt8(($0 * 89 + 7) % 251) }), to: $0) }
            for name in inputs where !name.hasSuffix(".gz") { try add(name + ".gz") { try folder.gzip(folder.path(name), to: $0) } }
        }

        /// Makes the input `name` with `make` and records its hash.
        func add(_ name: String, _ make: (String) throws -> Void) throws {
            try make(name)
            inputs.append(name)
            hashes[name] = try Self.hash(folder.path(name))
        }

        /// The path of `name` in the folder.
        func path(_ name: String) -> String { folder.path(name) }

        static func hash(_ path: String) throws -> String {
            var sha = SHA256()
            sha.update(try Data(contentsOf: URL(fileURLWithPath: path)))
            return sha.hexDigest()
        }

        /// Every input whose bytes are not what they were.
        func changedInputs() throws -> [String] {
            try inputs.filter { try Self.hash(path($0)) != hashes[$0] }
        }

        /// Runs `nnmip` with `arguments` in bash: `@NAME` is the workspace's file, `@IN` (also inside an argument) the input
        /// `name` as `channel` delivers it.
        func nnmip(_ arguments: [String], input name: String? = nil, via channel: Channel = .file) throws -> Tool.Result {
            var delivery = Channel.Delivery(word: "", redirect: "", setup: "")
            if let name { delivery = channel.delivery(path(name), fifo: path("fifo-\(UUID().uuidString)")) }
            let words = arguments.map { argument -> String in
                if let range = argument.range(of: "@IN") {
                    return shellQuoted(String(argument[..<range.lowerBound])) + delivery.word + shellQuoted(String(argument[range.upperBound...]))
                }
                return shellQuoted(argument.hasPrefix("@") ? path(String(argument.dropFirst())) : argument)
            }
            let script = delivery.setup + ([shellQuoted(Tool.nnmip)] + words).joined(separator: " ") + delivery.redirect
            return try Tool.run("/bin/bash", ["-c", script])
        }
    }

    /// How an input reaches nnmip.
    enum Channel: String, CaseIterable, Sendable {
        case file, gzipFile, standardInput, gzipStandardInput, devStdin, processSubstitution, gzipProcessSubstitution, fifo

        /// The word on the command line, the redirection of standard input, and what runs first.
        struct Delivery {
            var word, redirect, setup: String
        }

        func delivery(_ path: String, fifo: String) -> Delivery {
            let (plain, gzipped) = (shellQuoted(path), shellQuoted(path + ".gz"))
            switch self {
            case .file: return Delivery(word: plain, redirect: "", setup: "")
            case .gzipFile: return Delivery(word: gzipped, redirect: "", setup: "")
            case .standardInput: return Delivery(word: "-", redirect: " < \(plain)", setup: "")
            case .gzipStandardInput: return Delivery(word: "-", redirect: " < \(gzipped)", setup: "")
            case .devStdin: return Delivery(word: "/dev/stdin", redirect: " < \(plain)", setup: "")
            case .processSubstitution: return Delivery(word: "<(cat \(plain))", redirect: "", setup: "")
            case .gzipProcessSubstitution: return Delivery(word: "<(cat \(gzipped))", redirect: "", setup: "")
            case .fifo:
                // The writer's own output goes nowhere, so a writer left waiting holds no pipe of the test; it is stopped at the end.
                let name = shellQuoted(fifo)
                return Delivery(word: name, redirect: "",
                                setup: "mkfifo \(name) && { cat \(plain) > \(name); } >/dev/null 2>&1 & writer=$!; trap 'kill $writer 2>/dev/null; rm -f \(name)' EXIT; ")
            }
        }
    }

    /// Foundation's words for file errors, which no message may carry.
    static let foundationText = ["NSCocoaErrorDomain", "Error Domain=", "The operation could not be completed", "The file “",
                                 "doesn’t exist", "You don’t have permission", "couldn’t be", "NSPOSIXErrorDomain"]

    /// What every run must satisfy: no death by a signal (bash reports one as 128 + N) and no Foundation text.
    static func expectSane(_ result: Tool.Result, _ context: String) {
        #expect(!result.terminatedBySignal && result.status < 128, "\(context): status \(result.status)\n\(result.stderr)")
        for phrase in foundationText {
            #expect(!result.stderr.contains(phrase), "\(context): Foundation text in: \(result.stderr)")
        }
    }

    /// Output without the lines that name the model file (inspect's `model:`, MPS comments and NAME).
    static func withoutFileNames(_ text: String) -> String {
        text.split(separator: "\n").filter { !$0.hasPrefix("model: ") && !$0.hasPrefix("*") && !$0.hasPrefix("NAME") }.joined(separator: "\n")
    }

    /// One input of one command: the arguments (`@IN` is the input), the input's file name, whether
    /// HiGHS is needed, and the part of the output that must be the same whichever way the input came.
    struct Case: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var input: String
        var needsHiGHS = false
        var compared: @Sendable (String) -> String = HostileInputTests.withoutFileNames

        var testDescription: String { "\(input) in \(arguments.joined(separator: " "))" }
    }

    static let box = ["--input-box", "-1:1", "--maximize", "y0"]

    static let cases: [Case] = [
        Case(arguments: ["inspect", "@IN"], input: "m.onnx"),
        Case(arguments: ["inspect", "@IN"], input: "k.keras"),
        Case(arguments: ["inspect", "@IN"], input: "k.h5"),
        Case(arguments: ["inspect", "@IN", "--keras-config", "@k.json"], input: "w.weights.h5"),
        Case(arguments: ["inspect", "@w.weights.h5", "--keras-config", "@IN"], input: "k.json"),
        Case(arguments: ["eval", "@IN", "--input", "@x0.json"], input: "m.onnx"),
        Case(arguments: ["eval", "@m.onnx", "--input", "@IN"], input: "x0.json"),
        Case(arguments: ["compile", "@IN", "--spec", "@p.vnnlib", "-o", "-"], input: "m.onnx"),
        Case(arguments: ["compile", "@m.onnx", "--spec", "@IN", "-o", "-"], input: "p.vnnlib"),
        Case(arguments: ["compile", "@m.onnx", "--spec", "@IN", "-o", "-"], input: "spec.json"),
        Case(arguments: ["compile", "@m.onnx", "--input-bounds", "@IN", "--maximize", "y0", "-o", "-"], input: "b.json"),
        Case(arguments: ["compile", "@m.onnx", "--input-box", "-1:1", "--linf-ball", "@IN:0.1", "--maximize", "y0", "-o", "-"], input: "x0.json"),
        Case(arguments: ["compile", "@m.onnx", "--input-box", "-1:1", "--l1-ball", "@IN:0.1", "--maximize", "y0", "-o", "-"], input: "x0.json"),
        // The seconds and node counts differ from run to run; the answer may not.
        Case(arguments: ["solve", "@IN", "--quiet"] + box, input: "m.onnx", needsHiGHS: true,
             compared: { $0.split(separator: "\n").filter { ["status", "objective", "input", "output"].contains($0.prefix { $0 != " " && $0 != ":" }) }.joined(separator: "\n") }),
        // One thread: with two, the attack beside the stages may find another counterexample first.
        Case(arguments: ["verify", "@IN", "@p.vnnlib", "--timeout", "20", "--quiet", "--threads", "1"], input: "m.onnx", needsHiGHS: true),
        Case(arguments: ["verify", "@m.onnx", "@IN", "--timeout", "20", "--quiet", "--threads", "1"], input: "p.vnnlib", needsHiGHS: true),
        // The seconds differ from run to run; the instances and their answers may not.
        Case(arguments: ["verify", "--instances", "@IN"], input: "list.csv", needsHiGHS: true,
             compared: { $0.split(separator: "\n").map { $0.split(separator: ",").prefix(3).joined(separator: ",") }.joined(separator: "\n") }),
    ]

    @Test(arguments: cases, Channel.allCases)
    func everyInputReadsTheSameFromEveryChannel(input: Case, channel: Channel) throws {
        if input.needsHiGHS { _ = try EmbeddedHiGHS.require() }
        let workspace = try Workspace()
        let expected = try workspace.nnmip(input.arguments, input: input.input, via: .file)
        #expect(expected.status == 0, "\(expected.stderr)")
        let result = try workspace.nnmip(input.arguments, input: input.input, via: channel)
        Self.expectSane(result, "\(channel)")
        #expect(result.status == 0, "\(channel): \(result.stderr)")
        #expect(input.compared(result.stdout) == input.compared(expected.stdout), "\(channel): \(result.stdout)\n\(result.stderr)")
        #expect(!input.compared(result.stdout).isEmpty)
        #expect(try workspace.changedInputs().isEmpty)
    }

    /// solution read takes the solution, the name map and the model from any channel too.
    @Test(arguments: Channel.allCases)
    func solutionFilesAndNameMapsReadFromEveryChannel(channel: Channel) throws {
        let workspace = try Workspace()
        let compiled = try workspace.nnmip(["compile", "@m.onnx"] + Self.box + ["-o", "@m.mps", "--names", "@names.json"])
        #expect(compiled.status == 0, "\(compiled.stderr)")
        // A Gurobi-style solution: the box center and the network's outputs there.
        let evaluated = try workspace.nnmip(["eval", "@m.onnx", "--input", "[0, 0, 0, 0]"])
        let map = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.path("names.json")))) as? [String: Any]
        func variables(_ key: String) -> [String] { ((map?[key] as? [[String: Any]])?.first?["variables"] as? [String]) ?? [] }
        let values = ["0", "0", "0", "0"] + evaluated.stdout.split(separator: "\n").map(String.init)
        let lines = zip(variables("inputs") + variables("outputs"), values).map { "\($0) \($1)" }
        try workspace.add("s.sol") { try workspace.folder.write(Data((["# Objective value = 0"] + lines).joined(separator: "\n").utf8), to: $0) }
        try workspace.add("s.sol.gz") { try workspace.folder.gzip(workspace.path("s.sol"), to: $0) }
        try workspace.add("names.json.gz") { try workspace.folder.gzip(workspace.path("names.json"), to: $0) }
        for (arguments, input) in [(["solution", "read", "@IN", "--names", "@names.json"], "s.sol"),
                                   (["solution", "read", "@s.sol", "--names", "@IN"], "names.json"),
                                   (["solution", "read", "@s.sol", "--names", "@names.json", "--model", "@IN"], "m.onnx")] {
            let result = try workspace.nnmip(arguments, input: input, via: channel)
            Self.expectSane(result, "\(channel) \(input)")
            #expect(result.status == 0 && result.stdout.contains("check: passed"), "\(channel) \(input): \(result.stdout)\(result.stderr)")
        }
        #expect(try workspace.changedInputs().isEmpty)
    }

    /// A JSON spec that includes a gzipped VNN-LIB file, and prune from standard input.
    @Test func gzippedIncludesAndPruneFromStandardInput() throws {
        let workspace = try Workspace()
        try workspace.add("include.json") { try workspace.folder.write(Data(#"{"vnnlib": "p.vnnlib.gz"}"#.utf8), to: $0) }
        let included = try workspace.nnmip(["compile", "@m.onnx", "--spec", "@include.json", "-o", "-"])
        let direct = try workspace.nnmip(["compile", "@m.onnx", "--spec", "@p.vnnlib", "-o", "-"])
        Self.expectSane(included, "include")
        #expect(included.status == 0 && included.stdout == direct.stdout, "\(included.stderr)")
        let pruned = try workspace.nnmip(["prune", "@IN", "--sparsity", "0.5", "-o", "@pruned.nnir"], input: "m.onnx", via: .gzipStandardInput)
        Self.expectSane(pruned, "prune")
        #expect(pruned.status == 0, "\(pruned.stderr)")
        let inspected = try workspace.nnmip(["inspect", "@pruned.nnir"])
        #expect(inspected.status == 0 && inspected.stdout.contains("format: nnmip IR"), "\(inspected.stderr)")
        #expect(try workspace.changedInputs().isEmpty)
    }

    // MARK: - Standard input is one input

    /// Standard input (or one pipe) can feed one input: a second is a usage error (exit 64) naming it, and no output is left.
    @Test(arguments: [
        "\"$NNMIP\" eval - --input - < \"$W/m.onnx\"",
        "\"$NNMIP\" compile - --spec - -o \"$W/out.mps\" < \"$W/m.onnx\"",
        "cat \"$W/p.vnnlib\" | \"$NNMIP\" compile \"$W/m.onnx\" --spec - --input-bounds /dev/stdin -o \"$W/out.mps\"",
        "cat \"$W/m.onnx\" | \"$NNMIP\" eval /dev/stdin --input -",
        "\"$NNMIP\" verify - - < \"$W/m.onnx\"",
    ])
    func aSecondInputFromStandardInputIsRefused(script: String) throws {
        let workspace = try Workspace()
        let result = try Tool.run("/bin/bash", ["-c", "NNMIP=\(shellQuoted(Tool.nnmip)) W=\(shellQuoted(workspace.path(""))) ; " + script])
        Self.expectSane(result, script)
        #expect(result.status == 64, "\(script): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains("nnmip: error: <stdin>: standard input was already read") ||
                result.stderr.contains("nnmip: error: /dev/stdin: this pipe was already read") ||
                result.stderr.contains("nnmip: error: <stdin>: this pipe was already read"), "\(script): \(result.stderr)")
        #expect(result.stderr.contains("can be read only once"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out.mps")))
        #expect(try workspace.changedInputs().isEmpty)
    }

    // MARK: - Content that says nothing, damaged gzip

    /// Where the name says nothing, the content decides; content that is no model or spec is malformed
    /// input (exit 65), and the message names the file and says what it starts with.
    @Test(arguments: [
        (["inspect", "@IN"], "random.bin", Channel.standardInput, "<stdin>: not a model nnmip reads: it starts with the bytes 07 60 b9 17"),
        (["inspect", "@IN"], "b.json", Channel.processSubstitution, #": not a model nnmip reads: it starts with the text "{\"lower\""#),
        (["inspect", "@IN"], "list.csv", Channel.gzipStandardInput, "<stdin>: not a model nnmip reads: it starts once inflated with the text"),
        (["compile", "@m.onnx", "--spec", "@IN", "-o", "-"], "list.csv", Channel.devStdin, "/dev/stdin: not a spec nnmip reads: it starts with the text"),
        (["compile", "@m.onnx", "--spec", "@IN", "-o", "-"], "random.bin", Channel.fifo, ": not a spec nnmip reads: it starts with the bytes 07 60"),
    ])
    func contentThatIsNoneOfTheFormatsIsNamed(arguments: [String], input: String, channel: Channel, message: String) throws {
        let workspace = try Workspace()
        let result = try workspace.nnmip(arguments, input: input, via: channel)
        Self.expectSane(result, input)
        #expect(result.status == 65, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try workspace.changedInputs().isEmpty)
    }

    /// gzip data cut short or damaged is malformed input (exit 65) naming the file, whichever file it is.
    @Test(arguments: [(["inspect", "@IN"], "m.onnx"), (["compile", "@m.onnx", "--spec", "@IN", "-o", "@out.mps"], "p.vnnlib"),
                      (["eval", "@m.onnx", "--input", "@IN"], "x0.json"), (["inspect", "@IN"], "k.h5")])
    func truncatedAndDamagedGzipIsRefused(arguments: [String], input: String) throws {
        let workspace = try Workspace()
        let whole = try Data(contentsOf: URL(fileURLWithPath: workspace.path(input + ".gz")))
        var damaged = whole
        damaged[whole.count / 2] ^= 0xFF
        try workspace.add("cut.gz") { try workspace.folder.write(whole.prefix(whole.count * 2 / 3), to: $0) }
        try workspace.add("damaged.gz") { try workspace.folder.write(damaged, to: $0) }
        for name in ["cut.gz", "damaged.gz"] {
            for (channel, file) in [(Channel.file, workspace.path(name)), (.standardInput, "<stdin>")] {
                let result = try workspace.nnmip(arguments, input: name, via: channel)
                Self.expectSane(result, "\(name) \(channel)")
                #expect(result.status == 65, "\(name) \(channel): \(result.status) \(result.stderr)")
                #expect(result.stderr.contains("nnmip: error: \(file): ") && result.stderr.contains("gzip data"), "\(result.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path("out.mps")))
        #expect(try workspace.changedInputs().isEmpty)
    }

    // MARK: - Files that cannot be read

    /// Every kind of input, missing, a folder, or unreadable: exit 66, the file named, the reason in plain words.
    @Test(arguments: [
        ["inspect", "@X"], ["eval", "@m.onnx", "--input", "@X"], ["compile", "@m.onnx", "--spec", "@X", "-o", "-"],
        ["compile", "@m.onnx", "--input-bounds", "@X", "--maximize", "y0", "-o", "-"],
        ["compile", "@m.onnx", "--input-box", "-1:1", "--l1-ball", "@X:0.1", "--maximize", "y0", "-o", "-"],
        ["inspect", "@w.weights.h5", "--keras-config", "@X"], ["verify", "@m.onnx", "@X"], ["verify", "--instances", "@X"],
        ["solution", "read", "@b.json", "--names", "@X"],
    ])
    func unreadableInputsSayWhyAndNameTheFile(arguments: [String]) throws {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(atPath: workspace.path("folder"), withIntermediateDirectories: false)
        var unreadable = [("missing", "no such file"), ("folder", "is a directory"), ("b.json/below", "a folder in the path is not a folder")]
        if getuid() != 0 {
            try workspace.add("locked") { try workspace.folder.write(Data("{}".utf8), to: $0) }
            chmod(workspace.path("locked"), 0)
            unreadable.append(("locked", "permission denied"))
        }
        for (name, reason) in unreadable {
            let result = try workspace.nnmip(arguments.map { $0.replacingOccurrences(of: "@X", with: "@" + name) })
            Self.expectSane(result, "\(name) in \(arguments)")
            #expect(result.status == 66, "\(name) in \(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("nnmip: error: \(workspace.path(name)): cannot read the file (\(reason))"),
                    "\(name) in \(arguments): \(result.stderr)")
        }
        #expect(try workspace.changedInputs().isEmpty)
    }

    /// A model read from standard input is named `<stdin>`, as its errors name it, not `-`.
    @Test func aModelFromStandardInputIsNamedSo() throws {
        let workspace = try Workspace()
        let result = try workspace.nnmip(["inspect", "@IN"], input: "m.onnx", via: .standardInput)
        #expect(result.status == 0 && result.stdout.hasPrefix("model: <stdin>\n"), "\(result.stdout)\(result.stderr)")
    }

    // MARK: - eval --input inline

    /// `--input` takes the point itself when the value starts with [ or { and names no file.
    @Test func evalTakesAnInlinePoint() throws {
        let workspace = try Workspace()
        let fromFile = try workspace.nnmip(["eval", "@m.onnx", "--input", "@x0.json"])
        let point = try String(contentsOfFile: workspace.path("x0.json"), encoding: .utf8)
        let inline = try workspace.nnmip(["eval", "@m.onnx", "--input", point])
        #expect(inline.status == 0 && inline.stdout == fromFile.stdout, "\(inline.stderr)")
        let named = try workspace.nnmip(["eval", "@m.onnx", "--input", "{\"X\": \(point)}"])
        #expect(named.status == 0 && named.stdout == fromFile.stdout, "\(named.stderr)")
        for (value, status, message) in [("[0.1, 0.2", 65, "--input (inline JSON): not valid JSON"),
                                         ("[0.1, 0.2]", 65, "--input (inline JSON): input 'X': 2 values given"),
                                         ("x1.json", 66, "x1.json: cannot read the file (no such file)")] {
            let result = try workspace.nnmip(["eval", "@m.onnx", "--input", value])
            Self.expectSane(result, value)
            #expect(result.status == Int32(status) && result.stderr.contains(message), "\(value): \(result.status) \(result.stderr)")
        }
    }

    // MARK: - --highs-library

    /// A relative --highs-library is a file in the current directory (dlopen alone would search the
    /// library path for a bare name); when it cannot be loaded, exit 69 names where nnmip looked.
    @Test(.needsHiGHS) func aRelativeHiGHSLibraryIsTakenFromTheCurrentDirectory() throws {
        let library = try EmbeddedHiGHS.require()
        let workspace = try Workspace()
        try FileManager.default.createSymbolicLink(atPath: workspace.path("libhighs.so"), withDestinationPath: library.path)
        func solve(_ name: String) throws -> Tool.Result {
            let words = ["solve", "m.onnx", "--quiet", "--highs-library", name] + Self.box
            return try Tool.run("/bin/bash", ["-c", "cd \(shellQuoted(workspace.path(""))) && \(shellQuoted(Tool.nnmip)) " + words.map(shellQuoted).joined(separator: " ")],
                                environment: ["NNMIP_HIGHS_LIBRARY": "", "LD_LIBRARY_PATH": ""])
        }
        let found = try solve("libhighs.so")
        Self.expectSane(found, "libhighs.so")
        #expect(found.status == 0 && found.stdout.hasPrefix("status: optimal"), "\(found.status) \(found.stderr)")
        let missing = try solve("lib/none.so")
        Self.expectSane(missing, "lib/none.so")
        #expect(missing.status == 69, "\(missing.status) \(missing.stderr)")
        #expect(missing.stderr.contains(workspace.path("lib/none.so")), "\(missing.stderr)")
    }
}

/// `text` quoted for bash, as one word.
private func shellQuoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
}
