import NNIR

/// The smooth activations: Sigmoid, Tanh, Softplus, Elu, Selu, HardSwish and
/// Gelu become IR `smooth` nodes, and the gated product `Mul(x, Sigmoid(x))`
/// (how PyTorch writes SiLU) and `Mul(x, HardSigmoid(x))` (HardSwish before
/// opset 14) become SiLU and HardSwish. The MILP back ends see them only
/// through the `pwl-approx` pass.
extension ONNXImporter {
    /// The ONNX operators that are one smooth function of their only input, with their parameters.
    static let smoothOperators: [String: @Sendable (NodeContext) throws -> SmoothFunction] = [
        "Sigmoid": { _ in .sigmoid },
        "Tanh": { _ in .tanh },
        "Softplus": { _ in .softplus },
        "HardSwish": { _ in .hardSwish },
        "Elu": { .elu(alpha: try $0.float("alpha", default: 1)) },
        "Selu": { .selu(alpha: try $0.float("alpha", default: SmoothFunction.seluAlpha),
                        gamma: try $0.float("gamma", default: SmoothFunction.seluGamma)) },
        "Gelu": { n in
            switch try n.string("approximate", default: "none") {
            case "none": return .gelu(tanhApproximation: false)
            case "tanh": return .gelu(tanhApproximation: true)
            case let other: throw n.fail("approximate must be 'none' or 'tanh', not '\(other)'")
            }
        },
    ]

    /// A smooth activation of a computed value (constants are folded).
    mutating func lowerSmooth(_ n: NodeContext) throws -> Symbol {
        guard let make = Self.smoothOperators[n.node.opType] else { throw n.unsupported("operator '\(n.node.opType)' is not smooth") }
        let function = try make(n)
        guard function.hasValidParameters else { throw n.fail("\(n.node.opType) needs finite parameters with alpha >= 0 and gamma > 0") }
        switch try n.input(0) {
        case .constant(var c):
            c.values = c.values.map(function.value)
            c.isInteger = false
            return .constant(c)
        case .value(let x):
            let id = emit(.smooth(function), [x], shape: graph[x].shape, at: n.node)
            if function == .sigmoid { gates[id] = (input: x, product: .silu) }
            return .value(id)
        }
    }

    /// The slope and offset of HardSigmoid that make `x · HardSigmoid(x)` HardSwish.
    static let hardSwishGate = (alpha: 1.0 / 6, beta: 0.5)

    /// Records that `gate` is `HardSigmoid(x)` with HardSwish's parameters (float32 in the file).
    mutating func noteHardSigmoid(_ gate: Symbol, of x: Symbol, alpha: Double, beta: Double) {
        guard case .value(let g) = gate, case .value(let input) = x,
              abs(alpha - Self.hardSwishGate.alpha) <= 1e-7, beta == Self.hardSwishGate.beta else { return }
        gates[g] = (input: input, product: .hardSwish)
    }

    /// `Mul(x, gate(x))` of two computed values, when `gate` is a recorded gate of `x`.
    func gatedProduct(_ a: Symbol, _ b: Symbol) -> (input: ValueID, function: SmoothFunction)? {
        guard case .value(let x) = a, case .value(let y) = b else { return nil }
        if let gate = gates[y], gate.input == x { return (x, gate.product) }
        if let gate = gates[x], gate.input == y { return (y, gate.product) }
        return nil
    }
}

/// PyTorch's dynamo exporter writes `nn.Softplus` (beta 1, threshold T, 20 by default) as
/// `Where(Greater(x, T), x, Softplus(x))`: x itself above T, where the two differ by at most
/// e^−T (2·10^−9 at 20). For T of at least `softplusThresholdFloor` that is below float32's
/// resolution at those values, and nnmip reads the pattern as Softplus.
extension ONNXImporter {
    /// The least threshold read as plain Softplus: e^−15 is 3·10^−7, float32's ulp at 15 is 10^−6.
    static let softplusThresholdFloor = 15.0

    /// Whether the `Greater` node of `n` is the threshold test of such a pattern: `Greater(x, T)`
    /// with a constant scalar T of at least the floor, read only by `Where(it, x, Softplus(x))`.
    func isSoftplusThreshold(_ n: NodeContext) throws -> Bool {
        guard n.node.opType == "Greater", n.node.inputs.count == 2, case .value = try n.input(0),
              case .constant(let threshold) = try n.input(1), threshold.values.count == 1,
              threshold.values[0] >= Self.softplusThresholdFloor, let condition = n.node.outputs.first else { return false }
        let x = n.node.inputs[0]
        let readers = model.nodes.filter { $0.inputs.contains(condition) }
        guard readers.count == 1, let select = readers.first, select.opType == "Where", select.inputs.count == 3,
              select.inputs[0] == condition, select.inputs[1] == x else { return false }
        return model.nodes.contains { $0.opType == "Softplus" && $0.inputs == [x] && $0.outputs.first == select.inputs[2] }
    }
}

/// `verify` reads a final Softmax or LogSoftmax as its logits (`LoadOptions.finalNormalizationAsLogits`).
extension ONNXImporter {
    /// The logits, when `n` is a Softmax or LogSoftmax over the last axis of a single-row computed
    /// value that is a graph output and the importer reads such nodes as the identity; nil otherwise.
    mutating func finalNormalizationInput(_ n: NodeContext) throws -> Symbol? {
        guard readsFinalNormalizationAsLogits, let normalization = OutputNormalization(rawValue: n.node.opType),
              n.node.outputs.count == 1, outputNames.contains(n.node.outputs[0]), case .value(let x) = try n.input(0) else { return nil }
        let shape = graph[x].shape
        // A single row ([n], [1, n], [1, 1, n], ...): every axis but the last is 1, so any axis that is
        // the last (or, before opset 13, coerces the shape to [1, n]) normalizes the whole row.
        guard let last = shape.last, shape.dropLast().allSatisfy({ $0 == 1 }) else { return nil }
        let axis = try n.int("axis", default: model.opset >= 13 ? -1 : 1)
        guard axis == -1 || axis == shape.count - 1 || (model.opset < 13 && last == graph[x].elementCount) else { return nil }
        normalizedOutputs[n.node.outputs[0]] = normalization
        return .value(x)
    }
}
