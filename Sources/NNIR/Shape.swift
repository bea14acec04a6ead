/// Static tensor shapes and the row-major index arithmetic the IR uses.
///
/// Every tensor in the IR is stored flat in row-major (C) order, as ONNX and
/// NumPy store it; a shape only says how to read that flat vector.
public enum Shape {
    /// The number of elements of a tensor of shape `dims`, or nil when the
    /// product overflows or exceeds `limit` (used to refuse absurd sizes from files).
    /// Each dimension must also be at most `limit`, so that products of a
    /// few dimensions of a zero-sized tensor cannot overflow either.
    public static func elementCount(_ dims: [Int], limit: Int = Int.max) -> Int? {
        var count = 1
        for d in dims {
            guard d >= 0, d <= limit else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow || product > limit { return nil }
            count = product
        }
        return count
    }

    /// The product of `factors`, or nil if it overflows (for sizes read from files).
    public static func product(_ factors: Int...) -> Int? {
        var result = 1
        for f in factors {
            let (p, overflow) = result.multipliedReportingOverflow(by: f)
            if overflow { return nil }
            result = p
        }
        return result
    }

    /// The number of elements of a shape already known to be valid.
    public static func count(_ dims: [Int]) -> Int {
        dims.reduce(1, *)
    }

    /// Row-major strides of `dims`: the flat distance between neighbors along each axis.
    public static func strides(_ dims: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: dims.count)
        var step = 1
        for axis in stride(from: dims.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= dims[axis]
        }
        return strides
    }

    /// Text form used in diagnostics and the IR: `[1, 784]`.
    public static func describe(_ dims: [Int]) -> String {
        "[" + dims.map(String.init).joined(separator: ", ") + "]"
    }
}
