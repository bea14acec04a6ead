import NNIR

/// Index arithmetic for operations that only move data (transpose, pad,
/// slice, gather, broadcast): each returns, for every flat output position,
/// the flat input position it reads, or -1 for a constant zero.
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

    /// For each element of `output`, the element of a tensor of shape `source` that broadcasts to it.
    static func broadcast(from source: [Int], to output: [Int]) -> [Int] {
        let padded = [Int](repeating: 1, count: output.count - source.count) + source
        let sourceStrides = Shape.strides(padded)
        return (0..<Shape.count(output)).map { flat in
            let index = Shape.unflatten(flat, output)
            var at = 0
            for axis in 0..<output.count where padded[axis] != 1 { at += index[axis] * sourceStrides[axis] }
            return at
        }
    }

    /// `Transpose`: output axis `i` is input axis `perm[i]`.
    static func transpose(_ shape: [Int], perm: [Int]) -> (shape: [Int], indices: [Int]) {
        let outShape = perm.map { shape[$0] }
        let inStrides = Shape.strides(shape)
        let indices = (0..<Shape.count(outShape)).map { flat in
            let index = Shape.unflatten(flat, outShape)
            return zip(perm, index).reduce(0) { $0 + inStrides[$1.0] * $1.1 }
        }
        return (outShape, indices)
    }

    /// `Pad` in constant mode: `pads` are begins then ends per axis (negative crops).
    static func pad(_ shape: [Int], pads: [Int]) -> (shape: [Int], indices: [Int])? {
        let rank = shape.count
        let outShape = (0..<rank).map { shape[$0] + pads[$0] + pads[$0 + rank] }
        guard outShape.allSatisfy({ $0 >= 0 }) else { return nil }
        let inStrides = Shape.strides(shape)
        let indices = (0..<Shape.count(outShape)).map { flat -> Int in
            let index = Shape.unflatten(flat, outShape)
            var at = 0
            for axis in 0..<rank {
                let i = index[axis] - pads[axis]
                if i < 0 || i >= shape[axis] { return -1 }
                at += i * inStrides[axis]
            }
            return at
        }
        return (outShape, indices)
    }

    /// `Slice` with per-axis start, end and step already normalised; axes not listed are kept whole.
    static func slice(_ shape: [Int], ranges: [Int: StrideTo<Int>]) -> (shape: [Int], indices: [Int]) {
        let positions = shape.indices.map { axis in ranges[axis].map(Array.init) ?? Array(0..<shape[axis]) }
        let outShape = positions.map(\.count)
        let inStrides = Shape.strides(shape)
        let indices = (0..<Shape.count(outShape)).map { flat in
            let index = Shape.unflatten(flat, outShape)
            return shape.indices.reduce(0) { $0 + positions[$1][index[$1]] * inStrides[$1] }
        }
        return (outShape, indices)
    }

    /// `Gather` along `axis` with (already non-negative) `picks` of shape `pickShape`.
    static func gather(_ shape: [Int], axis: Int, picks: [Int], pickShape: [Int]) -> (shape: [Int], indices: [Int]) {
        let outer = Shape.count(Array(shape[..<axis]))
        let inner = Shape.count(Array(shape[(axis + 1)...]))
        let outShape = Array(shape[..<axis]) + pickShape + Array(shape[(axis + 1)...])
        var indices: [Int] = []
        indices.reserveCapacity(outer * picks.count * inner)
        for o in 0..<outer {
            for p in picks {
                for i in 0..<inner { indices.append((o * shape[axis] + p) * inner + i) }
            }
        }
        return (outShape, indices)
    }
}
