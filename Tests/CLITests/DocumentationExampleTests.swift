import Foundation
import Testing
import TestSupport

/// One run of documented examples: the commands of one README code block, of one example of the
/// man page, or one `Example:` line of a `--help`, run in order in a folder of their own.
struct ExampleSession: Sendable, CustomTestStringConvertible {
    /// Where the commands are written (`README.md, the block at line 30`).
    var source: String
    /// The shell command lines, as a user would paste them.
    var lines: [String]

    var testDescription: String { source }
}

/// The example commands of the README, the man page and the `--help` texts, extracted from the
/// documents themselves and run as a user would run them, so that no documented example can stop
/// working unnoticed: every command must exit 0.
///
/// They run in a fresh folder per session, with `nnmip` and the solvers on PATH, `fixtures/` of the
/// project beside them, `../shared` the folder the real networks are in, and the file names the
/// documents use for a user's own files (`net.onnx`, `prop.vnnlib`, ...) made from the fixtures
/// by `placeholders`.
@Suite struct DocumentationExampleTests {
    /// What a file name of the documents stands for in the examples' folder.
    enum Placeholder {
        /// A link to this file of `fixtures/`.
        case fixture(String)
        /// A file with this text.
        case text(String)
        /// An empty folder.
        case folder
    }

    /// The names the documents give a user's files, and what each is in the examples' folder.
    static let placeholders: [String: Placeholder] = [
        "model.onnx": .fixture("onnx/mlp_2x8.onnx"),
        "net.onnx": .fixture("onnx/mlp_2x8.onnx"),
        "classifier.onnx": .fixture("onnx/softmax_tail.onnx"),
        "prop.vnnlib": .fixture("specs/mlp_2x8.robustness.vnnlib"),
        "x0.json": .fixture("specs/mlp_2x8.center.json"),
        "l1ball.json": .fixture("specs/mlp_2x8.l1ball.json"),
        "model.weights.h5": .fixture("keras/mlp_mixed.keras2_weights.h5"),
        "config.json": .fixture("keras/mlp_mixed.keras2.json"),
        "x.json": .text("[0.1, -0.2, 0.3, -0.4, 0.5]\n"),
        "instances.csv": .text("net.onnx,prop.vnnlib,30\nnet.onnx,l1ball.json,30\n"),
        "results": .folder,
        // What the README's JANOS walk-through trains and writes: the same files, byte for byte.
        "janos": .fixture("embedding"),
    ]

    /// Seconds a session may take: examples are meant to be tried, so each ends within seconds.
    static let sessionLimit = 120

    /// Example lines that cannot run in a test, each with the reason.
    static let notRunnable: [String: String] = [
        "scripts/demo.sh": "installs packages as root and builds the project",
        "scripts/test.sh": "runs the whole test suite, this test included",
        ". scripts/fixtures/embedding-venv.sh": "makes a Python venv (the tests never need Python)",
        ".venv-embedding/bin/python": "trains networks in Python (the tests never need Python; the placeholder janos holds its output)",
    ]

    /// The ```sh blocks of the README.
    static func readmeSessions() throws -> [ExampleSession] {
        let lines = try String(contentsOf: Paths.root.appendingPathComponent("README.md"), encoding: .utf8)
            .components(separatedBy: "\n")
        var sessions: [ExampleSession] = []
        var open: ExampleSession?
        for (number, line) in lines.enumerated() {
            if open == nil, line == "```sh" {
                open = ExampleSession(source: "README.md, the block at line \(number + 1)", lines: [])
            } else if let session = open, line == "```" {
                sessions.append(session)
                open = nil
            } else if open != nil {
                open?.lines.append(line)
            }
        }
        return sessions
    }

    /// The examples of the man page's EXAMPLES section: each `.RS` ... `.RE` group of `.B` lines.
    static func manualPageSessions() throws -> [ExampleSession] {
        let manual = try String(contentsOf: Paths.root.appendingPathComponent("man/nnmip.1"), encoding: .utf8)
        let examples = manual.components(separatedBy: ".SH EXAMPLES\n").dropFirst().first?.components(separatedBy: "\n.SH ").first ?? ""
        return examples.components(separatedBy: ".RS\n").dropFirst().enumerated().map { index, group in
            let commands = (group.components(separatedBy: ".RE").first ?? "").components(separatedBy: "\n")
                .filter { $0.hasPrefix(".B ") }
                .map { String($0.dropFirst(3)).replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\(aq", with: "'") }
            return ExampleSession(source: "man/nnmip.1, example \(index + 1)", lines: commands)
        }
    }

    /// Every `Example:` line of every command's --help, each a session of its own.
    static func helpSessions() throws -> [ExampleSession] {
        let tree = try CommandTree.load()
        return try ([[]] + tree.subcommandPaths).flatMap { path in
            let help = try Tool.nnmip(path + ["--help"], environment: ["COLUMNS": "1000"]).stdout
            return help.components(separatedBy: "\n").compactMap { line -> ExampleSession? in
                guard let range = line.range(of: "Example: ") else { return nil }
                return ExampleSession(source: "nnmip \(path.joined(separator: " ")) --help", lines: [String(line[range.upperBound...])])
            }
        }
    }

    @Test(.needsHiGHS, arguments: try readmeSessions() + manualPageSessions())
    func theExampleRuns(_ session: ExampleSession) throws {
        try run(session)
    }

    @Test(.needsHiGHS) func theExamplesOfTheHelpRun() throws {
        let sessions = try Self.helpSessions()
        #expect(!sessions.isEmpty, "no --help has an Example: line")
        for session in sessions { try run(session) }
    }

    /// The documents have examples to run at all (a change of their layout would leave none).
    @Test func examplesAreFound() throws {
        #expect(try Self.readmeSessions().count >= 5)
        #expect(try Self.manualPageSessions().count >= 10)
    }

    /// Runs the session's commands in order in a fresh folder; each must exit 0.
    private func run(_ session: ExampleSession) throws {
        let commands = session.lines.filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && !trimmed.hasPrefix("#") && !Self.notRunnable.keys.contains { trimmed.hasPrefix($0) }
        }
        guard !commands.isEmpty else { return }
        if commands.contains(where: { $0.contains("../shared/") }) { _ = try Realnets.require() }
        for solver in Solver.allCases where commands.contains(where: { Self.runs(solver, $0) }) { try solver.require() }

        let base = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-docs-\(UUID().uuidString)")
        let folder = base.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("fixtures"), withDestinationURL: Paths.root.appendingPathComponent("fixtures"))
        try FileManager.default.createSymbolicLink(at: base.appendingPathComponent("shared"),
                                                   withDestinationURL: Paths.root.appendingPathComponent("../shared").standardizedFileURL)
        for (name, placeholder) in Self.placeholders {
            let url = folder.appendingPathComponent(name)
            switch placeholder {
            case .fixture(let file): try FileManager.default.createSymbolicLink(at: url, withDestinationURL: URL(fileURLWithPath: Paths.fixture(file)))
            case .text(let text): try text.write(to: url, atomically: true, encoding: .utf8)
            case .folder: try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
            }
        }
        // Each command is followed by a check that names it when it fails; pipelines fail with any of their commands.
        let script = ["set -o pipefail"] + commands.enumerated().map { index, command in
            "\(command)\nstatus=$?; if [ $status -ne 0 ]; then echo \"example \(index) failed with status $status\" >&2; exit 1; fi"
        }
        let path = [URL(fileURLWithPath: Tool.nnmip).deletingLastPathComponent().path,
                    URL(fileURLWithPath: Solver.highs.executable).deletingLastPathComponent().path,
                    ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"].joined(separator: ":")
        // A session that runs past its limit fails (status 124) rather than hold up the test run.
        let result = try Tool.run("/usr/bin/timeout", ["\(Self.sessionLimit)", "/bin/bash", "-c", "cd \"$1\" && eval \"$2\"", "bash", folder.path,
                                                      script.joined(separator: "\n")],
                                  environment: ["PATH": path, "SLURM_ARRAY_TASK_ID": "1"])
        let failed = result.stderr.components(separatedBy: "\n").compactMap { line -> Int? in
            guard line.hasPrefix("example "), line.contains(" failed with status ") else { return nil }
            return Int(line.dropFirst("example ".count).prefix { $0.isNumber })
        }.first
        #expect(result.status == 0, "\(session.source): \(failed.map { "'\(commands[$0])'" } ?? "the session") failed\(result.status == 124 ? " to end within \(Self.sessionLimit) s" : ""):\n\(result.stderr.suffix(2000))")
    }

    /// Whether the command line runs `solver`'s executable.
    private static func runs(_ solver: Solver, _ line: String) -> Bool {
        let name = solver == .glpk ? "glpsol" : solver.rawValue
        return line.hasPrefix(name + " ") || line.contains("| \(name) ") || line.contains("&& \(name) ")
    }
}
