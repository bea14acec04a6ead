import Foundation
import Testing
import TestSupport

/// man/nnmip.1 must describe exactly the subcommands and options that `--help` shows.
@Suite struct ManualPageTests {
    static let subcommands = ["inspect", "eval", "compile", "solve", "verify", "solution read", "prune", "passes"]

    /// The man page with roff escapes removed (`\-\-emit\-ir` reads as `--emit-ir`).
    func manualText() throws -> String {
        try String(contentsOf: Paths.root.appendingPathComponent("man/nnmip.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
    }

    func options(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "(?<![\\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?![\\w-])")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })
    }

    @Test func everySubcommandAndOptionInHelpIsInTheManualPage() throws {
        let manual = try manualText()
        let top = try Tool.nnmip(["--help"])
        #expect(top.status == 0)
        for sub in Self.subcommands {
            let words = sub.split(separator: " ").map(String.init)
            #expect(top.stdout.contains("  \(words[0]) "), "--help does not list \(words[0])")
            #expect(manual.contains(".B nnmip \(sub)") && manual.contains(".B \(sub)\n"), "man page lacks the \(sub) subcommand")
            let help = try Tool.nnmip(["help"] + words)
            #expect(help.status == 0)
            for option in options(in: help.stdout) where option.count > 2 || option == "-o" || option == "-h" {
                #expect(manual.contains(option), "\(sub) --help shows \(option), which man/nnmip.1 does not document")
            }
        }
        // Every subcommand --help lists is one this test covers.
        let listed = top.stdout.components(separatedBy: "SUBCOMMANDS:").last?.split(separator: "\n")
            .compactMap { $0.hasPrefix("  ") && !$0.hasPrefix("   ") ? $0.split(separator: " ").first.map(String.init) : nil }
            .filter { $0.allSatisfy(\.isLowercase) } ?? []
        #expect(Set(listed.filter { $0 != "help" }) == Set(Self.subcommands.map { String($0.split(separator: " ")[0]) }), "\(listed)")
        for code in ["0", "1", "64", "65", "66", "69", "70", "73"] {
            #expect(manual.contains(".B \(code)\n") && top.stdout.contains(code), "exit status \(code) must be in --help and the man page")
        }
    }

    @Test func theManualPageDocumentsNoOptionThatDoesNotExist() throws {
        var helpOptions: Set<String> = []
        for sub in Self.subcommands { helpOptions.formUnion(options(in: try Tool.nnmip(["help"] + sub.split(separator: " ").map(String.init)).stdout)) }
        helpOptions.formUnion(options(in: try Tool.nnmip(["--help"]).stdout))
        let section = try manualText().components(separatedBy: ".SH OPTIONS").last?.components(separatedBy: ".SH THE IR").first ?? ""
        for option in options(in: section) where option.hasPrefix("--") || option == "-o" {
            #expect(helpOptions.contains(option), "man/nnmip.1 documents \(option), which no --help shows")
        }
    }
}
