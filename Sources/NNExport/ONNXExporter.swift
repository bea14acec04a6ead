import NNIR

/// Translates an IR graph into ONNX operators (opset 13, float32), so that a
/// network nnmip has rewritten (pruned, for instance) can be used by other tools.
///
/// Each IR operation maps to one ONNX operator, with a `Reshape` around it
/// where ONNX wants a different rank (`Gemm` takes `[1, n]`, `Conv` and the
/// pools take `[1, C, H, W]`). Weights are written densely as float32: a model
/// read from a float32 file and pruned keeps every weight exactly; values the
/// passes computed in Float64 (folded normalizations) are rounded to float32.
public struct ONNXExporter {
    /// The operator set the exported nodes use.
    public static let opsetVersion = 13
    /// The ONNX IR version of files with opset 13.
    public static let irVersion = 7

    private let graph: Graph
    private var names = UniqueNames()
    private var nodeNames = UniqueNames()
    private var valueNames: [String] = []
    private var description: ONNXModelDescription

    /// Translates `graph`; `docString` says where the model came from.
    public static func describe(_ graph: Graph, docString: String) throws -> ONNXModelDescription {
        var exporter = ONNXExporter(graph: graph, docString: docString)
        try exporter.translate()
        return exporter.description
    }

    private init(graph: Graph, docString: String) {
        self.graph = graph
        description = ONNXModelDescription(opsetVersion: Self.opsetVersion, irVersion: Self.irVersion, graphName: "nnmip",
                                           docString: docString, inputs: [], outputs: [], initializers: [], nodes: [])
    }

    private mutating func translate() throws {
        // Inputs and outputs keep their names; every other value gets a fresh one.
        for value in graph.inputs { names.reserve(graph.inputName(value)!) }
        // Every output name is claimed before any generated name, so none can collide with one.
        var outputNameOfValue: [Int: String] = [:]
        for output in graph.outputs {
            guard names.reserve(output.name) else {
                throw Diagnostic(.unsupported, location: "output '\(output.name)'", "ONNX needs distinct tensor names, and this output's name is used twice (or is an input's)")
            }
            if graph.inputName(output.value) == nil, outputNameOfValue[output.value.index] == nil { outputNameOfValue[output.value.index] = output.name }
        }
        for (index, node) in graph.nodes.enumerated() {
            if case .input(let name) = node.operation {
                valueNames.append(name)
                description.inputs.append(.init(name: name, dims: node.shape))
                continue
            }
            let name = outputNameOfValue[index] ?? names.fresh("v\(index)")
            valueNames.append(name)
            try emit(node, index: index, as: name)
        }
        for output in graph.outputs {
            let valueName = valueNames[output.value.index]
            if valueName != output.name {
                addNode("Identity", [valueName], output.name, location: "output \(output.name)")
            }
            description.outputs.append(.init(name: output.name, dims: graph[output.value].shape))
        }
    }

    // MARK: Operations

    private mutating func emit(_ node: Node, index: Int, as name: String) throws {
        let location = node.location ?? "%\(index)"
        let operands = node.operands.map { valueNames[$0.index] }
        let operandShapes = node.operands.map { graph[$0].shape }
        switch node.operation {
        case .input:
            break
        case .affine(let affine):
            let rows = affine.weights.rows, columns = affine.weights.columns
            let x = reshaped(operands[0], from: operandShapes[0], to: [1, columns], location: location)
            let w = constant("\(name)_weight", dims: [rows, columns], .float32(Self.denseValues(affine.weights)))
            let b = constant("\(name)_bias", dims: [rows], .float32(affine.bias.map(Float.init)))
            let product = node.shape == [1, rows] ? name : names.fresh("\(name)_gemm")
            addNode("Gemm", [x, w, b], product, location: location, [("transB", .int(1))])
            if product != name { reshape(product, to: node.shape, as: name, location: location) }
        case .convolution(let conv):
            let window = conv.window
            let x = reshaped(operands[0], from: operandShapes[0], to: Self.batched(operandShapes[0]), location: location)
            let inPerGroup = conv.weights.count / max(1, conv.outChannels * window.kernel[0] * window.kernel[1])
            let w = constant("\(name)_weight", dims: [conv.outChannels, inPerGroup] + window.kernel, .float32(conv.weights.map(Float.init)))
            let b = constant("\(name)_bias", dims: [conv.outChannels], .float32(conv.bias.map(Float.init)))
            let attributes: [(String, ONNXModelDescription.Attribute)] = [
                ("kernel_shape", .ints(window.kernel)), ("strides", .ints(window.strides)), ("pads", .ints(window.pads)),
                ("dilations", .ints(window.dilations)), ("group", .int(conv.groups)),
            ]
            spatial("Conv", [x, w, b], node: node, as: name, location: location, attributes)
        case .maxPool(let pooling):
            let x = reshaped(operands[0], from: operandShapes[0], to: Self.batched(operandShapes[0]), location: location)
            var attributes = poolingAttributes(pooling.window, input: operandShapes[0], output: node.shape)
            attributes.append(("dilations", .ints(pooling.window.dilations)))
            spatial("MaxPool", [x], node: node, as: name, location: location, attributes)
        case .averagePool(let pooling, let countIncludePad):
            guard pooling.window.dilations.allSatisfy({ $0 == 1 }) else {
                throw Diagnostic(.unsupported, location: location, "dilated average pooling needs ONNX opset 19; nnmip writes opset \(Self.opsetVersion)")
            }
            let x = reshaped(operands[0], from: operandShapes[0], to: Self.batched(operandShapes[0]), location: location)
            var attributes = poolingAttributes(pooling.window, input: operandShapes[0], output: node.shape)
            attributes.append(("count_include_pad", .int(countIncludePad ? 1 : 0)))
            spatial("AveragePool", [x], node: node, as: name, location: location, attributes)
        case .relu:
            addNode("Relu", [operands[0]], name, location: location)
        case .leakyRelu(let alpha):
            addNode("LeakyRelu", [operands[0]], name, location: location, [("alpha", .float(Float(alpha)))])
        case .smooth(let function):
            try smooth(function, operands[0], as: name, location: location)
        case .band:
            throw Diagnostic(.unsupported, location: location, "an enclosure band is a relation between values, not a function; ONNX cannot hold it")
        case .scaleShift(let scale, let shift):
            var current = reshaped(operands[0], from: operandShapes[0], to: node.shape, location: location)
            let hasShift = shift.contains { $0 != 0 }
            if scale.contains(where: { $0 != 1 }) || !hasShift {
                let s = constant("\(name)_scale", dims: node.shape, .float32(scale.map(Float.init)))
                let product = hasShift ? names.fresh("\(name)_scaled") : name
                addNode("Mul", [current, s], product, location: location)
                current = product
            }
            if hasShift {
                let t = constant("\(name)_shift", dims: node.shape, .float32(shift.map(Float.init)))
                addNode("Add", [current, t], name, location: location)
            }
        case .reshape:
            reshape(operands[0], to: node.shape, as: name, location: location)
        case .gather(let indices):
            let count = Shape.count(operandShapes[0])
            var data = reshaped(operands[0], from: operandShapes[0], to: [count], location: location)
            if indices.contains(-1) {
                // ONNX's Gather has no "zero here": pad one zero at the end and point the gaps at it.
                let pads = constant("\(name)_pads", dims: [2], .int64([0, 1]))
                let padded = names.fresh("\(name)_padded")
                addNode("Pad", [data, pads], padded, location: location)
                data = padded
            }
            let table = constant("\(name)_indices", dims: node.shape, .int64(indices.map { Int64($0 == -1 ? count : $0) }))
            addNode("Gather", [data, table], name, location: location, [("axis", .int(0))])
        case .add:
            let a = reshaped(operands[0], from: operandShapes[0], to: node.shape, location: location)
            let b = reshaped(operands[1], from: operandShapes[1], to: node.shape, location: location)
            addNode("Add", [a, b], name, location: location)
        }
    }

    /// A spatial operator on `[1, C, H, W]`, reshaped back when the IR value has no batch axis.
    private mutating func spatial(_ opType: String, _ inputs: [String], node: Node, as name: String, location: String,
                                  _ attributes: [(String, ONNXModelDescription.Attribute)]) {
        let batchedShape = Self.batched(node.shape)
        let result = batchedShape == node.shape ? name : names.fresh("\(name)_batched")
        addNode(opType, inputs, result, location: location, attributes)
        if result != name { reshape(result, to: node.shape, as: name, location: location) }
    }

    /// Kernel, strides, pads and, where the IR's output is one window longer than flooring gives, ceil mode.
    private func poolingAttributes(_ window: Window2D, input: [Int], output: [Int]) -> [(String, ONNXModelDescription.Attribute)] {
        var attributes: [(String, ONNXModelDescription.Attribute)] = [
            ("kernel_shape", .ints(window.kernel)), ("strides", .ints(window.strides)), ("pads", .ints(window.pads)),
        ]
        let spatialIn = Array(input.suffix(2)), spatialOut = Array(output.suffix(2))
        let floored = (0..<2).map { window.outputSize(axis: $0, inputSize: spatialIn[$0]) }
        if floored != spatialOut.map(Optional.some) { attributes.append(("ceil_mode", .int(1))) }
        return attributes
    }

    // MARK: Building blocks

    /// `[1, C, H, W]` for a `[C, H, W]` shape; 4-D shapes unchanged.
    private static func batched(_ shape: [Int]) -> [Int] { shape.count == 3 ? [1] + shape : shape }

    private static func denseValues(_ weights: WeightMatrix) -> [Float] {
        switch weights {
        case .dense(_, _, let values):
            return values.map(Float.init)
        case .sparse(let m):
            var values = [Float](repeating: 0, count: m.rows * m.columns)
            for r in 0..<m.rows {
                for k in m.rowStart[r]..<m.rowStart[r + 1] { values[r * m.columns + m.columnIndex[k]] = Float(m.values[k]) }
            }
            return values
        }
    }

    /// A smooth activation as opset-13 operators: SiLU as `x · Sigmoid(x)` and
    /// HardSwish as `x · HardSigmoid(x)`, the forms PyTorch writes and the importer reads.
    private mutating func smooth(_ function: SmoothFunction, _ x: String, as name: String, location: String) throws {
        switch function {
        case .sigmoid: addNode("Sigmoid", [x], name, location: location)
        case .tanh: addNode("Tanh", [x], name, location: location)
        case .softplus: addNode("Softplus", [x], name, location: location)
        case .elu(let alpha): addNode("Elu", [x], name, location: location, [("alpha", .float(Float(alpha)))])
        case .selu(let alpha, let gamma):
            addNode("Selu", [x], name, location: location, [("alpha", .float(Float(alpha))), ("gamma", .float(Float(gamma)))])
        case .silu:
            let gate = names.fresh("\(name)_sigmoid")
            addNode("Sigmoid", [x], gate, location: location)
            addNode("Mul", [x, gate], name, location: location)
        case .hardSwish:
            let gate = names.fresh("\(name)_gate")
            addNode("HardSigmoid", [x], gate, location: location, [("alpha", .float(Float(1.0 / 6))), ("beta", .float(0.5))])
            addNode("Mul", [x, gate], name, location: location)
        case .gelu:
            throw Diagnostic(.unsupported, location: location, "writing GELU needs ONNX opset 20 (Gelu); nnmip writes opset \(Self.opsetVersion)")
        }
    }

    private mutating func addNode(_ opType: String, _ inputs: [String], _ output: String, location: String,
                                  _ attributes: [(String, ONNXModelDescription.Attribute)] = []) {
        let name = nodeNames.fresh(location)
        description.nodes.append(.init(opType: opType, inputs: inputs, outputs: [output], name: name, attributes: attributes))
    }

    private mutating func constant(_ base: String, dims: [Int], _ payload: ONNXModelDescription.Tensor.Payload) -> String {
        let name = names.fresh(base)
        description.initializers.append(.init(name: name, dims: dims, payload: payload))
        return name
    }

    private mutating func reshape(_ value: String, to shape: [Int], as name: String, location: String) {
        let target = constant("\(name)_shape", dims: [shape.count], .int64(shape.map(Int64.init)))
        addNode("Reshape", [value, target], name, location: location)
    }

    /// `value` itself when it already has `shape`, else a new reshaped value.
    private mutating func reshaped(_ value: String, from current: [Int], to shape: [Int], location: String) -> String {
        if current == shape { return value }
        let name = names.fresh("\(value)_as\(shape.map(String.init).joined(separator: "x"))")
        reshape(value, to: shape, as: name, location: location)
        return name
    }
}

/// Tensor names that are unique in one ONNX graph.
private struct UniqueNames {
    private var used: Set<String> = []

    /// Claims `name`; false when it was already taken.
    @discardableResult
    mutating func reserve(_ name: String) -> Bool { used.insert(name).inserted }

    /// `base`, or `base_2`, `base_3`, ... whichever is free first; claimed.
    mutating func fresh(_ base: String) -> String {
        if reserve(base) { return base }
        var counter = 2
        while !reserve("\(base)_\(counter)") { counter += 1 }
        return "\(base)_\(counter)"
    }
}
