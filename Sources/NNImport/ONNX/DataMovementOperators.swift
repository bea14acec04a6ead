import NNIR

/// Operators that only copy elements, each an index map (`gather`, or a fold for constants):
/// Split, Expand, Tile, nearest-neighbour Resize, and Concat of computed values (a sum of
/// gathers, each placing one part and reading zero elsewhere).
extension ONNXImporter {
    /// `Split` along `axis` (0 by default) into the node's outputs: sizes from the optional
    /// constant input 1 (opset 13) or the `split` attribute, else equal parts (the last smaller
    /// when `num_outputs`, opset 18, does not divide the axis).
    mutating func lowerSplit(_ n: NodeContext) throws -> [Symbol] {
        let x = try n.input(0)
        let s = shape(of: x)
        let axis = try n.axis(try n.int("axis", default: 0), rank: s.count)
        let parts = n.node.outputs.count
        let sizes: [Int]
        if let given = try n.optionalConstant(1, "the split input")?.integers ?? n.ints("split") {
            sizes = given
        } else {
            let chunk = (s[axis] + parts - 1) / max(1, parts)
            sizes = (0..<parts).map { max(0, min(chunk, s[axis] - $0 * chunk)) }
        }
        guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == s[axis] else {
            throw n.fail("split sizes \(sizes) do not divide axis \(axis) of length \(s[axis]) into \(parts) outputs")
        }
        var start = 0
        return sizes.map { size in
            let map = IndexMaps.slice(s, ranges: [axis: stride(from: start, to: start + size, by: 1)])
            start += size
            return gathered(x, indices: map.indices, shape: map.shape, at: n.node)
        }
    }

    /// `Expand`: broadcast to the constant shape of input 1 (in both directions, as NumPy does).
    mutating func lowerExpand(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let target = try n.constant(1, "the shape input").integers
        guard target.allSatisfy({ $0 >= 0 }), let outShape = IndexMaps.broadcastShape(shape(of: x), target) else {
            throw n.fail("shape \(Shape.describe(shape(of: x))) cannot be expanded to \(target)")
        }
        guard Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        return gathered(x, indices: IndexMaps.broadcast(from: shape(of: x), to: outShape), shape: outShape, at: n.node)
    }

    /// `Tile`: each axis repeated by the constant `repeats` of input 1.
    mutating func lowerTile(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let s = shape(of: x)
        let repeats = try n.constant(1, "the repeats input").integers
        guard repeats.count == s.count, repeats.allSatisfy({ $0 >= 0 }) else {
            throw n.fail("repeats \(repeats) must give a non-negative count for each of the \(s.count) axes")
        }
        let outShape = zip(s, repeats).map { $0 * $1 }
        guard Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        let strides = Shape.strides(s)
        let indices = IndexMaps.combine(s.indices.map { axis in (0..<outShape[axis]).map { ($0 % s[axis]) * strides[axis] } })
        return gathered(x, indices: indices, shape: outShape, at: n.node)
    }

    /// `Resize` (and `Upsample`) in `nearest` mode with constant scales or sizes: every output
    /// element copies the input element its coordinates map to, computed in Float32 as
    /// onnxruntime does, for each `coordinate_transformation_mode` but `tf_crop_and_resize` and
    /// each `nearest_mode`.
    mutating func lowerResize(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let s = shape(of: x)
        let mode = try n.string("mode", default: "nearest")
        guard mode == "nearest" else {
            throw n.unsupported("\(n.node.opType) in mode '\(mode)' is not supported; only mode 'nearest' is")
        }
        // Upsample and Resize of opset 10 take (X, scales); Resize from opset 11 takes (X, roi, scales, sizes).
        let twoInputForm = n.node.opType == "Upsample" || n.node.inputs.count == 2
        let scalesInput = try n.optionalConstant(twoInputForm ? 1 : 2, "the scales input").map(\.values).flatMap { $0.isEmpty ? nil : $0 }
        let sizesInput = twoInputForm ? nil : try n.optionalConstant(3, "the sizes input")?.integers
        let axes = try (n.ints("axes") ?? Array(s.indices)).map { try n.axis($0, rank: s.count) }
        var scales = [Float](repeating: 1, count: s.count), outShape = s
        if let sizes = sizesInput, !sizes.isEmpty {
            guard sizes.count == axes.count, sizes.allSatisfy({ $0 > 0 }) else { throw n.fail("sizes \(sizes) must give a positive size for each of the axes \(axes)") }
            guard try n.string("keep_aspect_ratio_policy", default: "stretch") == "stretch" else {
                throw n.unsupported("keep_aspect_ratio_policy other than 'stretch' is not supported")
            }
            for (axis, size) in zip(axes, sizes) {
                outShape[axis] = size
                scales[axis] = Float(size) / Float(s[axis])
            }
        } else if let given = try scalesInput ?? n.node.attributes["scales"].map({ _ in try floats("scales", n) }) {
            guard given.count == axes.count, given.allSatisfy({ $0 > 0 }) else { throw n.fail("scales \(given) must give a positive scale for each of the axes \(axes)") }
            for (axis, scale) in zip(axes, given) {
                scales[axis] = Float(scale)
                outShape[axis] = Int((Float(s[axis]) * Float(scale)).rounded(.down))
            }
        } else {
            throw n.fail("\(n.node.opType) needs constant scales or sizes")
        }
        guard outShape.allSatisfy({ $0 > 0 }), Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else {
            throw n.fail("the resized shape \(Shape.describe(outShape)) is empty or too large")
        }
        let transform = try n.string("coordinate_transformation_mode", default: n.node.opType == "Upsample" ? "asymmetric" : "half_pixel")
        let rounding = try n.string("nearest_mode", default: n.node.opType == "Upsample" ? "floor" : "round_prefer_floor")
        let strides = Shape.strides(s)
        let perAxis = try s.indices.map { axis in
            try (0..<outShape[axis]).map { o -> Int in
                let source = try Self.sourceCoordinate(o, inSize: s[axis], outSize: outShape[axis], scale: scales[axis], transform: transform, n)
                let picked = try Self.nearest(source, rounding: rounding, n)
                return min(max(picked, 0), s[axis] - 1) * strides[axis]
            }
        }
        return gathered(x, indices: IndexMaps.combine(perAxis), shape: outShape, at: n.node)
    }

    /// A float-list attribute as Doubles.
    private func floats(_ name: String, _ n: NodeContext) throws -> [Double] {
        switch n.node.attributes[name] {
        case .floats(let values)?: return values
        default: throw n.fail("attribute '\(name)' must be a list of floats")
        }
    }

    /// The input coordinate that output coordinate `o` maps to under ONNX's `transform`.
    private static func sourceCoordinate(_ o: Int, inSize: Int, outSize: Int, scale: Float, transform: String,
                                         _ n: NodeContext) throws -> Float {
        let x = Float(o)
        switch transform {
        case "half_pixel": return (x + 0.5) / scale - 0.5
        case "pytorch_half_pixel": return outSize > 1 ? (x + 0.5) / scale - 0.5 : 0
        case "align_corners": return outSize == 1 ? 0 : x * Float(inSize - 1) / Float(outSize - 1)
        case "asymmetric": return x / scale
        case "tf_half_pixel_for_nn": return (x + 0.5) / scale
        case "half_pixel_symmetric":
            let adjustment = Float(outSize) / (scale * Float(inSize))
            let offset = Float(inSize) / 2 * (1 - adjustment)
            return offset + (x + 0.5) / scale - 0.5
        default:
            throw n.unsupported("coordinate_transformation_mode '\(transform)' is not supported")
        }
    }

    /// The input index nearest to `coordinate` under ONNX's `nearest_mode`.
    private static func nearest(_ coordinate: Float, rounding: String, _ n: NodeContext) throws -> Int {
        let isHalf = coordinate - coordinate.rounded(.down) == 0.5
        switch rounding {
        case "round_prefer_floor": return Int(isHalf ? coordinate.rounded(.down) : coordinate.rounded())
        case "round_prefer_ceil": return Int(isHalf ? coordinate.rounded(.up) : coordinate.rounded())
        case "floor": return Int(coordinate.rounded(.down))
        case "ceil": return Int(coordinate.rounded(.up))
        default: throw n.fail("unknown nearest_mode '\(rounding)'")
        }
    }

    /// `Concat` of parts some of which are computed values: each part is gathered into the
    /// output's layout (zero outside its own block), and the gathers are added; constant parts
    /// become the shift of a final element-wise affine.
    mutating func concatenatedValues(_ parts: [Symbol], axis: Int, shape outShape: [Int], _ n: NodeContext) -> Symbol {
        var offset = 0
        var sum: ValueID?
        var shift = [Double](repeating: 0, count: Shape.count(outShape))
        for part in parts {
            let partShape = shape(of: part)
            let strides = Shape.strides(partShape)
            let begin = offset
            let perAxis = outShape.indices.map { a in
                (0..<outShape[a]).map { o -> Int in
                    guard a == axis else { return o * strides[a] }
                    let local = o - begin
                    return (0..<partShape[a]).contains(local) ? local * strides[a] : -1
                }
            }
            offset += partShape[axis]
            switch gathered(part, indices: IndexMaps.combine(perAxis), shape: outShape, at: n.node) {
            case .constant(let c): shift = zip(shift, c.values).map(+)
            case .value(let id): sum = sum.map { graph.added($0, id, location: n.node.irLocation) } ?? id
            }
        }
        guard let sum else { return .constant(ConstantTensor(shape: outShape, values: shift, isInteger: false)) }
        return .value(graph.scaled(sum, scale: Array(repeating: 1, count: shift.count), shift: shift, location: n.node.irLocation))
    }
}
