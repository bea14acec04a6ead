import NNIR

/// How one ONNX operator becomes IR: the symbols of the node's outputs, in order.
typealias Lowering = @Sendable (inout ONNXImporter, NodeContext) throws -> [Symbol]

/// The operator table: which ONNX operators nnmip translates, and how. The
/// dispatch, the supported-operator list and the errors all read this one table.
extension ONNXImporter {
    /// The lowering of every ONNX operator (default domain) that the importer accepts.
    static let operatorTable: [String: Lowering] = [
        "Gemm": { try [$0.lowerGemm($1)] },
        "MatMul": { try [$0.lowerMatMul($1)] },
        "Add": { try [$0.lowerArithmetic($1)] },
        "Sub": { try [$0.lowerArithmetic($1)] },
        "Mul": { try [$0.lowerArithmetic($1)] },
        "Div": { try [$0.lowerArithmetic($1)] },
        "Neg": { try [$0.lowerNeg($1)] },
        "Relu": { try [$0.lowerRelu($1)] },
        "LeakyRelu": { try [$0.lowerLeakyRelu($1)] },
        "BatchNormalization": { try [$0.lowerBatchNormalization($1)] },
        "Identity": { try [$1.input(0)] },
        "Dropout": { try $0.lowerDropout($1) },
        "Cast": { try [$0.lowerCast($1)] },
        "Constant": { try [$0.lowerConstant($1)] },
        "ConstantOfShape": { try [$0.lowerConstantOfShape($1)] },
        "Shape": { try [$0.lowerShape($1)] },
        "Reshape": { try [$0.lowerReshape($1)] },
        "Flatten": { try [$0.lowerFlatten($1)] },
        "Squeeze": { try [$0.lowerSqueeze($1)] },
        "Unsqueeze": { try [$0.lowerSqueeze($1)] },
        "Transpose": { try [$0.lowerTranspose($1)] },
        "Gather": { try [$0.lowerGather($1)] },
        "Concat": { try [$0.lowerConcat($1)] },
        "Slice": { try [$0.lowerSlice($1)] },
        "Pad": { try [$0.lowerPad($1)] },
        "Conv": { try [$0.lowerConv($1)] },
        "MaxPool": { try [$0.lowerPool($1)] },
        "AveragePool": { try [$0.lowerPool($1)] },
        "GlobalAveragePool": { try [$0.lowerPool($1)] },
        "GlobalMaxPool": { try [$0.lowerPool($1)] },
        "Clip": { try [$0.lowerClip($1)] },
        "HardSigmoid": { try [$0.lowerHardSigmoid($1)] },
        "Abs": { try [$0.lowerAbs($1)] },
        "PRelu": { try [$0.lowerPRelu($1)] },
        "Max": { try [$0.lowerVariadic($1)] },
        "Min": { try [$0.lowerVariadic($1)] },
        "Sum": { try [$0.lowerVariadic($1)] },
        "Mean": { try [$0.lowerVariadic($1)] },
        "ReduceMax": { try [$0.lowerReduce($1)] },
        "ReduceMin": { try [$0.lowerReduce($1)] },
        "ReduceSum": { try [$0.lowerReduce($1)] },
        "ReduceMean": { try [$0.lowerReduce($1)] },
        "Split": { try $0.lowerSplit($1) },
        "Expand": { try [$0.lowerExpand($1)] },
        "Tile": { try [$0.lowerTile($1)] },
        "Resize": { try [$0.lowerResize($1)] },
        "Upsample": { try [$0.lowerResize($1)] },
        "Equal": { try [$0.lowerConstantLogic($1)] },
        "Less": { try [$0.lowerConstantLogic($1)] },
        "Greater": { try [$0.lowerConstantLogic($1)] },
        "LessOrEqual": { try [$0.lowerConstantLogic($1)] },
        "GreaterOrEqual": { try [$0.lowerConstantLogic($1)] },
        "And": { try [$0.lowerConstantLogic($1)] },
        "Or": { try [$0.lowerConstantLogic($1)] },
        "Xor": { try [$0.lowerConstantLogic($1)] },
        "Not": { try [$0.lowerConstantLogic($1)] },
        "Where": { try [$0.lowerConstantLogic($1)] },
        "Sigmoid": { try [$0.lowerSmooth($1)] },
        "Tanh": { try [$0.lowerSmooth($1)] },
        "Softplus": { try [$0.lowerSmooth($1)] },
        "Elu": { try [$0.lowerSmooth($1)] },
        "Selu": { try [$0.lowerSmooth($1)] },
        "HardSwish": { try [$0.lowerSmooth($1)] },
        "Gelu": { try [$0.lowerSmooth($1)] },
    ]

    /// Every ONNX operator (default domain) that the importer accepts, in alphabetical order.
    static var supportedOperators: [String] { operatorTable.keys.sorted() }

    /// Operators that are neither piecewise linear nor one of the smooth
    /// activations `pwl-approx` handles: nnmip has no MILP form for them.
    static let nonlinearOperators: Set<String> = [
        "Softmax", "LogSoftmax", "Exp", "Log", "Softsign", "Celu", "Erf", "Mish", "Pow", "Sqrt", "Reciprocal", "Sin", "Cos",
    ]

    /// Translates one node into IR nodes or folded constants; returns its outputs in order.
    mutating func lower(_ n: NodeContext) throws -> [Symbol] {
        let op = n.node.opType
        if let lowering = Self.operatorTable[op] { return try lowering(&self, n) }
        if let logits = try finalNormalizationInput(n) { return [logits] }
        if Self.nonlinearOperators.contains(op) {
            var refusal = n.unsupported("\(op) is neither piecewise linear nor a smooth activation nnmip approximates, so it has no MILP form.")
            refusal.hint = n.node.inputs.first.map { OptionHint(option: "--output", "Cut the network before it with --output '\($0)' (its input).") }
            throw refusal
        }
        throw n.unsupported("operator '\(op)' is not supported (supported: \(Self.supportedOperators.joined(separator: ", ")))")
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
