import Foundation
import NNIR
import NNInput

/// The spec formats `--spec` (and a JSON spec's `vnnlib` key) reads, found from the file's name
/// (after any `.gz`) when it says one, else from the first character that is not white space:
/// `{` starts nnmip's JSON spec, `(` or a `;` comment starts VNN-LIB.
enum SpecFormat {
    /// VNN-LIB (`.vnnlib`), the SMT-LIB subset of VNN-COMP.
    case vnnlib
    /// nnmip's JSON spec (`.json`, `schemas/spec.schema.json`).
    case json

    /// The words a refusal uses when standard input is asked for twice (see `InputFile.read`).
    static let purpose = "the spec"

    /// The format of `input`.
    /// - Throws: `Diagnostic(.malformedInput)` naming the file and what it starts with when
    ///   neither its name nor its content says a format.
    static func of(_ input: InputFile) throws -> SpecFormat {
        switch input.nameExtension {
        case "vnnlib": return .vnnlib
        case "json": return .json
        default: break
        }
        let first = input.bytes.first { !Self.whiteSpace.contains($0) }
        switch first {
        case UInt8(ascii: "{"): return .json
        case UInt8(ascii: "("), UInt8(ascii: ";"): return .vnnlib
        default:
            throw Diagnostic(.malformedInput, file: input.name,
                             "not a spec nnmip reads: \(input.preview); nnmip reads VNN-LIB (.vnnlib) and its JSON spec (.json, see schemas/spec.schema.json), gzipped or not, by the name's extension or else by content")
        }
    }

    /// Space, tab, line ends and the bytes of a UTF-8 byte order mark.
    private static let whiteSpace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF]
}
