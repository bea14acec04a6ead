import Foundation

/// Writes a network back out as a model file: ONNX (`.onnx`) or nnmip IR (`.nnir`).
public enum ModelExport {
    /// The file formats `write` can produce, by extension.
    public static let formats: [(extension: String, format: String)] = [("onnx", "ONNX"), ("nnir", "nnmip IR")]

    /// Writes `graph` to `path` atomically in the format its extension names;
    /// `note` records where the network came from (the ONNX doc_string, or an IR comment).
    public static func write(_ graph: Graph, to path: String, note: String, version: String) throws {
        let out = try OutputFile(path: path)
        try write(graph, to: out, note: note, version: version)
        try out.commit()
    }

    /// Writes `graph` into `out` in the format its path's extension names; the caller commits `out`.
    public static func write(_ graph: Graph, to out: OutputFile, note: String, version: String) throws {
        let path = out.path
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "onnx":
            let description: ONNXModelDescription
            do {
                description = try ONNXExporter.describe(graph, docString: note)
            } catch let diagnostic as Diagnostic {
                throw diagnostic.inFile(path)
            }
            ONNXProtoEncoder.encode(description, producerVersion: version).withUnsafeBytes { out.write($0) }
        case "nnir":
            // The header must stay the first line; the note follows it as a comment.
            let printed = IRPrinter(elideListsLongerThan: nil).print(graph)
            out.write(IRPrinter.header + "\n; \(note)\n" + printed.dropFirst(IRPrinter.header.count + 1))
        default:
            try checkFormat(of: path)
        }
    }

    /// Throws a usage error unless `path`'s extension names a format `write` produces, so that a
    /// command can refuse the name before it does any work.
    public static func checkFormat(of path: String) throws {
        let pathExtension = URL(fileURLWithPath: path).pathExtension.lowercased()
        guard !formats.contains(where: { $0.extension == pathExtension }) else { return }
        let known = formats.map { ".\($0.extension) (\($0.format))" }.joined(separator: " or ")
        throw Diagnostic(.usage, file: path, "cannot tell the output format from the file name; nnmip writes \(known)")
    }
}
