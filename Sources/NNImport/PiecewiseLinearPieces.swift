import NNIR

/// The pieces both front ends build piecewise-linear operators from, appended to the graph with
/// the shape of their operand and the location of the node or layer they come from:
/// `max(a, b) = b + relu(a − b)`, `min(a, b) = a − relu(a − b)`, their forms with constants,
/// `abs(x) = 2·relu(x) − x` and `prelu(x) = s·x + (1 − s)·relu(x)`. Each is exact, with one ReLU
/// per element; a piece that is stable over the bounded domain costs no binary.
extension Graph {
    /// `scale * x + shift`, element-wise (`x` itself when that is the identity).
    mutating func scaled(_ x: ValueID, scale: [Double], shift: [Double], location: String) -> ValueID {
        if scale.allSatisfy({ $0 == 1 }) && shift.allSatisfy({ $0 == 0 }) { return x }
        return append(Node(operation: .scaleShift(scale: scale, shift: shift), operands: [x], shape: self[x].shape, location: location))
    }

    /// `scale * x + shift` with one scale and shift for every element.
    mutating func scaled(_ x: ValueID, by scale: Double, plus shift: Double = 0, location: String) -> ValueID {
        let count = self[x].elementCount
        return scaled(x, scale: Array(repeating: scale, count: count), shift: Array(repeating: shift, count: count), location: location)
    }

    /// `a + b` for two values of the same size.
    mutating func added(_ a: ValueID, _ b: ValueID, location: String) -> ValueID {
        append(Node(operation: .add, operands: [a, b], shape: self[a].shape, location: location))
    }

    /// `max(x, 0)`.
    mutating func rectified(_ x: ValueID, location: String) -> ValueID {
        append(Node(operation: .relu, operands: [x], shape: self[x].shape, location: location))
    }

    /// `max(a, b) = b + relu(a − b)`, element-wise, for values of the same size.
    mutating func maximum(_ a: ValueID, _ b: ValueID, location: String) -> ValueID {
        let excess = rectified(added(a, scaled(b, by: -1, location: location), location: location), location: location)
        return added(b, excess, location: location)
    }

    /// `min(a, b) = a − relu(a − b)`, element-wise, for values of the same size.
    mutating func minimum(_ a: ValueID, _ b: ValueID, location: String) -> ValueID {
        let excess = rectified(added(a, scaled(b, by: -1, location: location), location: location), location: location)
        return added(a, scaled(excess, by: -1, location: location), location: location)
    }

    /// `max(x, c) = c + relu(x − c)`, element-wise with constants `c` (`relu(x)` when `c` is 0).
    mutating func maximum(_ x: ValueID, constants c: [Double], location: String) -> ValueID {
        let ones = Array(repeating: 1.0, count: c.count)
        let excess = rectified(scaled(x, scale: ones, shift: c.map { -$0 }, location: location), location: location)
        return scaled(excess, scale: ones, shift: c, location: location)
    }

    /// `min(x, c) = c − relu(c − x)`, element-wise with constants `c`.
    mutating func minimum(_ x: ValueID, constants c: [Double], location: String) -> ValueID {
        let minusOnes = Array(repeating: -1.0, count: c.count)
        let shortfall = rectified(scaled(x, scale: minusOnes, shift: c, location: location), location: location)
        return scaled(shortfall, scale: minusOnes, shift: c, location: location)
    }

    /// `min(max(x, low), high)` with either end open (nil): `low + relu(x − low) − relu(x − high)`
    /// with both ends, both ReLUs on `x` itself, so that each gets the bounds of `x` (nesting a min
    /// over a max would bound the second through the first's relaxation); `high` everywhere when
    /// `low >= high`, as ONNX's Clip defines it.
    mutating func clamped(_ x: ValueID, low: Double?, high: Double?, location: String) -> ValueID {
        let count = self[x].elementCount
        switch (low, high) {
        case (nil, nil):
            return x
        case (let low?, nil):
            return maximum(x, constants: Array(repeating: low, count: count), location: location)
        case (nil, let high?):
            return minimum(x, constants: Array(repeating: high, count: count), location: location)
        case (let low?, let high?) where low >= high:
            return scaled(x, by: 0, plus: high, location: location)
        case (let low?, let high?):
            let above = rectified(scaled(x, by: 1, plus: -low, location: location), location: location)
            let beyond = rectified(scaled(x, by: 1, plus: -high, location: location), location: location)
            return scaled(added(above, scaled(beyond, by: -1, location: location), location: location), by: 1, plus: low, location: location)
        }
    }

    /// Whether a constant end of a clip, max or min leaves that side open: an infinity, or a
    /// magnitude of Float32's largest (Clip's default ends in opset 6), which no input reaches.
    static func isOpenEnd(_ c: Double) -> Bool {
        !c.isFinite || abs(c) >= Double(Float.greatestFiniteMagnitude)
    }

    /// `|x| = 2·relu(x) − x`.
    mutating func absolute(_ x: ValueID, location: String) -> ValueID {
        let doubled = scaled(rectified(x, location: location), by: 2, location: location)
        return added(doubled, scaled(x, by: -1, location: location), location: location)
    }

    /// `x` where `x >= 0`, `s * x` elsewhere, with one slope per element: the IR's leaky ReLU when
    /// every slope is the same one in [0, 1], else `s·x + (1 − s)·relu(x)`.
    mutating func parametricRectified(_ x: ValueID, slopes s: [Double], location: String) -> ValueID {
        if let first = s.first, s.allSatisfy({ $0 == first }), (0...1).contains(first) {
            return append(Node(operation: .leakyRelu(alpha: first), operands: [x], shape: self[x].shape, location: location))
        }
        let zeros = Array(repeating: 0.0, count: s.count)
        let linear = scaled(x, scale: s, shift: zeros, location: location)
        let rest = scaled(rectified(x, location: location), scale: s.map { 1 - $0 }, shift: zeros, location: location)
        return added(linear, rest, location: location)
    }

    /// The maximum (or, not `maximum`, the mean) over each channel's whole plane of a `[1, C, H, W]`
    /// value, as `[1, C, 1, 1]`: one pooling window as large as the plane.
    mutating func pooledPlanes(_ x: ValueID, maximum: Bool, location: String) -> ValueID {
        let shape = self[x].shape
        let window = Window2D(kernel: [shape[2], shape[3]], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1])
        let operation: Operation = maximum ? .maxPool(Pooling(window: window)) : .averagePool(Pooling(window: window), countIncludePad: false)
        return append(Node(operation: operation, operands: [x], shape: [1, shape[1], 1, 1], location: location))
    }
}
