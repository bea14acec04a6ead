import Foundation
import NNIR
import NNInput
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
    /// The first bytes of a zip archive (a local file header), which a `.keras` file is.
    static let zipSignature = Data([0x50, 0x4B, 0x03, 0x04])
    /// The words a refusal uses when standard input is asked for twice (see `InputFile.read`).
    static let configPurpose = "the Keras config"

    /// Loads the model in `input`, cut at the layers named in `outputs` when there are any.
    static func load(_ input: InputFile, outputs: [String], configPath: String?) throws -> LoadedModel {
        let path = input.name
        if input.bytes.starts(with: zipSignature) {
            if configPath != nil { throw Diagnostic(.usage, file: path, "a .keras archive holds its own config.json; --keras-config is for weights-only files") }
            return try loadArchive(input, outputs: outputs)
        }
        guard HDF5File.hasSignature(input.bytes) else {
            throw Diagnostic(.malformedInput, file: path, "not an HDF5 file (a Keras .h5 file is HDF5; a .keras file is a zip archive): \(input.preview)")
        }
        let file = try HDF5File(image: input.bytes, path: path)
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
        let json = try InputFile.read(configPath, for: configPurpose)
        let config = try KerasModelConfig(json: json.bytes, file: json.name)
        let weights = keras3 ? KerasWeights(keras3: file, model: config) : KerasWeights(keras2: file, group: ".")
        return try build(path: path, model: config, weights: weights, outputs: outputs,
                         format: keras3 ? "Keras 3 weights + config" : "Keras 2 weights + config", properties: properties)
    }

    /// A `.keras` zip archive: `config.json` and `model.weights.h5` read in memory (ZIPFoundation).
    private static func loadArchive(_ input: InputFile, outputs: [String]) throws -> LoadedModel {
        let path = input.name
        let archive: Archive
        do {
            archive = try Archive(data: input.bytes, accessMode: .read)
        } catch {
            throw Diagnostic(.malformedInput, file: path, "not a readable zip archive (is the .keras file truncated?)")
        }
        func member(_ name: String) throws -> Data {
            guard let entry = archive[name] else {
                throw Diagnostic(.malformedInput, file: path, location: "archive member '\(name)'", "missing: a .keras archive holds config.json and model.weights.h5")
            }
            let place = "archive member '\(name)'"
            // A member larger than any other input nnmip reads is refused, whatever its header claims.
            let tooLarge = Diagnostic(.io, file: path, location: place, "cannot read the member: it inflates to more than \(InputFile.describe(bytes: InputFile.sizeLimit)), the most nnmip reads from one file")
            guard entry.uncompressedSize <= UInt64(InputFile.sizeLimit) else { throw tooLarge }
            var data = Data()
            do {
                _ = try archive.extract(entry) { chunk in
                    guard data.count + chunk.count <= InputFile.sizeLimit else { throw tooLarge }
                    data.append(chunk)
                }
            } catch let diagnostic as Diagnostic {
                throw diagnostic
            } catch {
                throw Diagnostic(.malformedInput, file: path, location: place, "cannot be extracted (the archive is damaged or truncated)")
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
