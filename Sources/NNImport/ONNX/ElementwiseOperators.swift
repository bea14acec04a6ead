import NNIR

/// Element-wise operators: arithmetic with constants (biases, input
/// normalization), sums of values, batch normalization.
extension ONNXImporter {
    /// `Add`, `Sub`, `Mul`, `Div` with NumPy broadcasting. With one constant
    /// operand the result is an element-wise affine map; two values may be
    /// added or subtracted; two constants are folded.
    mutating func lowerArithmetic(_ n: NodeContext) throws -> Symbol {
        let op = n.node.opType
        let (a, b) = (try n.input(0), try n.input(1))
        guard let outShape = IndexMaps.broadcastShape(shape(of: a), shape(of: b)) else {
            throw n.fail("operands of shapes \(Shape.describe(shape(of: a))) and \(Shape.describe(shape(of: b))) do not broadcast")
        }
        guard Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        let aIndex = IndexMaps.broadcast(from: shape(of: a), to: outShape)
        let bIndex = IndexMaps.broadcast(from: shape(of: b), to: outShape)
        switch (a, b) {
        case (.constant(let x), .constant(let y)):
            let values = zip(aIndex, bIndex).map { i, j -> Double in
                let (u, v) = (x.values[i], y.values[j])
                switch op {
                case "Add": return u + v
                case "Sub": return u - v
                case "Mul": return u * v
                default: return x.isInteger && y.isInteger ? (u / v).rounded(.towardZero) : u / v
                }
            }
            return .constant(ConstantTensor(shape: outShape, values: values, isInteger: x.isInteger && y.isInteger))
        case (.value, .value):
            if op == "Mul", shape(of: a) == shape(of: b), let (x, function) = gatedProduct(a, b) {
                return .value(emit(.smooth(function), [x], shape: outShape, at: n.node))
            }
            guard op == "Add" || op == "Sub" else {
                throw n.unsupported("\(op) of two values computed from the input is not linear")
            }
            let left = try expandedValue(a, indices: aIndex, shape: outShape, n)
            var right = try expandedValue(b, indices: bIndex, shape: outShape, n)
            if op == "Sub" {
                let count = Shape.count(outShape)
                right = emit(.scaleShift(scale: .init(repeating: -1, count: count), shift: .init(repeating: 0, count: count)),
                             [right], shape: outShape, at: n.node)
            }
            return .value(emit(.add, [left, right], shape: outShape, at: n.node))
        case (.value, .constant(let c)), (.constant(let c), .value):
            let valueFirst: Bool = if case .value = a { true } else { false }
            let x = try expandedValue(valueFirst ? a : b, indices: valueFirst ? aIndex : bIndex, shape: outShape, n)
            let constants = (valueFirst ? bIndex : aIndex).map { c.values[$0] }
            var scale = [Double](repeating: 1, count: constants.count)
            var shift = [Double](repeating: 0, count: constants.count)
            switch (op, valueFirst) {
            case ("Add", _): shift = constants
            case ("Sub", true): shift = constants.map { -$0 }
            case ("Sub", false): (scale, shift) = (scale.map { -$0 }, constants)
            case ("Mul", _): scale = constants
            case ("Div", true):
                guard !constants.contains(0) else { throw n.fail("division by a constant that contains zero") }
                scale = constants.map { 1 / $0 }
            default:
                throw n.unsupported("dividing a constant by a value computed from the input is not piecewise linear")
            }
            return .value(emit(.scaleShift(scale: scale, shift: shift), [x], shape: outShape, at: n.node))
        }
    }

    /// `Relu`.
    mutating func lowerRelu(_ n: NodeContext) throws -> Symbol {
        .value(emit(.relu, [try n.value(0)], shape: shape(of: try n.input(0)), at: n.node))
    }

    /// The slope of `LeakyRelu` when the node gives no `alpha` (the ONNX default).
    static let leakyReluDefaultAlpha = 0.01

    /// `LeakyRelu`.
    mutating func lowerLeakyRelu(_ n: NodeContext) throws -> Symbol {
        let alpha = try n.float("alpha", default: Self.leakyReluDefaultAlpha)
        return .value(emit(.leakyRelu(alpha: alpha), [try n.value(0)], shape: shape(of: try n.input(0)), at: n.node))
    }

    /// `Neg`: `-x`.
    mutating func lowerNeg(_ n: NodeContext) throws -> Symbol {
        switch try n.input(0) {
        case .constant(var c):
            c.values = c.values.map { -$0 }
            return .constant(c)
        case .value(let x):
            let count = graph[x].elementCount
            return .value(emit(.scaleShift(scale: .init(repeating: -1, count: count), shift: .init(repeating: 0, count: count)),
                               [x], shape: graph[x].shape, at: n.node))
        }
    }

    /// `BatchNormalization` in inference form: `scale * (x - mean) / sqrt(var + epsilon) + B`, per channel (axis 1).
    mutating func lowerBatchNormalization(_ n: NodeContext) throws -> Symbol {
        guard try n.int("training_mode", default: 0) == 0 else {
            throw n.unsupported("BatchNormalization in training mode depends on batch statistics; export the model in inference mode")
        }
        let x = try n.value(0)
        let shape = graph[x].shape
        guard shape.count >= 2 else { throw n.fail("BatchNormalization needs an input with a channel axis, got \(Shape.describe(shape))") }
        let channels = shape[1]
        let epsilon = try n.float("epsilon", default: 1e-5)
        let params = try ["scale", "B", "mean", "var"].enumerated().map { i, role -> [Double] in
            let c = try n.constant(i + 1, "the \(role) input")
            guard c.values.count == channels else { throw n.fail("\(role) has \(c.values.count) values for \(channels) channels") }
            return c.values
        }
        let a = (0..<channels).map { params[0][$0] / (params[3][$0] + epsilon).squareRoot() }
        let b = (0..<channels).map { params[1][$0] - params[2][$0] * a[$0] }
        let inner = Shape.count(Array(shape[2...]))
        let channelOf = (0..<graph[x].elementCount).map { ($0 / inner) % channels }
        return .value(emit(.scaleShift(scale: channelOf.map { a[$0] }, shift: channelOf.map { b[$0] }), [x], shape: shape, at: n.node))
    }

    /// A value broadcast to `shape` (a gather when broadcasting repeats elements).
    mutating func expandedValue(_ symbol: Symbol, indices: [Int], shape: [Int], _ n: NodeContext) throws -> ValueID {
        guard case .value(let id) = gathered(symbol, indices: indices, shape: shape, at: n.node) else {
            throw n.fail("expected a value")
        }
        return id
    }
}
