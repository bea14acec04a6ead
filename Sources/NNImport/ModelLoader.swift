import Foundation
import NNIR
import NNInput

/// A network read from a model file, with what the file says about itself.
public struct LoadedModel: Sendable {
    /// The network.
    public var graph: Graph
    /// The file format, e.g. "ONNX" or "nnmip IR".
    public var format: String
    /// Facts about the file for `nnmip inspect` (ir_version, opset, producer), in display order.
    public var properties: [(String, String)]
    /// With `LoadOptions.finalNormalizationAsLogits`: the outputs (by name) whose final Softmax or
    /// LogSoftmax was read as the identity, so that the graph's output holds the logits.
    public var normalizedOutputs: [String: OutputNormalization] = [:]
}

/// Options that apply to every front end.
public struct LoadOptions: Sendable {
    /// Tensor (ONNX) or layer (Keras) names to use as outputs instead of the model's own (cuts the graph there).
    public var outputs: [String]
    /// The architecture of a weights-only Keras file (`model.to_json()` or a `.keras` archive's `config.json`).
    public var kerasConfig: String?
    /// Whether an ONNX Softmax or LogSoftmax over the last axis of a single-row tensor that is a
    /// model output is read as the identity (`LoadedModel.normalizedOutputs` names them), for
    /// `verify`, whose properties compare the outputs' elements.
    public var finalNormalizationAsLogits: Bool

    /// Creates options; by default the model's own outputs are used.
    public init(outputs: [String] = [], kerasConfig: String? = nil, finalNormalizationAsLogits: Bool = false) {
        self.outputs = outputs
        self.kerasConfig = kerasConfig
        self.finalNormalizationAsLogits = finalNormalizationAsLogits
    }
}

/// Reads a model file (`InputFile`: a path, `-`, a pipe, gzipped or not), picks the front end for
/// its format (`ModelFormat`) and loads it.
public enum ModelLoader {
    /// The words a refusal uses when standard input is asked for twice (see `InputFile.read`).
    static let purpose = "the model"

    /// Loads `path` (`-`: standard input) into a verified graph.
    public static func load(_ path: String, options: LoadOptions = LoadOptions()) throws -> LoadedModel {
        let input = try InputFile.read(path, for: purpose)
        let format = try ModelFormat.of(input)
        if options.kerasConfig != nil && format != .keras {
            throw Diagnostic(.usage, file: input.name, "--keras-config goes with a Keras weights file (.h5)")
        }
        switch format {
        case .onnx:
            return try ONNXFrontEnd.load(input, outputs: options.outputs, finalNormalizationAsLogits: options.finalNormalizationAsLogits)
        case .keras:
            return try KerasFrontEnd.load(input, outputs: options.outputs, configPath: options.kerasConfig)
        case .ir:
            return try loadIR(input, options: options)
        }
    }

    private static func loadIR(_ input: InputFile, options: LoadOptions) throws -> LoadedModel {
        let graph = try IRParser(fileName: input.name).parse(try input.text(expected: "nnmip IR text"))
        do {
            try Verifier.verify(graph)
        } catch let diagnostic as Diagnostic {
            throw diagnostic.inFile(input.name)
        }
        if !options.outputs.isEmpty {
            throw Diagnostic(.usage, file: input.name, "--output applies to model files; edit the IR's output lines instead")
        }
        return LoadedModel(graph: graph, format: "nnmip IR", properties: [])
    }
}
