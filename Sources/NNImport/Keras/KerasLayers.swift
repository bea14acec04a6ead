import Foundation
import NNIR

/// The Keras layers nnmip reads, each translated to IR operations.
extension KerasImporter {
    /// Builds `layer` on its operands; returns its value and Keras shape.
    mutating func buildLayer(_ layer: KerasLayerConfig, _ operands: [(value: ValueID, shape: [Int])], cutHere: Bool) throws -> (value: ValueID, shape: [Int]) {
        let expectedOperands = ["InputLayer": 0, "Add": -1, "Concatenate": -1, "Maximum": -1, "Minimum": -1, "Average": -1,
                                "Subtract": -1, "Multiply": -1][layer.className] ?? 1
        if expectedOperands >= 0, operands.count != expectedOperands {
            throw Diagnostic(.malformedInput, location: layer.location, "expected \(expectedOperands) input(s), the config gives \(operands.count)")
        }
        if expectedOperands < 0, operands.count < 2 {
            throw Diagnostic(.malformedInput, location: layer.location, "expected at least 2 inputs, the config gives \(operands.count)")
        }
        let x = operands.first
        switch layer.className {
        case "InputLayer":
            return try input(layer)
        case "Dense":
            return try dense(layer, x!, cutHere: cutHere)
        case "Conv2D", "Convolution2D", "Conv1D", "Convolution1D":
            return try convolution(layer, x!, cutHere: cutHere)
        case "MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D", "MaxPooling1D", "MaxPool1D", "AveragePooling1D", "AvgPool1D":
            return try pooling(layer, x!)
        case "GlobalMaxPooling2D", "GlobalMaxPool2D", "GlobalAveragePooling2D", "GlobalAvgPool2D",
             "GlobalMaxPooling1D", "GlobalMaxPool1D", "GlobalAveragePooling1D", "GlobalAvgPool1D":
            return try globalPooling(layer, x!)
        case "ZeroPadding2D":
            return try zeroPadding(layer, x!)
        case "Flatten":
            return try flatten(layer, x!)
        case "Reshape":
            return try reshape(layer, x!)
        case "Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "GaussianDropout", "ActivityRegularization":
            return x!  // identity at inference
        case "Activation":
            let name = try layer.string("activation", default: "linear")
            return (try activation(name, on: x!.value, shape: x!.shape, layer, cutHere: cutHere), x!.shape)
        case "ReLU":
            return try relu(layer, x!)
        case "PReLU":
            return try prelu(layer, x!)
        case "LeakyReLU":
            let alpha = try layer.numbers("negative_slope")?.first ?? layer.number("alpha", default: Self.leakyReLULayerDefaultSlope)
            return (append(.leakyRelu(alpha: alpha), [x!.value], shape: x!.shape, layer), x!.shape)
        case "BatchNormalization":
            return try batchNormalization(layer, x!)
        case "Normalization":
            return try normalization(layer, x!)
        case "Rescaling":
            return try rescaling(layer, x!)
        case "Add":
            return try add(layer, operands)
        case "Concatenate":
            return try concatenate(layer, operands)
        case "Maximum", "Minimum", "Average", "Subtract":
            return try merge(layer, operands)
        case "Multiply":
            throw Diagnostic(.unsupported, location: layer.location, "Multiply of tensors computed from the input is not piecewise linear, so no exact MILP encoding exists")
        default:
            throw Diagnostic(.unsupported, location: layer.location,
                             "nnmip does not read '\(layer.className)' layers; it reads Dense, Conv1D, Conv2D, pooling (1-D, 2-D and global), padding, Flatten, Reshape, Dropout, activations (relu, relu6, leaky_relu, linear), ReLU, LeakyReLU, PReLU, BatchNormalization, Normalization, Rescaling, Add, Subtract, Average, Maximum, Minimum and Concatenate")
        }
    }

    private mutating func input(_ layer: KerasLayerConfig) throws -> (value: ValueID, shape: [Int]) {
        guard let batchShape = (layer.config["batch_input_shape"] ?? layer.config["batch_shape"]) as? [Any], batchShape.count >= 2 else {
            throw Diagnostic(.malformedInput, location: layer.location, "no input shape (batch_input_shape or batch_shape)")
        }
        let dims = batchShape.dropFirst().map { $0 as? Int }
        guard dims.allSatisfy({ ($0 ?? 0) > 0 }), let shape = Optional(dims.map { $0! }), Shape.elementCount(shape, limit: 1 << 28) != nil else {
            throw Diagnostic(.unsupported, location: layer.location, "the input shape \(batchShape.dropFirst().map { $0 as? Int }.map { $0.map(String.init) ?? "None" }) must be fully known")
        }
        return (graph.append(Node(operation: .input(name: layer.name), operands: [], shape: [1] + shape, location: layer.name)), shape)
    }

    /// Dense acts on the last axis: on a rank-1 input one affine layer, on a higher rank the same
    /// weights for every position of the leading axes (a block-diagonal sparse layer).
    private mutating func dense(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int]), cutHere: Bool) throws -> (value: ValueID, shape: [Int]) {
        let units = try layer.positiveInteger("units")
        let inputs = x.shape.last ?? 1
        let useBias = (layer.config["use_bias"] as? Bool) ?? true
        let arrays = try arrays(of: layer, count: useBias ? 2 : 1)
        try require(arrays[0], shape: [inputs, units], layer, "kernel")
        if useBias { try require(arrays[1], shape: [units], layer, "bias") }
        // Keras's kernel is [in, out]; the IR's rows are outputs.
        var weights = [Double](repeating: 0, count: units * inputs)
        for i in 0..<inputs { for o in 0..<units { weights[o * inputs + i] = arrays[0].values[i * units + o] } }
        let bias = useBias ? arrays[1].values : [Double](repeating: 0, count: units)
        let positions = Shape.count(Array(x.shape.dropLast()))
        let shape = try checked(Array(x.shape.dropLast()) + [units], layer)
        guard positions == 1 || Shape.elementCount([positions, units, inputs], limit: Self.elementLimit) != nil else {
            throw Diagnostic(.unsupported, location: layer.location, "Dense on a value of shape \(x.shape) would hold its \(units * inputs) weights once for each of \(positions) positions, more than \(Self.elementLimit) in all")
        }
        let matrix: WeightMatrix = positions == 1 ? .dense(rows: units, columns: inputs, values: weights)
            : .sparse(SparseMatrix(rows: positions * units, columns: positions * inputs, rowOrderedEntries: (0..<positions).flatMap { p in
                (0..<units).flatMap { o in (0..<inputs).map { i in (p * units + o, p * inputs + i, weights[o * inputs + i]) } }
            }))
        let affine = append(.affine(Affine(weights: matrix, bias: (0..<positions).flatMap { _ in bias })), [x.value], shape: shape, layer)
        return (try activation(try layer.string("activation", default: "linear"), on: affine, shape: shape, layer, cutHere: cutHere), shape)
    }

    private mutating func reshape(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        guard var target = layer.config["target_shape"] as? [Int], !target.isEmpty else {
            throw Diagnostic(.malformedInput, location: layer.location, "'target_shape' is missing")
        }
        let count = Shape.count(x.shape)
        guard target.allSatisfy({ $0 > 0 || $0 == -1 }), target.filter({ $0 == -1 }).count <= 1 else {
            throw Diagnostic(.malformedInput, location: layer.location, "cannot reshape \(x.shape) to \(target)")
        }
        if let unknown = target.firstIndex(of: -1) {
            guard let known = Shape.elementCount(target.filter { $0 != -1 }, limit: Self.elementLimit), known > 0, count % known == 0 else {
                throw Diagnostic(.malformedInput, location: layer.location, "cannot reshape \(x.shape) to \(target)")
            }
            target[unknown] = count / known
        }
        guard Shape.elementCount(target, limit: Self.elementLimit) == count else {
            throw Diagnostic(.malformedInput, location: layer.location, "cannot reshape \(x.shape) (\(count) values) to \(target)")
        }
        return (append(.reshape, [x.value], shape: target, layer), target)
    }

    /// Flatten: row-major over the shape as stored, except that `data_format: channels_first` moves
    /// the channel axis last first (Keras then flattens in H, W, C order).
    private mutating func flatten(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let count = Shape.count(x.shape)
        if try layer.string("data_format", default: "channels_last") == "channels_first", x.shape.count >= 2 {
            let permutation = Array(1..<x.shape.count) + [0]
            return (gather(x.value, Self.transposeIndices(x.shape, permutation), shape: [count], layer), [count])
        }
        return (append(.reshape, [x.value], shape: [count], layer), [count])
    }

    /// Indices of `permutation` applied to a row-major tensor of `shape`: output axis k is input axis `permutation[k]`.
    static func transposeIndices(_ shape: [Int], _ permutation: [Int]) -> [Int] {
        let outShape = permutation.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let outStrides = Shape.strides(outShape)
        return (0..<Shape.count(shape)).map { flat in
            var source = 0
            for k in outShape.indices { source += ((flat / outStrides[k]) % outShape[k]) * inStrides[permutation[k]] }
            return source
        }
    }

    private mutating func add(_ layer: KerasLayerConfig, _ operands: [(value: ValueID, shape: [Int])]) throws -> (value: ValueID, shape: [Int]) {
        let shape = operands[0].shape
        guard operands.allSatisfy({ $0.shape == shape }) else {
            throw Diagnostic(.unsupported, location: layer.location, "adds tensors of shapes \(operands.map(\.shape)); broadcasting is not supported")
        }
        var sum = operands[0].value
        for operand in operands.dropFirst() { sum = append(.add, [sum, operand.value], shape: shape, layer) }
        return (sum, shape)
    }

    /// Concatenate: each operand is placed in the output by an index map (zeros elsewhere) and the placements are added.
    private mutating func concatenate(_ layer: KerasLayerConfig, _ operands: [(value: ValueID, shape: [Int])]) throws -> (value: ValueID, shape: [Int]) {
        let rank = operands[0].shape.count
        let axisSetting = (layer.config["axis"] as? Int) ?? -1
        let axis = axisSetting < 0 ? rank + axisSetting : axisSetting - 1
        guard axis >= 0, axis < rank, operands.allSatisfy({ $0.shape.count == rank && zip($0.shape, operands[0].shape).enumerated().allSatisfy { $0.offset == axis || $0.element.0 == $0.element.1 } }) else {
            throw Diagnostic(.malformedInput, location: layer.location, "cannot concatenate shapes \(operands.map(\.shape)) along axis \(axisSetting)")
        }
        var shape = operands[0].shape
        shape[axis] = operands.map { $0.shape[axis] }.reduce(0, +)
        shape = try checked(shape, layer)
        var offset = 0
        var sum: ValueID?
        for operand in operands {
            let placed = gather(operand.value, IndexMaps.placement(of: operand.shape, along: axis, at: offset, in: shape), shape: shape, layer)
            sum = sum.map { append(.add, [$0, placed], shape: shape, layer) } ?? placed
            offset += operand.shape[axis]
        }
        return (sum!, shape)
    }
}
