import Foundation
import NNIR

/// One weight array of a layer, with the HDF5 path it came from (for diagnostics).
struct KerasWeight {
    /// Where the array is in the file, e.g. `model_weights/fc1/fc1/kernel:0`.
    let path: String
    /// Its shape as stored.
    let shape: [Int]
    /// Its values in row-major order (Float32 widened to Float64).
    let values: [Double]
}

/// Where a Keras file keeps each layer's weights.
///
/// Keras 2 (full `.h5` and `save_weights` `.h5`): layer `L`'s arrays are
/// `G/L/w` for every name `w` of the attribute `G/L@weight_names`, in order,
/// with `G` = `model_weights` or the root. Keras 3 (`model.weights.h5` in a
/// `.keras` archive, `.weights.h5`): `layers/<group>/vars/0, 1, ...`, where the
/// group is named after the layer's class and position (`dense`, `dense_1`),
/// not its name, so groups are matched by order.
struct KerasWeights {
    private enum Layout {
        case keras2(group: String)
        case keras3(groups: [String: String])
    }

    private let file: HDF5File
    private let layout: Layout

    /// Keras 2 weights under `group` (`model_weights`, or `.` for a weights-only file).
    init(keras2 file: HDF5File, group: String) {
        self.file = file
        layout = .keras2(group: group)
    }

    /// Keras 3 weights, groups named from the config's layers.
    init(keras3 file: HDF5File, model: KerasModelConfig) {
        self.file = file
        layout = .keras3(groups: Self.keras3GroupNames(model))
    }

    /// The arrays of `layer` in Keras's order (e.g. kernel, bias).
    func arrays(of layer: KerasLayerConfig) throws -> [KerasWeight] {
        switch layout {
        case .keras2(let group):
            let layerGroup = group == "." ? layer.name : "\(group)/\(layer.name)"
            guard file.exists(layerGroup) else {
                throw file.error(layerGroup, "no weights group for \(layer.location)")
            }
            let names = try file.stringsAttribute("weight_names", of: layerGroup)
            return try names.map { name in
                let path = "\(layerGroup)/\(name)"
                guard file.exists(path) else { throw file.error(path, "missing: weight '\(name)' of \(layer.location) is listed in weight_names but not stored") }
                let (shape, values) = try file.dataset(path)
                return KerasWeight(path: path, shape: shape, values: values)
            }
        case .keras3(let groups):
            guard let group = groups[layer.name] else { return [] }
            let vars = "layers/\(group)/vars"
            guard file.exists(vars) else { throw file.error(vars, "no weights group for \(layer.location)") }
            if file.hasAttribute("name", of: vars), let stored = try? file.stringAttribute("name", of: vars), stored != layer.name {
                throw file.error(vars, "holds the weights of layer '\(stored)', but the config's layer in this position is '\(layer.name)'")
            }
            var arrays: [KerasWeight] = []
            while file.exists("\(vars)/\(arrays.count)") {
                let path = "\(vars)/\(arrays.count)"
                let (shape, values) = try file.dataset(path)
                arrays.append(KerasWeight(path: path, shape: shape, values: values))
            }
            return arrays
        }
    }

    /// Keras 3's group name of every layer: the class name in snake case, numbered per class in
    /// the order of `model.layers` (a Sequential's InputLayer is not among them).
    private static func keras3GroupNames(_ model: KerasModelConfig) -> [String: String] {
        var counts: [String: Int] = [:]
        var names: [String: String] = [:]
        for layer in model.layers where !(model.isSequential && layer.className == "InputLayer") {
            let base = snakeCase(layer.className)
            let count = counts[base, default: 0]
            names[layer.name] = count == 0 ? base : "\(base)_\(count)"
            counts[base] = count + 1
        }
        return names
    }

    /// Keras's `to_snake_case`: `MaxPooling2D` → `max_pooling2d`, `ReLU` → `re_lu`.
    static func snakeCase(_ name: String) -> String {
        var text = name.filter { $0.isLetter || $0.isNumber || $0 == "_" }
        for (pattern, template) in [("(.)([A-Z][a-z]+)", "$1_$2"), ("([a-z])([A-Z])", "$1_$2")] {
            let regex = try! NSRegularExpression(pattern: pattern)  // constant patterns
            text = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
        }
        return text.lowercased()
    }
}
