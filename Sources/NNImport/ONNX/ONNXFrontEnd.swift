import NNIR

/// The ONNX front end's entry point.
enum ONNXFrontEnd {
    /// Reads an `.onnx` file into a verified graph.
    static func load(path: String, outputs: [String]) throws -> LoadedModel {
        let model = try ONNXModel(ONNXModelFile(path: path))
        guard model.irVersion >= 3 else {
            throw Diagnostic(.unsupported, file: path, "ONNX IR version \(model.irVersion) is older than 3, which nnmip does not read")
        }
        var importer = ONNXImporter(model: model)
        let graph = try importer.run(requestedOutputs: outputs)
        var properties = [("format", "ONNX"), ("ir_version", String(model.irVersion)), ("opset", String(model.opset))]
        if !model.producer.isEmpty { properties.append(("producer", model.producer)) }
        return LoadedModel(graph: graph, format: "ONNX", properties: properties)
    }
}
