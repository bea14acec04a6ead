import NNIR

/// Operators that only copy elements, each an index map (`gather`, or a fold for constants):
/// Split, Expand, Tile, and Concat of computed values (a sum of gathers, each placing one part and
/// reading zero elsewhere). Resize is in ResizeOperators.swift.
extension ONNXImporter {
    /// `Split` along `axis` (0 by default) into the node's outputs: sizes from the optional
    /// constant input 1 (opset 13) or the `split` attribute, else `num_outputs` parts (opset 18;
    /// the last smaller when they do not divide the axis), else equal parts.
    mutating func lowerSplit(_ n: NodeContext) throws -> [Symbol] {
        let x = try n.input(0)
        let s = shape(of: x)
        let axis = try n.axis(try n.int("axis", default: 0), rank: s.count)
        let parts = n.node.outputs.count
        let sizes: [Int]
        if let given = try n.optionalConstant(1, "the split input")?.integers ?? n.ints("split") {
            sizes = given
        } else if let count = n.node.attributes["num_outputs"] != nil ? try n.int("num_outputs", default: parts) : nil {
            // opset 18: the last part is smaller when `num_outputs` does not divide the axis.
            guard count == parts, count > 0 else { throw n.fail("num_outputs \(count) does not match the node's \(parts) outputs") }
            let chunk = (s[axis] + parts - 1) / parts
            sizes = (0..<parts).map { max(0, min(chunk, s[axis] - $0 * chunk)) }
        } else {
            guard parts > 0, s[axis] % parts == 0 else {
                throw n.fail("axis \(axis) of length \(s[axis]) does not split into \(parts) equal parts, and no split sizes are given")
            }
            sizes = Array(repeating: s[axis] / parts, count: parts)
        }
        guard sizes.count == parts, sizes.allSatisfy({ $0 >= 0 && $0 <= s[axis] }), sizes.reduce(0, +) == s[axis] else {
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
        guard let outShape = Optional(zip(s, repeats).compactMap { Shape.product($0, $1) }), outShape.count == s.count,
              Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        let strides = Shape.strides(s)
        let indices = IndexMaps.combine(s.indices.map { axis in (0..<outShape[axis]).map { ($0 % s[axis]) * strides[axis] } })
        return gathered(x, indices: indices, shape: outShape, at: n.node)
    }

    /// `Concat` of parts some of which are computed values: each part is gathered into the
    /// output's layout (zero outside its own block), and the gathers are added; constant parts
    /// become the shift of a final element-wise affine.
    mutating func concatenatedValues(_ parts: [Symbol], axis: Int, shape outShape: [Int], _ n: NodeContext) -> Symbol {
        var offset = 0
        var sum: ValueID?
        var shift = [Double](repeating: 0, count: Shape.count(outShape))
        for part in parts {
            let placement = IndexMaps.placement(of: shape(of: part), along: axis, at: offset, in: outShape)
            offset += shape(of: part)[axis]
            switch gathered(part, indices: placement, shape: outShape, at: n.node) {
            case .constant(let c): shift = zip(shift, c.values).map(+)
            case .value(let id): sum = sum.map { graph.added($0, id, location: n.node.irLocation) } ?? id
            }
        }
        guard let sum else { return .constant(ConstantTensor(shape: outShape, values: shift, isInteger: false)) }
        return .value(graph.scaled(sum, scale: Array(repeating: 1, count: shift.count), shift: shift, location: n.node.irLocation))
    }
}
