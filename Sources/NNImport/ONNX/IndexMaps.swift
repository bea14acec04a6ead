import NNIR

/// Index arithmetic for operations that only move data (transpose, pad,
/// slice, gather, broadcast): each returns, for every flat output position,
/// the flat input position it reads, or -1 for a constant zero.
///
/// All of them are one pattern: each output axis contributes an offset per
/// coordinate (or -1 where the coordinate falls outside the input), and the
/// flat input position is the sum over axes. `combine` builds that table in
/// one pass without allocating per element; large paddings stay fast.
enum IndexMaps {
    /// NumPy broadcasting of two shapes, or nil if they are incompatible.
    static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out: [Int] = []
        for (x, y) in zip(pa, pb) {
            if x == y || y == 1 { out.append(x) } else if x == 1 { out.append(y) } else { return nil }
        }
        return out
    }

    /// NumPy broadcasting of any number of shapes, or nil if they are incompatible.
    static func broadcastShape(_ shapes: [[Int]]) -> [Int]? {
        shapes.dropFirst().reduce(shapes.first) { result, next in result.flatMap { broadcastShape($0, next) } }
    }

    /// For each element of `output`, the element of a tensor of shape `source` that broadcasts to it.
    static func broadcast(from source: [Int], to output: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: output.count - source.count) + source
        let sourceStrides = Shape.strides(padded)
        // A broadcast axis reads the same source element all along it.
        return combine(output.indices.map { axis in
            (0..<output[axis]).map { padded[axis] == 1 ? 0 : $0 * sourceStrides[axis] }
        })
    }

    /// `Transpose`: output axis `i` is input axis `perm[i]`.
    static func transpose(_ shape: [Int], perm: [Int]) -> (shape: [Int], indices: [Int]) {
        let inStrides = Shape.strides(shape)
        let outShape = perm.map { shape[$0] }
        return (outShape, combine(perm.map { axis in (0..<shape[axis]).map { $0 * inStrides[axis] } }))
    }

    /// `Pad` in constant mode: `pads` are begins then ends per axis (negative crops).
    /// Nil when the result would have a negative size or more than `elementLimit` elements.
    static func pad(_ shape: [Int], pads: [Int], elementLimit: Int) -> (shape: [Int], indices: [Int])? {
        let rank = shape.count
        let outShape = (0..<rank).map { shape[$0] + pads[$0] + pads[$0 + rank] }
        guard Shape.elementCount(outShape, limit: elementLimit) != nil else { return nil }
        let inStrides = Shape.strides(shape)
        let perAxis = (0..<rank).map { axis in
            (0..<outShape[axis]).map { o -> Int in
                let i = o - pads[axis]
                return (0..<shape[axis]).contains(i) ? i * inStrides[axis] : -1
            }
        }
        return (outShape, combine(perAxis))
    }

    /// For each element of `output`, the element of a part of shape `part` placed along `axis` at
    /// `offset` (as Concat places its parts), or -1 outside the part.
    static func placement(of part: [Int], along axis: Int, at offset: Int, in output: [Int]) -> [Int] {
        let strides = Shape.strides(part)
        return combine(output.indices.map { a in
            (0..<output[a]).map { o -> Int in
                guard a == axis else { return o * strides[a] }
                return (0..<part[a]).contains(o - offset) ? (o - offset) * strides[a] : -1
            }
        })
    }

    /// `Slice` with per-axis start, end and step already normalized; axes not listed are kept whole.
    static func slice(_ shape: [Int], ranges: [Int: StrideTo<Int>]) -> (shape: [Int], indices: [Int]) {
        let inStrides = Shape.strides(shape)
        let perAxis = shape.indices.map { axis in
            (ranges[axis].map(Array.init) ?? Array(0..<shape[axis])).map { $0 * inStrides[axis] }
        }
        return (perAxis.map(\.count), combine(perAxis))
    }

    /// `Gather` along `axis` with (already non-negative) `picks` of shape `pickShape`.
    static func gather(_ shape: [Int], axis: Int, picks: [Int], pickShape: [Int]) -> (shape: [Int], indices: [Int]) {
        let inStrides = Shape.strides(shape)
        var perAxis = shape.indices.map { a in (0..<shape[a]).map { $0 * inStrides[a] } }
        perAxis[axis] = picks.map { $0 * inStrides[axis] }  // the picks act as one axis, reshaped afterwards
        let outShape = Array(shape[..<axis]) + pickShape + Array(shape[(axis + 1)...])
        return (outShape, combine(perAxis))
    }

    /// The row-major table of `sum over axes of perAxis[axis][coordinate]`,
    /// -1 wherever any axis contributes -1.
    static func combine(_ perAxis: [[Int]]) -> [Int] {
        var result = [0]
        for contributions in perAxis {
            var next: [Int] = []
            next.reserveCapacity(result.count * contributions.count)
            for base in result {
                for c in contributions { next.append(base < 0 || c < 0 ? -1 : base + c) }
            }
            result = next
        }
        return result
    }
}
