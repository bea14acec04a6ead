import Foundation
import NNMIPKit

/// Reads an input point (eval's JSON layout, see `InputVectors`) for `graph` from `argument`, the
/// value of `option`: a file (gzipped or not), `-` for standard input, or the JSON itself when the
/// value starts with `[` or `{` and no file has that name, as users type it (`--input '[0.5, 1]'`).
func readInputPoint(_ argument: String, graph: Graph, option: String = "--input") throws -> [[Double]] {
    let symbols = SymbolTable(graph: graph)
    if let first = argument.first(where: { !$0.isWhitespace }), first == "[" || first == "{", FileIdentity.of(argument) == nil {
        return try InputVectors.parse(Data(argument.utf8), source: "\(option) (inline JSON)", symbols: symbols)
    }
    return try InputVectors.read(argument, symbols: symbols)
}
