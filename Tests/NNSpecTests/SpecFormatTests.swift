import Foundation
import NNIR
@testable import NNSpec
import TestSupport
import Testing

/// A spec's format comes from its name (after any `.gz`) or else its content, and a gzipped spec
/// reads as the plain one (issue 14, section 5; VNN-COMP ships `.vnnlib.gz` since 2023).
@Suite struct SpecFormatTests {
    let symbols = SymbolTable(graph: twoOutputGraph())
    let vnnlib = """
        ; a property
        (declare-const X_0 Real)
        (assert (>= X_0 -0.5))
        (assert (<= X_0 0.5))
        (assert (<= Y_0 Y_1))
        """
    let json = #"{"input_box": [-1, 1], "maximize": "y0 - y1"}"#

    private func spec(_ path: String) throws -> Spec {
        var builder = SpecBuilder(symbols: symbols)
        try builder.addSpecFile(path: path)
        return builder.finish()
    }

    @Test func aSpecReadsTheSameWhateverItsNameAndCompression() throws {
        let folder = try ScratchFolder("spec-format")
        for (text, ext) in [(vnnlib, "vnnlib"), (json, "json")] {
            let named = try spec(try folder.write(Data(text.utf8), to: "p.\(ext)"))
            for name in ["p", "p.txt", "p.\(ext).gz", "p.gz"] {
                let path = name.hasSuffix(".gz") ? try folder.writeGzipped(Data(text.utf8), to: name) : try folder.write(Data(text.utf8), to: name)
                let read = try spec(path)
                #expect(read.inputBounds == named.inputBounds, "\(name)")
                #expect(read.constraints.count == named.constraints.count && (read.objective == nil) == (named.objective == nil), "\(name)")
            }
        }
    }

    @Test func contentThatIsNoSpecIsNamed() throws {
        let folder = try ScratchFolder("spec-format")
        let path = try folder.write(Data("lower,upper\n0,1\n".utf8), to: "p")
        let error = #expect(throws: Diagnostic.self) { try spec(path) }
        #expect(error?.kind == .malformedInput && error?.file == path, "\(String(describing: error))")
        #expect(error?.message.contains(#"not a spec nnmip reads: it starts with the text "lower,upper""#) == true, "\(String(describing: error))")
    }
}
