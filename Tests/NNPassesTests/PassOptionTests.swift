import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The typed pass options: each declaration is read by its key, lists and parses as declared,
/// and is documented in the manual page with the default it declares.
@Suite struct PassOptionTests {
    /// `name{key=default,...}`, or `name` for a pass without options: how the manual page heads a pass.
    func heading(_ pass: any Pass.Type) -> String {
        pass.options.isEmpty ? pass.name
            : pass.name + "{" + pass.options.map { "\($0.name)=\($0.defaultText)" }.joined(separator: ",") + "}"
    }

    /// The heading lines of the manual page's PASSES section (`.B name` or `.BI name{...}` after `.TP`),
    /// with the roff escapes and spaces taken out.
    func manualHeadings() throws -> [String] {
        let manual = try String(contentsOf: Paths.root.appendingPathComponent("man/nnmip.1"), encoding: .utf8)
        let lines = manual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: ".SH PASSES") else { return [] }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix(".SH ") } ?? lines.endIndex
        var headings: [String] = []
        for k in (start + 1)..<(end - 1) where lines[k] == ".TP" {
            let line = lines[k + 1]
            guard line.hasPrefix(".B ") || line.hasPrefix(".BI ") else { continue }
            let text = line.drop { $0 != " " }.replacingOccurrences(of: "\\", with: "").filter { $0 != " " && $0 != "\"" }
            headings.append(text)
        }
        return headings
    }

    @Test func everyPassIsHeadedInTheManualPageWithItsDeclaredDefaults() throws {
        let headings = try manualHeadings()
        for pass in PassRegistry.passes {
            #expect(headings.contains(heading(pass)), "man/nnmip.1 PASSES has no '\(heading(pass))' heading; it has \(headings)")
        }
    }

    @Test func everyOptionHasHelpAndItsDefaultParsesBack() throws {
        for pass in PassRegistry.passes {
            let names = pass.options.map(\.name)
            #expect(Set(names).count == names.count, "\(pass.name) declares an option twice")
            for option in pass.options {
                #expect(!option.help.isEmpty, "\(pass.name){\(option.name)} has no help")
                #expect(option.parse(option.defaultText) != nil, "\(pass.name){\(option.name)=\(option.defaultText)} does not parse")
            }
            // The pass can be built from its defaults, and from the defaults written out.
            let written = try Pipeline(parsing: heading(pass))
            #expect(written.description == heading(pass))
            _ = try pass.init(options: PassOptionValues(pass: pass.name, options: pass.options, given: written.entries[0].options))
        }
    }

    @Test func valuesAreReadByTheirDeclarationsWithTheDefaultsFilledIn() throws {
        let pipeline = try Pipeline(parsing: "prune{method=random,seed=7},bounds-lp{threads=3}")
        let prune = try PassOptionValues(pass: "prune", options: PrunePass.options, given: pipeline.entries[0].options)
        #expect(prune[PrunePass.method] == .random)
        #expect(prune[PrunePass.seed] == 7)
        #expect(prune[PrunePass.scope] == .layer)
        #expect(prune[PrunePass.sparsity] == 0.8)
        let lp = try PassOptionValues(pass: "bounds-lp", options: LPBoundsPass.options, given: pipeline.entries[1].options)
        #expect(lp[LPBoundsPass.threads] == 3)
        #expect(lp[LPBoundsPass.timeout] == 60)
    }

    @Test func valueNamesAndExpectationsComeFromTheValueType() {
        #expect(PrunePass.method.valueName == "magnitude|random")
        #expect(PrunePass.method.expectation == "one of magnitude, random")
        #expect(LPBoundsPass.threads.valueName == "integer")
        #expect(LPBoundsPass.timeout.valueName == "number")
        #expect(LPBoundsPass.timeout.defaultText == "60")
        #expect(PrunePass.sparsity.defaultText == "0.8")
        #expect(PassOption("flag", default: false, "a boolean").parse("maybe") == nil)
        #expect(PassOption("flag", default: false, "a boolean").parse("true") as? Bool == true)
    }
}
