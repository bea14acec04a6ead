import Foundation
import NNIR

/// Builds the IR of a Keras model from its config and weights.
///
/// Every value is kept in Keras's own layout (batch first, then the layer's
/// shape as Keras reports it), so Flatten, Reshape, Dense and the outputs see
/// elements in Keras's order; spatial layers on channels_last tensors are
/// wrapped in transposes to the IR's `[1, C, H, W]` and back (index maps,
/// which cost nothing in the MILP and which canonicalize composes).
struct KerasImporter {
    let file: String
    let model: KerasModelConfig
    let weights: KerasWeights
    /// Layer names the user asked for as outputs (`--output`); empty for the model's own.
    let requestedOutputs: [String]

    var graph = Graph()
    /// Each built layer's value and Keras shape (without the batch axis).
    var values: [String: (value: ValueID, shape: [Int])] = [:]

    init(file: String, model: KerasModelConfig, weights: KerasWeights, outputs: [String]) {
        self.file = file
        self.model = model
        self.weights = weights
        requestedOutputs = outputs
    }

    /// The graph of the model, cut at the requested outputs if any.
    mutating func build() throws -> Graph {
        let byName = Dictionary(model.layers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for name in requestedOutputs where byName[name] == nil {
            throw Diagnostic(.usage, file: file, "--output '\(name)': no layer has that name; the layers are \(model.layers.map(\.name).joined(separator: ", "))")
        }
        let outputs = requestedOutputs.isEmpty ? model.outputs : requestedOutputs
        let needed = neededLayers(for: outputs)
        // The inputs first, in the model's input order (the config lists layers by depth).
        for name in model.inputs {
            guard let layer = byName[name], layer.className == "InputLayer" else {
                throw Diagnostic(.malformedInput, file: file, location: "model config", "the input '\(name)' is not an InputLayer of the model")
            }
            values[name] = try inFile(layer) { try $0.buildLayer(layer, [], cutHere: false) }
        }
        for (index, layer) in model.layers.enumerated() where needed.contains(layer.name) && values[layer.name] == nil {
            let operands: [(value: ValueID, shape: [Int])]
            if layer.className == "InputLayer" {
                throw Diagnostic(.malformedInput, file: file, location: layer.location, "an InputLayer that is not among the model's input_layers")
            } else if model.isSequential {
                let previous = model.layers[index - 1].name
                operands = [try operandValue(previous, of: layer)]
            } else {
                operands = try layer.inbound.map { try operandValue($0, of: layer) }
            }
            let cutHere = requestedOutputs.contains(layer.name)
            values[layer.name] = try inFile(layer) { try $0.buildLayer(layer, operands, cutHere: cutHere) }
        }
        for name in outputs {
            guard let output = values[name] else { throw Diagnostic(.malformedInput, file: file, location: "model config", "the output layer '\(name)' is not among the layers") }
            graph.outputs.append(GraphOutput(name: name, value: output.value))
        }
        return graph
    }

    /// Runs `body`, giving its diagnostics this file and (when they name no place) the layer.
    private mutating func inFile<T>(_ layer: KerasLayerConfig, _ body: (inout KerasImporter) throws -> T) throws -> T {
        do {
            return try body(&self)
        } catch let diagnostic as Diagnostic {
            throw diagnostic.file == nil ? diagnostic.inFile(file).atLocation(diagnostic.location ?? layer.location) : diagnostic
        }
    }

    private func operandValue(_ name: String, of layer: KerasLayerConfig) throws -> (value: ValueID, shape: [Int]) {
        guard let operand = values[name] else {
            let known = model.layers.contains { $0.name == name }
            throw Diagnostic(.malformedInput, file: file, location: layer.location,
                             known ? "reads layer '\(name)', which does not come before it" : "reads '\(name)', but no layer has that name")
        }
        return operand
    }

    /// The layers the outputs depend on (all of them for a Sequential model cut at its end).
    private func neededLayers(for outputs: [String]) -> Set<String> {
        var needed: Set<String> = []
        var stack = outputs
        let index = Dictionary(model.layers.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        while let name = stack.popLast() {
            guard needed.insert(name).inserted, let position = index[name] else { continue }
            let layer = model.layers[position]
            if model.isSequential {
                if position > 0 { stack.append(model.layers[position - 1].name) }
            } else {
                stack += layer.inbound
            }
        }
        return needed
    }

    // MARK: Building blocks

    /// Appends a node whose IR shape is the batch axis plus `shape`.
    mutating func append(_ operation: NNIR.Operation, _ operands: [ValueID], shape: [Int], _ layer: KerasLayerConfig) -> ValueID {
        graph.append(Node(operation: operation, operands: operands, shape: [1] + shape, location: layer.name))
    }

    /// The largest tensor a layer may produce (2^28 elements): sizes come from the file.
    static let elementLimit = 1 << 28

    /// `shape` if its element count is within `elementLimit`, else an error naming the layer.
    func checked(_ shape: [Int], _ layer: KerasLayerConfig) throws -> [Int] {
        guard shape.allSatisfy({ $0 > 0 }), Shape.elementCount(shape, limit: Self.elementLimit) != nil else {
            throw Diagnostic(.malformedInput, location: layer.location, "the output shape \(shape) is empty or larger than \(Self.elementLimit) elements")
        }
        return shape
    }

    /// `value` with the element order given by `indices` (`-1` for zero), as a node of `shape`.
    mutating func gather(_ value: ValueID, _ indices: [Int], shape: [Int], _ layer: KerasLayerConfig) -> ValueID {
        append(.gather(indices: indices), [value], shape: shape, layer)
    }

    /// The arrays of `layer`, checked to be `expected` in count (a range for optional ones).
    func arrays(of layer: KerasLayerConfig, count expected: Int) throws -> [KerasWeight] {
        let arrays = try weights.arrays(of: layer)
        guard arrays.count == expected else {
            throw Diagnostic(.malformedInput, file: file, location: layer.location,
                             "expected \(expected) weight arrays, found \(arrays.count)\(arrays.first.map { " (first: '\($0.path)')" } ?? "")")
        }
        return arrays
    }

    /// Checks that a weight array has `shape`, naming its HDF5 path if not.
    func require(_ weight: KerasWeight, shape: [Int], _ layer: KerasLayerConfig, _ what: String) throws {
        guard weight.shape == shape else {
            throw Diagnostic(.malformedInput, file: file, location: "HDF5 path '\(weight.path)'",
                             "the \(what) of \(layer.location) has shape \(weight.shape), but the config implies \(shape)")
        }
    }

    /// The negative slope of a `LeakyReLU` layer that gives none: Keras 2's default
    /// `alpha` and Keras 3's default `negative_slope`.
    static let leakyReLULayerDefaultSlope = 0.3

    /// The negative slope of the `leaky_relu` activation (Keras 3's `keras.activations.leaky_relu`,
    /// whose `negative_slope` defaults to 0.2; a string activation cannot give another).
    static let leakyReLUActivationSlope = 0.2

    /// Keras's smooth activations by name (tf-keras and Keras 3 spellings), with Keras's parameters.
    static let smoothActivations: [String: SmoothFunction] = [
        "sigmoid": .sigmoid, "tanh": .tanh, "softplus": .softplus, "swish": .silu, "silu": .silu,
        "gelu": .gelu(tanhApproximation: false), "elu": .elu(alpha: 1),
        "selu": .selu(alpha: SmoothFunction.seluAlpha, gamma: SmoothFunction.seluGamma),
        "hard_swish": .hardSwish, "hard_silu": .hardSwish,
    ]

    /// The fused activation of Dense and Conv2D (and the Activation layer), applied to `value`.
    mutating func activation(_ name: String, on value: ValueID, shape: [Int], _ layer: KerasLayerConfig, cutHere: Bool) throws -> ValueID {
        switch name {
        case "linear":
            return value
        case "relu":
            return append(.relu, [value], shape: shape, layer)
        case "relu6":
            return rectified(value, slope: 0, top: 6, layer)
        case "leaky_relu":
            return append(.leakyRelu(alpha: Self.leakyReLUActivationSlope), [value], shape: shape, layer)
        default:
            // With --output naming this layer, its value before the activation (the logits) is the output.
            if cutHere { return value }
            if let function = Self.smoothActivations[name] { return append(.smooth(function), [value], shape: shape, layer) }
            throw Diagnostic(.unsupported, file: file, location: layer.location,
                             "activation '\(name)' is neither piecewise linear nor a smooth activation nnmip approximates, so it has no MILP form.",
                             hint: OptionHint(option: "--output", "Cut the network there with --output \(layer.name) (its value before the activation)."))
        }
    }
}

extension Diagnostic {
    /// The same diagnostic at another location.
    func atLocation(_ location: String) -> Diagnostic {
        Diagnostic(kind, file: file, location: location, message)
    }
}
