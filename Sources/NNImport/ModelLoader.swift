import Foundation
import NNIR

/// A network read from a model file, with what the file says about itself.
public struct LoadedModel: Sendable {
    /// The network.
    public var graph: Graph
    /// The file format, e.g. "ONNX" or "nnmip IR".
    public var format: String
    /// Facts about the file for `nnmip inspect` (ir_version, opset, producer), in display order.
    public var properties: [(String, String)]
}

/// Options that apply to every front end.
public struct LoadOptions: Sendable {
    /// Tensor (ONNX) or layer (Keras) names to use as outputs instead of the model's own (cuts the graph there).
    public var outputs: [String]
    /// The architecture of a weights-only Keras file (`model.to_json()` or a `.keras` archive's `config.json`).
    public var kerasConfig: String?

    /// Creates options; by default the model's own outputs are used.
    public init(outputs: [String] = [], kerasConfig: String? = nil) {
        self.outputs = outputs
        self.kerasConfig = kerasConfig
    }
}

/// Picks the front end for a file by its extension and loads it.
public enum ModelLoader {
    /// File extensions nnmip reads, with their formats.
    public static let formats: [(extension: String, format: String)] = [("onnx", "ONNX"), ("h5", "Keras HDF5"), ("keras", "Keras 3"), ("nnir", "nnmip IR")]

    /// Loads `path` into a verified graph.
    public static func load(_ path: String, options: LoadOptions = LoadOptions()) throws -> LoadedModel {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if options.kerasConfig != nil && !["h5", "hdf5", "keras"].contains(ext) {
            throw Diagnostic(.usage, file: path, "--keras-config goes with a Keras weights file (.h5)")
        }
        switch ext {
        case "onnx":
            return try ONNXFrontEnd.load(path: path, outputs: options.outputs)
        case "h5", "hdf5", "keras":
            return try KerasFrontEnd.load(path: path, outputs: options.outputs, configPath: options.kerasConfig)
        case "nnir":
            return try loadIR(path, options: options)
        default:
            let known = formats.map { ".\($0.extension) (\($0.format))" }.joined(separator: ", ")
            throw Diagnostic(.usage, file: path, "unknown model format '.\(ext)'; nnmip reads \(known)")
        }
    }

    private static func loadIR(_ path: String, options: LoadOptions) throws -> LoadedModel {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Diagnostic(.io, file: path, "cannot read the file (\((error as NSError).localizedDescription))")
        }
        let graph = try IRParser(fileName: path).parse(text)
        do {
            try Verifier.verify(graph)
        } catch let diagnostic as Diagnostic {
            throw diagnostic.inFile(path)
        }
        if !options.outputs.isEmpty {
            throw Diagnostic(.usage, file: path, "--output applies to model files; edit the IR's output lines instead")
        }
        return LoadedModel(graph: graph, format: "nnmip IR", properties: [])
    }
}
