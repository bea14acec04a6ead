import NNIR
import NNInput

/// The ONNX front end's entry point.
enum ONNXFrontEnd {
    /// The oldest IR version read (the first with `opset_import`).
    static let oldestIRVersion = 3
    /// The oldest opset of the default domain read (the first with today's Dropout, BatchNormalization and Reshape forms).
    static let oldestOpset = 7

    /// Reads an ONNX model into a verified graph.
    ///
    /// IR versions from `oldestIRVersion` and opsets from `oldestOpset` on are read, newer ones than the
    /// tests cover included: every operator is checked by name against the operator table, so a newer
    /// file whose operators are all known loads, and one with an unknown operator is refused naming it.
    /// `finalNormalizationAsLogits`: see `LoadOptions`.
    static func load(_ input: InputFile, outputs: [String], finalNormalizationAsLogits: Bool = false) throws -> LoadedModel {
        let model = try ONNXModel(ONNXModelFile(input))
        let path = input.name
        guard model.irVersion >= oldestIRVersion else {
            throw Diagnostic(.unsupported, file: path, "ONNX IR version \(model.irVersion) is older than \(oldestIRVersion), which nnmip does not read")
        }
        guard model.opset >= oldestOpset else {
            let declared = model.opset == 0 ? "declares no opset for the default domain (ai.onnx)" : "uses opset \(model.opset) of the default domain"
            throw Diagnostic(.unsupported, file: path, "the model \(declared); nnmip reads opsets \(oldestOpset) and newer")
        }
        var importer = ONNXImporter(model: model)
        importer.readsFinalNormalizationAsLogits = finalNormalizationAsLogits
        let graph = try importer.run(requestedOutputs: outputs)
        var properties = [("format", "ONNX"), ("ir_version", String(model.irVersion)), ("opset", String(model.opset))]
        if !model.producer.isEmpty { properties.append(("producer", model.producer)) }
        var loaded = LoadedModel(graph: graph, format: "ONNX", properties: properties)
        loaded.normalizedOutputs = importer.normalizedOutputs
        return loaded
    }
}
