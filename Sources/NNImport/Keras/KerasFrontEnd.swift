import Foundation
import NNIR
import ZIPFoundation

/// The Keras front end: reads `.h5` and `.keras` files into the IR.
///
/// The file's content decides its form, not its name:
/// - a zip archive is a Keras 3 `.keras` file (`config.json` + `model.weights.h5`);
/// - HDF5 with a root `model_config` attribute is a Keras 2 full model (weights under `model_weights`);
/// - HDF5 with a root `layer_names` attribute is a Keras 2 `save_weights` file,
///   and HDF5 with `layers/` and `vars/` groups a Keras 3 `.weights.h5` file:
///   both need the architecture from `configPath` (`model.to_json()` or a `config.json`).
enum KerasFrontEnd {
    /// Loads the model in `path`, cut at the layers named in `outputs` when there are any.
    static func load(path: String, outputs: [String], configPath: String?) throws -> LoadedModel {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw Diagnostic(.io, file: path, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "cannot read the file (no such file)")
        }
        let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 4)) ?? Data()
        if head == Data([0x50, 0x4B, 0x03, 0x04]) {
            if configPath != nil { throw Diagnostic(.usage, file: path, "a .keras archive holds its own config.json; --keras-config is for weights-only files") }
            return try loadArchive(path: path, outputs: outputs)
        }
        let file = try HDF5File(path: path)
        var properties: [(String, String)] = []
        for key in ["keras_version", "backend"] where file.hasAttribute(key, of: ".") {
            if let value = try? file.stringAttribute(key, of: ".") { properties.append((key, value)) }
        }
        if file.hasAttribute("model_config", of: ".") {
            if configPath != nil { throw Diagnostic(.usage, file: path, "the file holds its own model_config; --keras-config is for weights-only files") }
            let config = try KerasModelConfig(json: Data(try file.stringAttribute("model_config", of: ".").utf8), file: path)
            guard file.exists("model_weights") else { throw file.error("model_weights", "the group is missing: the file has a model_config but no weights") }
            return try build(path: path, model: config, weights: KerasWeights(keras2: file, group: "model_weights"), outputs: outputs,
                             format: "Keras 2 HDF5 model", properties: properties)
        }
        let keras3 = file.exists("layers") && file.exists("vars")
        guard keras3 || file.hasAttribute("layer_names", of: ".") else {
            throw Diagnostic(.malformedInput, file: path, location: "HDF5 path '/'",
                             "not a Keras file: no model_config or layer_names attribute and no layers/ group")
        }
        guard let configPath else {
            throw Diagnostic(.usage, file: path, "a weights-only Keras file, which holds no architecture.",
                             hint: OptionHint(option: "--keras-config", "Give it with --keras-config model.json (the output of model.to_json(), or a .keras archive's config.json)."))
        }
        let json: Data
        do {
            json = try Data(contentsOf: URL(fileURLWithPath: configPath))
        } catch {
            throw Diagnostic(.io, file: configPath, "cannot read the Keras config")
        }
        let config = try KerasModelConfig(json: json, file: configPath)
        let weights = keras3 ? KerasWeights(keras3: file, model: config) : KerasWeights(keras2: file, group: ".")
        return try build(path: path, model: config, weights: weights, outputs: outputs,
                         format: keras3 ? "Keras 3 weights + config" : "Keras 2 weights + config", properties: properties)
    }

    /// A `.keras` zip archive: `config.json` and `model.weights.h5` read in memory (ZIPFoundation).
    private static func loadArchive(path: String, outputs: [String]) throws -> LoadedModel {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw Diagnostic(.malformedInput, file: path, "not a readable zip archive (is the .keras file truncated?)")
        }
        func member(_ name: String) throws -> Data {
            guard let entry = archive[name] else {
                throw Diagnostic(.malformedInput, file: path, location: "archive member '\(name)'", "missing: a .keras archive holds config.json and model.weights.h5")
            }
            var data = Data()
            do {
                _ = try archive.extract(entry) { data.append($0) }
            } catch {
                throw Diagnostic(.malformedInput, file: path, location: "archive member '\(name)'", "cannot be extracted (\(error))")
            }
            return data
        }
        let config = try KerasModelConfig(json: try member("config.json"), file: path + ":config.json")
        let weightsFile = try HDF5File(image: try member("model.weights.h5"), path: path + ":model.weights.h5")
        var properties: [(String, String)] = []
        if archive["metadata.json"] != nil, let metadata = try? JSONSerialization.jsonObject(with: try member("metadata.json")) as? [String: Any],
           let version = metadata["keras_version"] as? String {
            properties.append(("keras_version", version))
        }
        return try build(path: path, model: config, weights: KerasWeights(keras3: weightsFile, model: config), outputs: outputs,
                         format: "Keras 3 archive", properties: properties)
    }

    private static func build(path: String, model: KerasModelConfig, weights: KerasWeights, outputs: [String],
                              format: String, properties: [(String, String)]) throws -> LoadedModel {
        var importer = KerasImporter(file: path, model: model, weights: weights, outputs: outputs)
        let graph = try importer.build()
        do {
            try Verifier.verify(graph)
        } catch let diagnostic as Diagnostic {
            throw diagnostic.inFile(path)
        }
        return LoadedModel(graph: graph, format: format, properties: [("format", format)] + properties + [("architecture", model.isSequential ? "Sequential" : "functional")])
    }
}
