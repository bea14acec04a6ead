import Foundation

/// Writes a network back out as a model file: ONNX (`.onnx`) or nnmip IR (`.nnir`).
public enum ModelExport {
    /// The file formats `write` can produce, by extension.
    public static let formats: [(extension: String, format: String)] = [("onnx", "ONNX"), ("nnir", "nnmip IR")]

    /// Writes `graph` to `path` atomically in the format its extension names;
    /// `note` records where the network came from (the ONNX doc_string, or an IR comment).
    public static func write(_ graph: Graph, to path: String, note: String, version: String) throws {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "onnx":
            let description: ONNXModelDescription
            do {
                description = try ONNXExporter.describe(graph, docString: note)
            } catch let diagnostic as Diagnostic {
                throw diagnostic.inFile(path)
            }
            try AtomicFile.write(bytes: ONNXProtoEncoder.encode(description, producerVersion: version), to: path)
        case "nnir":
            // The header must stay the first line; the note follows it as a comment.
            let printed = IRPrinter(elideListsLongerThan: nil).print(graph)
            try AtomicFile.write(IRPrinter.header + "\n; \(note)\n" + printed.dropFirst(IRPrinter.header.count + 1), to: path)
        default:
            let known = formats.map { ".\($0.extension) (\($0.format))" }.joined(separator: " or ")
            throw Diagnostic(.usage, file: path, "cannot tell the output format from the file name; nnmip writes \(known)")
        }
    }
}
