import NNIR

/// Operators that only move or relabel data, and the constant-producing
/// operators whose results are folded at import time.
extension ONNXImporter {
    /// `Reshape` with a constant target shape; 0 copies the input dimension
    /// (unless `allowzero`), -1 is inferred.
    mutating func lowerReshape(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let inShape = shape(of: x)
        let requested: [Int]
        if n.has(1) {
            requested = try n.constant(1, "the target shape").integers
        } else if let attribute = try n.ints("shape") {
            requested = attribute  // opset 1-4
        } else {
            throw n.fail("Reshape needs a target shape")
        }
        let allowZero = try n.int("allowzero", default: 0) != 0
        var target = requested.enumerated().map { i, d in (d == 0 && !allowZero && i < inShape.count) ? inShape[i] : d }
        let count = Shape.count(inShape)
        if let inferred = target.firstIndex(of: -1) {
            guard target.filter({ $0 == -1 }).count == 1 else { throw n.fail("more than one -1 in the target shape \(requested)") }
            let others = target.enumerated().filter { $0.offset != inferred }.map(\.element)
            guard let known = Shape.elementCount(others), known > 0, count % known == 0 else {
                throw n.fail("cannot reshape \(Shape.describe(inShape)) to \(requested)")
            }
            target[inferred] = count / known
        }
        guard target.allSatisfy({ $0 >= 0 }), Shape.elementCount(target) == count else {
            throw n.fail("cannot reshape \(Shape.describe(inShape)) (\(count) elements) to \(requested)")
        }
        return reshaped(x, to: target, at: n.node)
    }

    /// `Flatten`: `[d0..d(axis-1)]` and `[d(axis)..]` become the two dimensions.
    mutating func lowerFlatten(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let s = shape(of: x)
        let raw = try n.int("axis", default: 1)
        let axis = raw < 0 ? raw + s.count : raw
        guard axis >= 0, axis <= s.count else { throw n.fail("axis \(raw) is out of range for rank \(s.count)") }
        return reshaped(x, to: [Shape.count(Array(s[..<axis])), Shape.count(Array(s[axis...]))], at: n.node)
    }

    /// `Squeeze` and `Unsqueeze`, with axes as an attribute (opset < 13) or an input.
    mutating func lowerSqueeze(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        var s = shape(of: x)
        let axes = try n.has(1) ? n.constant(1, "the axes").integers : n.ints("axes")
        if n.node.opType == "Squeeze" {
            let remove = try Set((axes ?? s.indices.filter { s[$0] == 1 }).map { try n.axis($0, rank: s.count) })
            for axis in remove where s[axis] != 1 { throw n.fail("cannot squeeze axis \(axis) of size \(s[axis])") }
            s = s.indices.filter { !remove.contains($0) }.map { s[$0] }
        } else {
            guard let axes else { throw n.fail("Unsqueeze needs axes") }
            let rank = s.count + axes.count
            for axis in try axes.map({ try n.axis($0, rank: rank) }).sorted() { s.insert(1, at: axis) }
        }
        return reshaped(x, to: s, at: n.node)
    }

    /// `Transpose`, by default reversing the axes.
    mutating func lowerTranspose(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let s = shape(of: x)
        let perm = try n.ints("perm") ?? Array(s.indices.reversed())
        guard perm.sorted() == Array(s.indices) else { throw n.fail("perm \(perm) is not a permutation of \(s.count) axes") }
        let map = IndexMaps.transpose(s, perm: perm)
        return gathered(x, indices: map.indices, shape: map.shape, at: n.node)
    }

    /// `Dropout` at inference is the identity; in training mode it is random.
    mutating func lowerDropout(_ n: NodeContext) throws -> [Symbol] {
        if let training = try n.optionalConstant(2, "training_mode"), training.values.first ?? 0 != 0 {
            let ratio = try n.optionalConstant(1, "ratio")?.scalar ?? 0.5
            if ratio != 0 { throw n.unsupported("Dropout with training_mode=true drops inputs at random; export the model for inference") }
        }
        return [try n.input(0)]
    }

    /// `Cast`: to a floating type it is the identity; constants are converted.
    mutating func lowerCast(_ n: NodeContext) throws -> Symbol {
        let to = Int32(try n.int("to", default: 1))
        guard let target = ElementType(rawValue: to) else {
            throw n.unsupported("Cast to \(ElementType.name(to)) is not supported")
        }
        switch try n.input(0) {
        case .value(let x):
            guard !target.isInteger else { throw n.unsupported("Cast of a computed value to \(ElementType.name(to)) rounds, which is not linear") }
            return .value(x)
        case .constant(var c):
            switch target {
            case .float: c.values = c.values.map { Double(Float($0)) }
            case .double: break
            case .bool: c.values = c.values.map { $0 != 0 ? 1 : 0 }
            default: c.values = c.values.map { $0.rounded(.towardZero) }
            }
            c.isInteger = target.isInteger
            return .constant(c)
        }
    }

    /// `Constant`: a tensor or scalar/list attribute.
    mutating func lowerConstant(_ n: NodeContext) throws -> Symbol {
        for (name, attribute) in n.node.attributes {
            switch (name, attribute) {
            case ("value", .tensor(let ref)): return .constant(try ref.decode(place: n.node.place))
            case ("value_float", .float(let v)): return .constant(ConstantTensor(shape: [], values: [v], isInteger: false))
            case ("value_floats", .floats(let v)): return .constant(ConstantTensor(shape: [v.count], values: v, isInteger: false))
            case ("value_int", .int(let v)): return .constant(ConstantTensor(shape: [], values: [Double(v)], isInteger: true))
            case ("value_ints", .ints(let v)): return .constant(ConstantTensor(integers: v))
            default: continue
            }
        }
        throw n.unsupported("Constant needs a value, value_float(s) or value_int(s) attribute")
    }

    /// `ConstantOfShape`: a constant filled with one value.
    mutating func lowerConstantOfShape(_ n: NodeContext) throws -> Symbol {
        let dims = try n.constant(0, "the shape").integers
        guard let count = Shape.elementCount(dims, limit: ONNXTensorRef.elementLimit) else {
            throw n.fail("shape \(Shape.describe(dims)) is invalid or too large")
        }
        var fill = ConstantTensor(shape: [1], values: [0], isInteger: false)
        if case .tensor(let ref)? = n.node.attributes["value"] { fill = try ref.decode(place: n.node.place) }
        return .constant(ConstantTensor(shape: dims, values: .init(repeating: fill.values.first ?? 0, count: count),
                                        isInteger: fill.isInteger))
    }

    /// `Shape`: the (static) shape as a constant, optionally sliced by start/end.
    mutating func lowerShape(_ n: NodeContext) throws -> Symbol {
        let s = shape(of: try n.input(0))
        let clamp = { (v: Int) in min(max(v < 0 ? v + s.count : v, 0), s.count) }
        let start = clamp(try n.int("start", default: 0))
        let end = clamp(try n.int("end", default: s.count))
        return .constant(ConstantTensor(integers: start < end ? Array(s[start..<end]) : []))
    }

    /// `Gather` with constant indices, on a constant or a value.
    mutating func lowerGather(_ n: NodeContext) throws -> Symbol {
        let data = try n.input(0)
        let s = shape(of: data)
        let indices = try n.constant(1, "the indices")
        let axis = try n.axis(try n.int("axis", default: 0), rank: s.count)
        let picks = try indices.integers.map { i -> Int in
            let j = i < 0 ? i + s[axis] : i
            guard j >= 0, j < s[axis] else { throw n.fail("index \(i) is out of range for axis \(axis) of size \(s[axis])") }
            return j
        }
        let map = IndexMaps.gather(s, axis: axis, picks: picks, pickShape: indices.shape)
        return gathered(data, indices: map.indices, shape: map.shape, at: n.node)
    }

    /// `Concat` of constants (shape arithmetic, folded) or of parts some of which are values.
    mutating func lowerConcat(_ n: NodeContext) throws -> Symbol {
        let parts = try n.inputs.indices.filter(n.has).map { try n.input($0) }
        guard let first = parts.first.map(shape(of:)) else { throw n.fail("Concat needs inputs") }
        let axis = try n.axis(try n.int("axis", default: 0), rank: first.count)
        var outShape = first
        for part in parts.dropFirst().map(shape(of:)) {
            guard part.count == outShape.count, part.indices.allSatisfy({ $0 == axis || part[$0] == outShape[$0] }) else {
                throw n.fail("Concat inputs of shapes \(Shape.describe(first)) and \(Shape.describe(part)) do not fit along axis \(axis)")
            }
            outShape[axis] += part[axis]
        }
        guard Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        guard n.allConstant else { return concatenatedValues(parts, axis: axis, shape: outShape, n) }
        let constants = parts.compactMap { part -> ConstantTensor? in if case .constant(let c) = part { c } else { nil } }
        let outer = Shape.count(Array(outShape[..<axis]))
        var values: [Double] = []
        for o in 0..<outer {
            for part in constants {
                let block = Shape.count(Array(part.shape[axis...]))
                values += part.values[(o * block)..<((o + 1) * block)]
            }
        }
        return .constant(ConstantTensor(shape: outShape, values: values, isInteger: constants.allSatisfy(\.isInteger)))
    }

    /// `Slice` with constant starts/ends/axes/steps (inputs from opset 10, attributes before).
    mutating func lowerSlice(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let s = shape(of: x)
        let starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?
        if n.has(1) {
            starts = try n.constant(1, "starts").integers
            ends = try n.constant(2, "ends").integers
            axes = try n.optionalConstant(3, "axes")?.integers
            steps = try n.optionalConstant(4, "steps")?.integers
        } else {
            guard let a = try n.ints("starts"), let b = try n.ints("ends") else { throw n.fail("Slice needs starts and ends") }
            (starts, ends, axes, steps) = (a, b, try n.ints("axes"), nil)
        }
        let axisList = try (axes ?? Array(starts.indices)).map { try n.axis($0, rank: s.count) }
        guard starts.count == ends.count, axisList.count == starts.count, (steps?.count ?? starts.count) == starts.count else {
            throw n.fail("starts, ends, axes and steps must have the same length")
        }
        var ranges: [Int: StrideTo<Int>] = [:]
        for (i, axis) in axisList.enumerated() {
            let step = steps?[i] ?? 1
            guard step != 0 else { throw n.fail("slice step 0") }
            let size = s[axis]
            func clamp(_ v: Int, _ low: Int, _ high: Int) -> Int { min(max(v < 0 ? v &+ size : v, low), high) }
            ranges[axis] = step > 0
                ? stride(from: clamp(starts[i], 0, size), to: clamp(ends[i], 0, size), by: step)
                : stride(from: clamp(starts[i], -1, size - 1), to: clamp(ends[i], -1, size - 1), by: step)
        }
        let map = IndexMaps.slice(s, ranges: ranges)
        return gathered(x, indices: map.indices, shape: map.shape, at: n.node)
    }

    /// `Pad` in constant mode; a nonzero fill value becomes a shift on the padded positions.
    mutating func lowerPad(_ n: NodeContext) throws -> Symbol {
        let mode = try n.string("mode", default: "constant")
        guard mode == "constant" else { throw n.unsupported("Pad mode '\(mode)' is not supported; only constant padding is") }
        let x = try n.input(0)
        let s = shape(of: x)
        var pads: [Int]
        var fill = 0.0
        if n.has(1) {
            pads = try n.constant(1, "the pads").integers
            fill = try n.optionalConstant(2, "the constant value")?.values.first ?? 0
            if let axes = try n.optionalConstant(3, "the axes")?.integers {
                var full = [Int](repeating: 0, count: 2 * s.count)
                for (i, raw) in axes.enumerated() {
                    let axis = try n.axis(raw, rank: s.count)
                    full[axis] = pads[i]
                    full[axis + s.count] = pads[i + axes.count]
                }
                pads = full
            }
        } else {
            guard let attribute = try n.ints("pads") ?? n.ints("paddings") else { throw n.fail("Pad needs pads") }
            pads = attribute
            fill = try n.float("value", default: 0)
        }
        guard pads.count == 2 * s.count, pads.allSatisfy({ abs($0) <= ONNXTensorRef.elementLimit }) else {
            throw n.fail("pads \(pads) do not fit rank \(s.count)")
        }
        guard let map = IndexMaps.pad(s, pads: pads, elementLimit: ONNXTensorRef.elementLimit) else {
            throw n.fail("pads \(pads) do not fit the input shape \(Shape.describe(s))")
        }
        let result = gathered(x, indices: map.indices, shape: map.shape, at: n.node)
        guard fill != 0, case .value(let id) = result else {
            if fill != 0, case .constant(var c) = result {
                c.values = zip(c.values, map.indices).map { $1 < 0 ? fill : $0 }
                return .constant(c)
            }
            return result
        }
        let shift = map.indices.map { $0 < 0 ? fill : 0 }
        return .value(emit(.scaleShift(scale: .init(repeating: 1, count: shift.count), shift: shift), [id], shape: map.shape, at: n.node))
    }
}
