import Foundation
import NNIR

/// One layer of a Keras model config: its class, name, settings and the
/// layers whose outputs it reads.
struct KerasLayerConfig {
    /// The Keras class, e.g. `Dense`.
    let className: String
    /// The layer's name (unique in the model).
    let name: String
    /// The layer's `config` object.
    let config: [String: Any]
    /// The layers it reads, in operand order (functional models); empty in a
    /// Sequential model, where each layer reads the one before.
    let inbound: [String]

    /// `class 'Dense' layer 'fc1'` style location for diagnostics.
    var location: String { "layer '\(name)' (\(className))" }
}

/// A Keras model's architecture, read from `model_config` (Keras 2 `.h5`),
/// `config.json` (Keras 3 `.keras`) or the output of `model.to_json()`.
///
/// Both Keras generations are accepted: Keras 2 writes `batch_input_shape`
/// and inbound nodes as `[layer, node, tensor, kwargs]` lists, Keras 3 writes
/// `batch_shape` and nodes as `{"args": [...]}` with `keras_history` tensors.
struct KerasModelConfig {
    /// Whether the model is a `Sequential` (else a functional `Model`).
    let isSequential: Bool
    /// The layers in the config's order (topological in files Keras writes).
    let layers: [KerasLayerConfig]
    /// The names of the input layers, in order.
    let inputs: [String]
    /// The names of the output layers, in order.
    let outputs: [String]

    /// Parses the JSON text; `file` names its source in diagnostics.
    init(json: Data, file: String) throws {
        func fail(_ message: String) -> Diagnostic { Diagnostic(.malformedInput, file: file, location: "model config", message) }
        guard let root = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else {
            throw fail("the Keras model config is not a JSON object")
        }
        guard let className = root["class_name"] as? String, let model = root["config"] as? [String: Any],
              let layerList = model["layers"] as? [[String: Any]] else {
            throw fail("expected {\"class_name\": ..., \"config\": {\"layers\": [...]}} (the output of model.to_json())")
        }
        switch className {
        case "Sequential":
            isSequential = true
        case "Functional", "Model":
            isSequential = false
        default:
            throw Diagnostic(.unsupported, file: file, location: "model config", "a '\(className)' model; nnmip reads Sequential and functional Keras models")
        }
        var layers: [KerasLayerConfig] = []
        for entry in layerList {
            guard let layerClass = entry["class_name"] as? String, let config = entry["config"] as? [String: Any],
                  let name = (entry["name"] as? String) ?? (config["name"] as? String) else {
                throw fail("layer \(layers.count): expected class_name and config with a name")
            }
            if ["Sequential", "Functional", "Model"].contains(layerClass) {
                throw Diagnostic(.unsupported, file: file, location: "layer '\(name)' (\(layerClass))", "nested models are not supported; save the inner model's layers in one model")
            }
            let nodes = entry["inbound_nodes"] as? [Any] ?? []
            if nodes.count > 1 {
                throw Diagnostic(.unsupported, file: file, location: "layer '\(name)' (\(layerClass))", "the layer is called \(nodes.count) times (shared layers are not supported)")
            }
            if layers.contains(where: { $0.name == name }) {
                throw fail("the layer name '\(name)' appears twice")
            }
            layers.append(KerasLayerConfig(className: layerClass, name: name, config: config, inbound: nodes.first.map(Self.inboundLayers) ?? []))
        }
        if isSequential {
            guard let first = layers.first else { throw fail("the Sequential model has no layers") }
            if first.className != "InputLayer" {
                // Keras 2.2-2.3 Sequentials keep the input shape on the first layer; Keras names the input '<layer>_input'.
                guard let shape = first.config["batch_input_shape"] ?? first.config["batch_shape"] else {
                    throw fail("the first layer '\(first.name)' gives no input shape (batch_input_shape)")
                }
                layers.insert(KerasLayerConfig(className: "InputLayer", name: first.name + "_input", config: ["batch_input_shape": shape], inbound: []), at: 0)
            }
            inputs = [layers[0].name]
            outputs = [layers[layers.count - 1].name]
        } else {
            inputs = Self.layerNames(model["input_layers"])
            outputs = Self.layerNames(model["output_layers"])
            guard !inputs.isEmpty, !outputs.isEmpty else { throw fail("the functional model names no input_layers or output_layers") }
        }
        self.layers = layers
    }

    /// The layers a node reads: Keras 2 `[[name, node, tensor, kwargs], ...]` or Keras 3
    /// `{"args": [...]}` with tensors `{"config": {"keras_history": [name, node, tensor]}}` at any depth.
    private static func inboundLayers(_ node: Any) -> [String] {
        if let list = node as? [Any] {
            return list.compactMap { ($0 as? [Any])?.first as? String }
        }
        guard let object = node as? [String: Any] else { return [] }
        var names: [String] = []
        func collect(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                if let config = dictionary["config"] as? [String: Any], let history = config["keras_history"] as? [Any], let name = history.first as? String {
                    names.append(name)
                } else {
                    for key in dictionary.keys.sorted() { collect(dictionary[key]!) }
                }
            } else if let list = value as? [Any] {
                for item in list { collect(item) }
            }
        }
        collect(object["args"] ?? [])
        collect(object["kwargs"] ?? [:])
        return names
    }

    /// `[["in", 0, 0], ...]` (Keras 2, and Keras 3 with several) or `["in", 0, 0]` (Keras 3 with one).
    private static func layerNames(_ value: Any?) -> [String] {
        guard let list = value as? [Any] else { return [] }
        if let name = list.first as? String { return [name] }
        return list.compactMap { ($0 as? [Any])?.first as? String }
    }
}

extension KerasLayerConfig {
    /// An integer list setting (`kernel_size`, `strides`); a bare integer means it for both axes.
    func integers(_ key: String, count: Int, default fallback: [Int]? = nil) throws -> [Int] {
        if let value = config[key] as? Int { return Array(repeating: value, count: count) }
        if let list = config[key] as? [Any], list.count == count, let values = Optional(list.compactMap { $0 as? Int }), values.count == count { return values }
        if config[key] == nil || config[key] is NSNull, let fallback { return fallback }
        throw Diagnostic(.malformedInput, location: location, "'\(key)' should be \(count) integers")
    }

    /// A string setting, or `fallback` when absent or null; anything else (an activation given as
    /// an object, say) is refused rather than read as the default.
    func string(_ key: String, default fallback: String) throws -> String {
        guard let value = config[key], !(value is NSNull) else { return fallback }
        guard let text = value as? String else {
            throw Diagnostic(.unsupported, location: location, "'\(key)' is not a plain name (\(Self.describe(value))); nnmip reads \(key) given as a string")
        }
        return text
    }

    private static func describe(_ value: Any) -> String {
        if let object = value as? [String: Any], let className = object["class_name"] as? String { return "an object of class \(className)" }
        return "\(type(of: value))"
    }

    /// A number setting, or `fallback` when absent or null.
    func number(_ key: String, default fallback: Double) throws -> Double {
        guard let value = try numbers(key) else { return fallback }
        guard value.count == 1 else { throw Diagnostic(.malformedInput, location: location, "'\(key)' should be one number") }
        return value[0]
    }

    /// A number or (nested) list of numbers, flattened, or nil when absent or null. Keras 3 writes
    /// arrays as `{"class_name": "__numpy__", "config": {"value": [...]}}`; that form is read too.
    func numbers(_ key: String) throws -> [Double]? {
        guard let value = config[key], !(value is NSNull) else { return nil }
        var result: [Double] = []
        func collect(_ item: Any) -> Bool {
            if let number = item as? NSNumber { result.append(number.doubleValue); return true }
            if let list = item as? [Any] { return list.allSatisfy(collect) }
            if let object = item as? [String: Any], object["class_name"] as? String == "__numpy__",
               let inner = object["config"] as? [String: Any], let array = inner["value"] { return collect(array) }
            return false
        }
        guard collect(value) else { throw Diagnostic(.malformedInput, location: location, "'\(key)' should be a number or a list of numbers") }
        return result
    }

    /// A positive integer setting (`units`, `filters`).
    func positiveInteger(_ key: String) throws -> Int {
        guard let value = config[key] as? Int, value > 0 else {
            throw Diagnostic(.malformedInput, location: location, config[key] == nil ? "'\(key)' is missing" : "'\(key)' should be a positive integer")
        }
        return value
    }
}
