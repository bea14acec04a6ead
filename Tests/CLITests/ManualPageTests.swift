import Foundation
import NNMIPKit
import Testing
import TestSupport

/// man/nnmip.1 must describe exactly the subcommands, options and passes that nnmip has: the
/// commands and options come from argument-parser's own description of the command tree, the
/// passes from `PassRegistry`.
@Suite struct ManualPageTests {
    /// The man page with roff escapes removed (`\-\-emit\-ir` reads as `--emit-ir`).
    func manualText() throws -> String {
        try String(contentsOf: Paths.root.appendingPathComponent("man/nnmip.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-")
    }

    /// The part of the man page from `.SH start` to the next section.
    func section(_ start: String, of manual: String) -> String {
        let after = manual.components(separatedBy: ".SH \(start)\n").dropFirst().first ?? ""
        return after.components(separatedBy: "\n.SH ").first ?? ""
    }

    /// The option-like words of `text` (`--emit-ir`, `-o`).
    func options(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "(?<![\\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\\w-])")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })
    }

    @Test func everySubcommandAndEveryOptionIsInTheManualPage() throws {
        let manual = try manualText(), tree = try CommandTree.load()
        let synopsis = section("SYNOPSIS", of: manual), commands = section("COMMANDS", of: manual)
        let documented = options(in: section("OPTIONS", of: manual))
        #expect(tree.leafPaths.count >= 8, "the command tree has \(tree.leafPaths)")
        for path in tree.leafPaths {
            let name = path.joined(separator: " ")
            #expect(synopsis.contains(".B nnmip \(name)"), "the SYNOPSIS lacks the \(name) subcommand")
            #expect(commands.contains(".B \(name)\n"), "COMMANDS lacks the \(name) subcommand")
        }
        for path in [[]] + tree.subcommandPaths {
            for option in tree.options(at: path) {
                #expect(documented.contains(option), "'nnmip \(path.joined(separator: " "))' has \(option), which OPTIONS in man/nnmip.1 does not document")
            }
        }
    }

    @Test func theManualPageDocumentsNoOptionThatDoesNotExist() throws {
        let tree = try CommandTree.load()
        let real = ([[]] + tree.subcommandPaths).reduce(into: Set<String>()) { $0.formUnion(tree.options(at: $1)) }
        for option in options(in: section("OPTIONS", of: try manualText())) where option.hasPrefix("--") || option == "-o" {
            #expect(real.contains(option), "man/nnmip.1 documents \(option), which no subcommand has")
        }
    }

    /// The PASSES section's paragraphs by the pass they describe (`.B bounds-ia`, `.BI prune{ sparsity=... }`).
    func passParagraphs(_ manual: String) -> [String: String] {
        let paragraphs = section("PASSES", of: manual).components(separatedBy: "\n.TP\n").dropFirst()
        return Dictionary(paragraphs.map { paragraph in
            let head = paragraph.prefix { $0 != "\n" }.drop { $0 != " " }.dropFirst()
            return (String(head.prefix { $0 != " " && $0 != "{" }), paragraph)
        }, uniquingKeysWith: { a, b in a + b })
    }

    @Test func thePassesSectionDocumentsExactlyTheRegisteredPassesAndTheirOptions() throws {
        let manual = try manualText(), paragraphs = passParagraphs(manual)
        #expect(Set(paragraphs.keys) == Set(PassRegistry.passes.map { $0.name }), "PASSES in man/nnmip.1 has \(paragraphs.keys.sorted())")
        for pass in PassRegistry.passes {
            for option in pass.options {
                #expect(paragraphs[pass.name]?.contains("\(option.name)=") == true, "PASSES in man/nnmip.1 does not give \(pass.name)'s option \(option.name)")
            }
        }
        for level in 0...3 {
            let pipeline = try #require(Pipeline.optimizationLevel(level))
            #expect(section("PASSES", of: manual).contains("-O\(level)  \(pipeline)\n"), "PASSES lacks -O\(level)'s pipeline \(pipeline)")
        }
    }

    @Test func exitStatusesAreInTheHelpAndTheManualPage() throws {
        let manual = try manualText(), top = try Tool.nnmip(["--help"])
        #expect(top.status == 0)
        for code in ["0", "1", "64", "65", "66", "69", "70", "73", "130", "143"] {
            #expect(section("EXIT STATUS", of: manual).contains(".B \(code)\n") && top.stdout.contains(code), "exit status \(code) must be in --help and the man page")
        }
    }
}
