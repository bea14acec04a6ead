import Foundation
import Testing
import TestSupport

/// `--help` of nnmip and of every subcommand, as golden files in Tests/CLITests/Golden/help/
/// (`NNMIP_BLESS=1` rewrites them; a failure prints the diff).
@Suite struct HelpGoldenTests {
    static let folder = "Tests/CLITests/Golden/help"

    /// The golden file of the command at `path`: `nnmip.txt`, `compile.txt`, `solution-read.txt`.
    static func file(_ path: [String]) -> String {
        "\(folder)/\(path.isEmpty ? "nnmip" : path.joined(separator: "-")).txt"
    }

    @Test func everyCommandsHelpMatchesItsGoldenFile() throws {
        let tree = try CommandTree.load()
        let paths = [[]] + tree.subcommandPaths
        for path in paths {
            // argument-parser wraps help at the terminal's width, or at COLUMNS when it is set.
            let help = try Tool.nnmip(path + ["--help"], environment: ["COLUMNS": "80"])
            #expect(help.status == 0, "\(path): \(help.stderr)")
            let mismatch = try goldenMismatch(help.stdout, file: Self.file(path))
            #expect(mismatch == nil, "\(mismatch ?? "")")
        }
        // No golden file is left over from a command that no longer exists.
        let expected = Set(paths.map { URL(fileURLWithPath: Self.file($0)).lastPathComponent })
        let present = try FileManager.default.contentsOfDirectory(atPath: Paths.root.appendingPathComponent(Self.folder).path)
        #expect(Set(present) == expected, "stale or missing files in \(Self.folder): \(Set(present).symmetricDifference(expected).sorted())")
    }
}
