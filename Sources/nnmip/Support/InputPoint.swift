import Foundation
import NNMIPKit

/// Reads a JSON input point (eval's layout, see `InputVectors`) from `path`, or
/// from standard input when `path` is `-`, for `graph`.
func readInputPoint(_ path: String, graph: Graph) throws -> [[Double]] {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(.io, file: path, "cannot read the input file")
        }
        data = contents
    }
    return try InputVectors.parse(data, source: path == "-" ? "<stdin>" : path, graph: graph)
}
