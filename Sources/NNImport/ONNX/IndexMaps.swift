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
        // A broadcast axis reads the same source element all along it: stride 0.
        return strided(output, strides: output.indices.map { padded[$0] == 1 ? 0 : sourceStrides[$0] })
    }

    /// `Transpose`: output axis `i` is input axis `perm[i]`.
    static func transpose(_ shape: [Int], perm: [Int]) -> (shape: [Int], indices: [Int]) {
        let inStrides = Shape.strides(shape)
        let outShape = perm.map { shape[$0] }
        return (outShape, strided(outShape, strides: perm.map { inStrides[$0] }))
    }

    /// `sum(index[axis] * strides[axis])` for every multi-index of `shape`, in
    /// row-major order, counted with an odometer (no allocation per element).
    static func strided(_ shape: [Int], strides: [Int]) -> [Int] {
        let count = Shape.count(shape)
        var result = [Int]()
        result.reserveCapacity(count)
        guard count > 0 else { return result }
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for _ in 0..<count {
            result.append(offset)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
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
