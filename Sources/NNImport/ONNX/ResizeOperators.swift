import NNIR

/// `Resize` (and the older `Upsample`) with constant scales or sizes, both modes that are piecewise
/// linear in the input: `nearest` copies the input element each output element's coordinates map to
/// (a gather), `linear` interpolates between the two nearest elements along every axis (an affine
/// map with at most 2^rank weights per output). Coordinates are computed in Float32 as onnxruntime
/// computes them, for each `coordinate_transformation_mode` but `tf_crop_and_resize` and, in nearest
/// mode, each `nearest_mode`.
extension ONNXImporter {
    /// The output shape, per-axis scales and coordinate transformation of a Resize or Upsample node.
    private struct ResizeGeometry {
        var inShape: [Int]
        var outShape: [Int]
        var scales: [Float]
        var transform: String
    }

    mutating func lowerResize(_ n: NodeContext) throws -> Symbol {
        let x = try n.input(0)
        let geometry = try resizeGeometry(shape(of: x), n)
        switch try n.string("mode", default: "nearest") {
        case "nearest": return try nearestResized(x, geometry, n)
        case "linear", "bilinear": return try linearResized(x, geometry, n)
        case let mode: throw n.unsupported("\(n.node.opType) in mode '\(mode)' is not supported; modes 'nearest' and 'linear' are")
        }
    }

    private func resizeGeometry(_ s: [Int], _ n: NodeContext) throws -> ResizeGeometry {
        // Upsample and Resize of opset 10 take (X, scales); Resize from opset 11 takes (X, roi, scales, sizes).
        let twoInputForm = n.node.opType == "Upsample" || model.opset < 11
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
        } else if let given = try scalesInput ?? n.floats("scales") {
            guard given.count == axes.count, given.allSatisfy({ $0 > 0 }) else { throw n.fail("scales \(given) must give a positive scale for each of the axes \(axes)") }
            for (axis, scale) in zip(axes, given) {
                let size = (Float(s[axis]) * Float(scale)).rounded(.down)
                guard size.isFinite, size <= Float(ONNXTensorRef.elementLimit) else {
                    throw n.fail("scale \(scale) makes axis \(axis) of size \(s[axis]) too large")
                }
                scales[axis] = Float(scale)
                outShape[axis] = Int(size)
            }
        } else {
            throw n.fail("\(n.node.opType) needs constant scales or sizes")
        }
        guard outShape.allSatisfy({ $0 > 0 }), Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else {
            throw n.fail("the resized shape \(Shape.describe(outShape)) is empty or too large")
        }
        // Resize of opset 10 and Upsample have no such attribute: their coordinates are asymmetric (and nearest rounds down).
        let transform = try n.string("coordinate_transformation_mode", default: Self.isLegacyResize(n, model.opset) ? "asymmetric" : "half_pixel")
        return ResizeGeometry(inShape: s, outShape: outShape, scales: scales, transform: transform)
    }

    /// Whether the node is Upsample or Resize of opset 10, whose coordinates are asymmetric and whose
    /// nearest mode rounds down (ONNX's version converter and onnxruntime read them so).
    private static func isLegacyResize(_ n: NodeContext, _ opset: Int) -> Bool {
        n.node.opType == "Upsample" || opset < 11
    }

    /// Nearest mode: a gather.
    private mutating func nearestResized(_ x: Symbol, _ g: ResizeGeometry, _ n: NodeContext) throws -> Symbol {
        let rounding = try n.string("nearest_mode", default: Self.isLegacyResize(n, model.opset) ? "floor" : "round_prefer_floor")
        let strides = Shape.strides(g.inShape)
        let perAxis = try g.inShape.indices.map { axis in
            try (0..<g.outShape[axis]).map { o -> Int in
                let source = try Self.sourceCoordinate(o, inSize: g.inShape[axis], outSize: g.outShape[axis], scale: g.scales[axis],
                                                       transform: g.transform, n)
                let picked = try Self.nearest(source, rounding: rounding, n)
                return min(max(picked, 0), g.inShape[axis] - 1) * strides[axis]
            }
        }
        return gathered(x, indices: IndexMaps.combine(perAxis), shape: g.outShape, at: n.node)
    }

    /// Linear mode: along each axis the coordinate is clamped into the input, and the two elements
    /// around it get weights 1 − f and f (0.5 each when both are the last element, as onnxruntime
    /// does); an output's weights are the products over the axes.
    private mutating func linearResized(_ x: Symbol, _ g: ResizeGeometry, _ n: NodeContext) throws -> Symbol {
        guard try n.int("antialias", default: 0) == 0 else { throw n.unsupported("\(n.node.opType) with antialias=1 is not supported") }
        let strides = Shape.strides(g.inShape)
        let perAxis: [[[(offset: Int, weight: Float)]]] = try g.inShape.indices.map { axis in
            let size = g.inShape[axis]
            return try (0..<g.outShape[axis]).map { o in
                var c = try Self.sourceCoordinate(o, inSize: size, outSize: g.outShape[axis], scale: g.scales[axis], transform: g.transform, n)
                c = max(0, min(c, Float(size - 1)))
                let low = min(Int(c), size - 1), high = min(low + 1, size - 1)
                let (toLow, toHigh): (Float, Float) = low == high ? (0.5, 0.5) : (abs(c - Float(high)), abs(c - Float(low)))
                return [(low * strides[axis], toLow), (high * strides[axis], toHigh)].filter { $0.weight != 0 }
            }
        }
        // Every output's (input, weight) terms: the product over the axes, equal inputs merged.
        var rows: [[(offset: Int, weight: Float)]] = [[(0, 1)]]
        for axis in perAxis {
            rows = rows.flatMap { partial in axis.map { terms in partial.flatMap { p in terms.map { (p.offset + $0.offset, p.weight * $0.weight) } } } }
        }
        let merged = rows.map { terms in Dictionary(terms.map { ($0.offset, Double($0.weight)) }, uniquingKeysWith: +).sorted { $0.key < $1.key } }
        switch x {
        case .constant(let c):
            let values = merged.map { terms in terms.reduce(0) { $0 + $1.value * c.values[$1.key] } }
            return .constant(ConstantTensor(shape: g.outShape, values: values, isInteger: false))
        case .value(let id):
            let entries = merged.enumerated().flatMap { row, terms in terms.map { (row, $0.key, $0.value) } }
            let matrix = SparseMatrix(rows: merged.count, columns: graph[id].elementCount, rowOrderedEntries: entries)
            return .value(emit(.affine(Affine(weights: .sparse(matrix), bias: Array(repeating: 0, count: merged.count))), [id],
                               shape: g.outShape, at: n.node))
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

}
