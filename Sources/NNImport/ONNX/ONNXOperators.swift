import NNIR

/// The operator table: which ONNX operators nnmip translates, and how.
extension ONNXImporter {
    /// Every ONNX operator (default domain) that the importer accepts.
    static let supportedOperators: [String] = [
        "Add", "AveragePool", "BatchNormalization", "Cast", "Concat", "Constant", "ConstantOfShape", "Conv", "Div",
        "Dropout", "Flatten", "Gather", "Gemm", "GlobalAveragePool", "Identity", "LeakyRelu", "MatMul", "MaxPool", "Mul",
        "Neg", "Pad", "Relu", "Reshape", "Shape", "Slice", "Squeeze", "Sub", "Transpose", "Unsqueeze",
    ]

    /// Operators that are not piecewise linear: no exact MILP encoding exists.
    static let nonlinearOperators: Set<String> = [
        "Softmax", "LogSoftmax", "Sigmoid", "Tanh", "Exp", "Log", "Softplus", "Softsign", "Elu", "Selu", "Celu",
        "Gelu", "Erf", "HardSigmoid", "HardSwish", "Mish", "Pow", "Sqrt", "Reciprocal", "Sin", "Cos",
    ]

    /// Translates one node into IR nodes or folded constants; returns its outputs in order.
    mutating func lower(_ n: NodeContext) throws -> [Symbol] {
        switch n.node.opType {
        case "Gemm": return [try lowerGemm(n)]
        case "MatMul": return [try lowerMatMul(n)]
        case "Add", "Sub", "Mul", "Div": return [try lowerArithmetic(n)]
        case "Neg": return [try lowerNeg(n)]
        case "Relu": return [.value(emit(.relu, [try n.value(0)], shape: shape(of: try n.input(0)), at: n.node))]
        case "LeakyRelu":
            let alpha = try n.float("alpha", default: 0.01)
            return [.value(emit(.leakyRelu(alpha: alpha), [try n.value(0)], shape: shape(of: try n.input(0)), at: n.node))]
        case "BatchNormalization": return [try lowerBatchNormalization(n)]
        case "Identity": return [try n.input(0)]
        case "Dropout": return try lowerDropout(n)
        case "Cast": return [try lowerCast(n)]
        case "Constant": return [try lowerConstant(n)]
        case "ConstantOfShape": return [try lowerConstantOfShape(n)]
        case "Shape": return [try lowerShape(n)]
        case "Reshape": return [try lowerReshape(n)]
        case "Flatten": return [try lowerFlatten(n)]
        case "Squeeze", "Unsqueeze": return [try lowerSqueeze(n)]
        case "Transpose": return [try lowerTranspose(n)]
        case "Gather": return [try lowerGather(n)]
        case "Concat": return [try lowerConcat(n)]
        case "Slice": return [try lowerSlice(n)]
        case "Pad": return [try lowerPad(n)]
        case "Conv": return [try lowerConv(n)]
        case "MaxPool", "AveragePool", "GlobalAveragePool": return [try lowerPool(n)]
        case let op where Self.nonlinearOperators.contains(op):
            let cut = n.node.inputs.first.map { " Cut the network before it with --output '\($0)' (its input)." } ?? ""
            throw n.unsupported("\(op) is not piecewise linear, so no exact MILP encoding exists.\(cut)")
        case let op:
            throw n.unsupported("operator '\(op)' is not supported (supported: \(Self.supportedOperators.joined(separator: ", ")))")
        }
    }

    /// The static shape of a symbol.
    func shape(of symbol: Symbol) -> [Int] {
        switch symbol {
        case .constant(let tensor): tensor.shape
        case .value(let id): graph[id].shape
        }
    }

    /// `y = x` under a new shape; no IR node when the shape is unchanged.
    mutating func reshaped(_ symbol: Symbol, to newShape: [Int], at node: ONNXNode) -> Symbol {
        switch symbol {
        case .constant(var tensor):
            tensor.shape = newShape
            return .constant(tensor)
        case .value(let id):
            if graph[id].shape == newShape { return symbol }
            return .value(emit(.reshape, [id], shape: newShape, at: node))
        }
    }

    /// `y[i] = x[indices[i]]` (0 where the index is -1), folded for constants.
    mutating func gathered(_ symbol: Symbol, indices: [Int], shape newShape: [Int], at node: ONNXNode) -> Symbol {
        switch symbol {
        case .constant(let tensor):
            return .constant(ConstantTensor(shape: newShape, values: indices.map { $0 < 0 ? 0 : tensor.values[$0] },
                                            isInteger: tensor.isInteger))
        case .value(let id):
            if indices == Array(0..<graph[id].elementCount) { return reshaped(symbol, to: newShape, at: node) }
            return .value(emit(.gather(indices: indices), [id], shape: newShape, at: node))
        }
    }
}

extension NodeContext {
    /// Input `i` as an IR value (it must depend on the network input).
    func value(_ i: Int) throws -> ValueID {
        switch try input(i) {
        case .value(let id): return id
        case .constant: throw unsupported("input \(i) ('\(node.inputs[i])') is a constant where nnmip expects a value computed from the network input")
        }
    }
}
