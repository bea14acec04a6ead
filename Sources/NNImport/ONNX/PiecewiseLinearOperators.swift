import NNIR

/// Piecewise-linear operators beyond Relu and LeakyRelu, each lowered to the IR's ReLU, affine,
/// element-wise affine, add, gather and max pooling, which every pass, encoding, the evaluator and
/// the exporter already handle: Max, Min, Clip and HardSigmoid through the two-way max and min of
/// `Graph`'s pieces (PiecewiseLinearPieces.swift), Abs and PRelu through theirs, and ReduceMax,
/// ReduceMin and GlobalMaxPool as max pooling over one window per output element.
///
/// Every lowering computes the operator's function exactly, so the MILP stays exact, with one ReLU
/// (one binary) per two-way max or min. A piece that never changes over the bounded domain (a Clip
/// whose input never reaches its top, a Max whose one operand always dominates) is a stable ReLU,
/// which needs no binary.
extension ONNXImporter {
    // MARK: Element-wise operators

    /// `Clip`: bounds from the `min`/`max` attributes (before opset 11) or the optional constant
    /// inputs 1 and 2 (from opset 11); a missing end leaves that side open. With `min > max`
    /// every element is `max`, as ONNX defines it.
    mutating func lowerClip(_ n: NodeContext) throws -> Symbol {
        let low: Double?, high: Double?
        if n.node.attributes["min"] != nil || n.node.attributes["max"] != nil {
            low = n.node.attributes["min"] == nil ? nil : try n.float("min", default: 0)
            high = n.node.attributes["max"] == nil ? nil : try n.float("max", default: 0)
        } else {
            low = try n.optionalConstant(1, "the min input").map { try scalar($0, "min", n) }
            high = try n.optionalConstant(2, "the max input").map { try scalar($0, "max", n) }
        }
        return try clipped(try n.input(0), low: low.flatMap { Graph.isOpenEnd($0) ? nil : $0 },
                           high: high.flatMap { Graph.isOpenEnd($0) ? nil : $0 }, n)
    }

    /// `min(max(x, low), high)` with either end open (nil).
    private mutating func clipped(_ x: Symbol, low: Double?, high: Double?, _ n: NodeContext) throws -> Symbol {
        switch x {
        case .constant(var c):
            c.values = c.values.map { v in min(max(v, low ?? -.infinity), high ?? .infinity) }
            c.isInteger = c.isInteger && [low, high].allSatisfy { $0.map { $0 == $0.rounded() } ?? true }
            return .constant(c)
        case .value(let id):
            return .value(graph.clamped(id, low: low, high: high, location: n.node.irLocation))
        }
    }

    /// The one number of a constant input that must be a scalar.
    private func scalar(_ tensor: ConstantTensor, _ role: String, _ n: NodeContext) throws -> Double {
        guard tensor.values.count == 1 else { throw n.fail("\(role) must be a scalar, got shape \(Shape.describe(tensor.shape))") }
        return tensor.values[0]
    }

    /// `HardSigmoid`: `max(0, min(1, alpha * x + beta))` (alpha 0.2 and beta 0.5 by default).
    mutating func lowerHardSigmoid(_ n: NodeContext) throws -> Symbol {
        let alpha = try n.float("alpha", default: 0.2), beta = try n.float("beta", default: 0.5)
        let affine: Symbol = switch try n.input(0) {
        case .constant(var c):
            .constant({ c.values = c.values.map { alpha * $0 + beta }; c.isInteger = false; return c }())
        case .value(let x):
            .value(graph.scaled(x, by: alpha, plus: beta, location: n.node.irLocation))
        }
        let gate = try clipped(affine, low: 0, high: 1, n)
        noteHardSigmoid(gate, of: try n.input(0), alpha: alpha, beta: beta)
        return gate
    }

    /// `Abs`: `2·relu(x) − x`.
    mutating func lowerAbs(_ n: NodeContext) throws -> Symbol {
        switch try n.input(0) {
        case .constant(var c):
            c.values = c.values.map(Swift.abs)
            return .constant(c)
        case .value(let x):
            return .value(graph.absolute(x, location: n.node.irLocation))
        }
    }

    /// `PRelu`: `x` where `x >= 0`, `slope * x` elsewhere, the slopes (a constant) broadcast to
    /// `x`'s shape. One slope in [0, 1] for every element is the IR's leaky ReLU; any other
    /// slopes are `s·x + (1 − s)·relu(x)`.
    mutating func lowerPRelu(_ n: NodeContext) throws -> Symbol {
        let x = try n.value(0)
        let slopes = try n.constant(1, "the slope")
        let shape = graph[x].shape
        guard IndexMaps.broadcastShape(shape, slopes.shape) == shape else {
            throw n.fail("slope of shape \(Shape.describe(slopes.shape)) does not broadcast to the input's \(Shape.describe(shape))")
        }
        let s = IndexMaps.broadcast(from: slopes.shape, to: shape).map { slopes.values[$0] }
        return .value(graph.parametricRectified(x, slopes: s, location: n.node.irLocation))
    }

    /// `Max`, `Min`, `Sum` and `Mean` of one or more inputs, with NumPy broadcasting; constant
    /// inputs are folded together first.
    mutating func lowerVariadic(_ n: NodeContext) throws -> Symbol {
        let op = n.node.opType
        let symbols = try n.inputs.indices.filter(n.has).map { try n.input($0) }
        guard !symbols.isEmpty else { throw n.fail("\(op) needs at least one input") }
        let outShape = try n.broadcastShape(symbols.map(shape(of:)))
        guard Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        let combine: (Double, Double) -> Double = switch op {
        case "Max": { Swift.max($0, $1) }
        case "Min": { Swift.min($0, $1) }
        default: { $0 + $1 }
        }
        var constant: [Double]?, integers = true
        var values: [ValueID] = []
        for symbol in symbols {
            let indices = IndexMaps.broadcast(from: shape(of: symbol), to: outShape)
            switch symbol {
            case .constant(let c):
                let spread = indices.map { c.values[$0] }
                constant = constant.map { zip($0, spread).map(combine) } ?? spread
                integers = integers && c.isInteger
            case .value:
                values.append(try expandedValue(symbol, indices: indices, shape: outShape, n))
            }
        }
        let meanScale = op == "Mean" ? 1 / Double(symbols.count) : 1
        guard var result = values.first else {
            let folded = (constant ?? []).map { $0 * meanScale }
            return .constant(ConstantTensor(shape: outShape, values: folded, isInteger: integers && op != "Mean"))
        }
        for next in values.dropFirst() {
            switch op {
            case "Max": result = graph.maximum(result, next, location: n.node.irLocation)
            case "Min": result = graph.minimum(result, next, location: n.node.irLocation)
            default: result = graph.added(result, next, location: n.node.irLocation)
            }
        }
        // A constant of -inf (or -FLT_MAX) in a Max, or +inf in a Min, leaves its elements alone.
        if let c = constant, op == "Max" || op == "Min" {
            let neutral = c.map { Graph.isOpenEnd($0) && ($0 < 0) == (op == "Max") }
            if neutral.allSatisfy({ $0 }) {
                constant = nil
            } else if c.contains(where: Graph.isOpenEnd) {
                throw n.unsupported("\(op) with an infinite constant for some elements only is not supported")
            }
        }
        switch (op, constant) {
        case ("Max", let c?): result = graph.maximum(result, constants: c, location: n.node.irLocation)
        case ("Min", let c?): result = graph.minimum(result, constants: c, location: n.node.irLocation)
        case (_, let c):
            let count = graph[result].elementCount
            let shift = (c ?? Array(repeating: 0, count: count)).map { $0 * meanScale }
            result = graph.scaled(result, scale: Array(repeating: meanScale, count: count), shift: shift, location: n.node.irLocation)
        }
        return .value(result)
    }

    // MARK: Reductions

    /// `ReduceMax`, `ReduceMin`, `ReduceSum` and `ReduceMean`: the axes from the `axes` attribute
    /// or the optional constant input 1 (ReduceSum from opset 13, the others from 18), all axes
    /// when none are given (unless `noop_with_empty_axes`), `keepdims` 1 by default.
    mutating func lowerReduce(_ n: NodeContext) throws -> Symbol {
        let op = n.node.opType
        let x = try n.input(0)
        let inShape = shape(of: x)
        let listed = try n.ints("axes") ?? n.optionalConstant(1, "the axes input")?.integers ?? []
        if listed.isEmpty, try n.int("noop_with_empty_axes", default: 0) != 0 { return x }
        let axes = Set(try (listed.isEmpty ? Array(inShape.indices) : listed).map { try n.axis($0, rank: inShape.count) })
        let keep = try n.int("keepdims", default: 1) != 0
        let outShape = inShape.indices.compactMap { axes.contains($0) ? (keep ? 1 : nil) : inShape[$0] }
        // Reduced axes last: each output element's inputs are then `group` consecutive positions.
        let kept = inShape.indices.filter { !axes.contains($0) }, reduced = inShape.indices.filter(axes.contains)
        let (_, order) = IndexMaps.transpose(inShape, perm: kept + reduced)
        let group = reduced.reduce(1) { $0 * inShape[$1] }
        let outer = Shape.count(outShape)
        guard group > 0, outer > 0 else { throw n.fail("\(op) over an empty tensor of shape \(Shape.describe(inShape))") }
        if group == 1 { return gathered(x, indices: order, shape: outShape, at: n.node) }
        guard group <= Window2D.sizeLimit else { throw n.unsupported("\(op) over \(group) elements at once is beyond the \(Window2D.sizeLimit) nnmip reduces") }
        if case .constant(let c) = x {
            let values = (0..<outer).map { o -> Double in
                let members = order[(o * group)..<((o + 1) * group)].map { c.values[$0] }
                switch op {
                case "ReduceMax": return members.max()!
                case "ReduceMin": return members.min()!
                case "ReduceSum": return members.reduce(0, +)
                default: return members.reduce(0, +) / Double(group)
                }
            }
            return .constant(ConstantTensor(shape: outShape, values: values, isInteger: c.isInteger && op != "ReduceMean"))
        }
        guard case .value(let id) = x else { throw n.fail("expected a value") }
        switch op {
        case "ReduceSum", "ReduceMean":
            let weight = op == "ReduceMean" ? 1 / Double(group) : 1
            let entries = (0..<outer).flatMap { o in order[(o * group)..<((o + 1) * group)].sorted().map { (o, $0, weight) } }
            let matrix = SparseMatrix(rows: outer, columns: graph[id].elementCount, rowOrderedEntries: entries)
            let affine = Affine(weights: .sparse(matrix), bias: Array(repeating: 0, count: outer))
            return .value(emit(.affine(affine), [id], shape: outShape, at: n.node))
        default:
            let negate = op == "ReduceMin"  // min(v) = −max(−v)
            let source = negate ? graph.scaled(id, by: -1, location: n.node.irLocation) : id
            let windows = emit(.gather(indices: order), [source], shape: [1, outer, 1, group], at: n.node)
            let maxima = graph.pooledPlanes(windows, maximum: true, location: n.node.irLocation)
            let result = negate ? graph.scaled(maxima, by: -1, location: n.node.irLocation) : maxima
            return reshaped(.value(result), to: outShape, at: n.node)
        }
    }
}
