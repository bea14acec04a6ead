/// The `Verifier`'s checks of one node: its structure on creation, then one
/// check per operation kind and one of its bounds. Each throws a `Diagnostic`
/// that names the node.
struct NodeCheck {
    /// The node checked.
    let node: Node
    /// Its number of elements.
    let count: Int
    /// Its operands' shapes.
    let inShapes: [[Int]]
    /// Its operands' numbers of elements.
    let inCounts: [Int]
    /// How diagnostics name the node: `%3 (affine from 'fc1')`.
    private let place: String

    /// Checks the structure of node `index` (operand count, operands defined before use, a valid shape).
    init(_ graph: Graph, _ index: Int) throws {
        let node = graph.nodes[index]
        let place = "\(ValueID(index)) (\(node.operation.keyword)\(node.location.map { " from '\($0)'" } ?? ""))"
        func fail(_ message: String) -> Diagnostic { Self.diagnostic(place, message) }
        guard node.operands.count == node.operation.operandCount else {
            throw fail("expects \(node.operation.operandCount) operand(s), has \(node.operands.count)")
        }
        for operand in node.operands where !(0..<index).contains(operand.index) {
            throw fail("operand \(operand) is not defined before use")
        }
        guard let count = Shape.elementCount(node.shape) else {
            throw fail("invalid shape \(Shape.describe(node.shape))")
        }
        self.node = node
        self.place = place
        self.count = count
        inShapes = node.operands.map { graph[$0].shape }
        inCounts = inShapes.map(Shape.count)
    }

    /// A diagnostic about this node.
    func fail(_ message: String) -> Diagnostic {
        Self.diagnostic(place, message)
    }

    /// A malformed-input diagnostic located at `place`.
    private static func diagnostic(_ place: String, _ message: String) -> Diagnostic {
        Diagnostic(.malformedInput, location: place, message)
    }

    /// Weights that map the operand to the result, a bias per result element, all finite.
    func affine(_ affine: Affine) throws {
        let w = affine.weights
        guard w.columns == inCounts[0], w.rows == count else {
            throw fail("weights are \(w.rows)x\(w.columns) but map \(inCounts[0]) inputs to \(count) outputs")
        }
        guard affine.bias.count == count else { throw fail("bias has \(affine.bias.count) values, expected \(count)") }
        switch w {
        case .dense(let rows, let columns, let values):
            guard values.count == Shape.product(rows, columns) else { throw fail("dense weights hold \(values.count) values, expected \(rows)x\(columns)") }
            try requireFinite(values, "weights")
        case .sparse(let m):
            guard m.rowStart.count == m.rows + 1, m.rowStart.first == 0, m.rowStart.last == m.values.count,
                  m.columnIndex.count == m.values.count,
                  zip(m.rowStart, m.rowStart.dropFirst()).allSatisfy({ $0 <= $1 }),
                  m.columnIndex.allSatisfy({ (0..<m.columns).contains($0) })
            else { throw fail("sparse weights are not a valid CSR matrix") }
            try requireFinite(m.values, "weights")
        }
        try requireFinite(affine.bias, "bias")
    }

    /// A valid window, channels that split into the groups, a kernel and bias of the right
    /// size, all finite, and the result shape the window gives.
    func convolution(_ conv: Convolution) throws {
        try window(conv.window)
        let channels = inShapes[0][inShapes[0].count - 3]
        guard conv.groups > 0, channels % conv.groups == 0, conv.outChannels % conv.groups == 0 else {
            throw fail("\(channels) input and \(conv.outChannels) output channels do not split into \(conv.groups) groups")
        }
        let expected = Shape.product(conv.outChannels, channels / conv.groups, conv.window.kernel[0], conv.window.kernel[1])
        guard conv.weights.count == expected else {
            throw fail("kernel holds \(conv.weights.count) values, expected \(conv.outChannels)x\(channels / conv.groups)x\(conv.window.kernel[0])x\(conv.window.kernel[1])")
        }
        guard conv.bias.count == conv.outChannels else { throw fail("bias has \(conv.bias.count) values, expected \(conv.outChannels)") }
        try requireFinite(conv.weights, "kernel")
        try requireFinite(conv.bias, "bias")
        try spatialOutput(channels: conv.outChannels, window: conv.window)
    }

    /// A valid window and the result shape it gives.
    func pooling(_ pool: Pooling) throws {
        try window(pool.window)
        try spatialOutput(channels: inShapes[0][inShapes[0].count - 3], window: pool.window)
    }

    /// As many elements as the operand (element-wise operations and reshapes).
    func sameSize() throws {
        guard inCounts[0] == count else { throw fail("operand has \(inCounts[0]) elements, result \(count)") }
    }

    /// The same size as the operand and a finite slope.
    func leakyRelu(alpha: Double) throws {
        try sameSize()
        if !alpha.isFinite { throw fail("alpha is not finite") }
    }

    /// One finite `below <= 0 <= above` per element.
    func band(below: [Double], above: [Double]) throws {
        try sameSize()
        guard below.count == count, above.count == count else { throw fail("below and above must have \(count) elements") }
        if let k = below.indices.first(where: { !(below[$0].isFinite && above[$0].isFinite && below[$0] <= 0 && 0 <= above[$0]) }) {
            throw fail("band element \(k) is [\(below[k]), \(above[k])]; it must be finite and hold 0")
        }
    }

    /// Same size, and parameters for which the function's bounds hold.
    func smooth(_ function: SmoothFunction) throws {
        try sameSize()
        if !function.hasValidParameters { throw fail("\(function.name) needs finite parameters with alpha >= 0 and gamma > 0") }
    }

    /// A finite scale and shift per element.
    func scaleShift(scale: [Double], shift: [Double]) throws {
        guard inCounts[0] == count, scale.count == count, shift.count == count else {
            throw fail("scale, shift, operand and result must all have \(count) elements")
        }
        try requireFinite(scale, "scale")
        try requireFinite(shift, "shift")
    }

    /// One index per element, each an element of the operand or -1.
    func gather(_ indices: [Int]) throws {
        guard indices.count == count else { throw fail("has \(indices.count) indices for \(count) elements") }
        guard indices.allSatisfy({ $0 >= -1 && $0 < inCounts[0] }) else { throw fail("index out of range 0..<\(inCounts[0])") }
    }

    /// Two operands of the result's size.
    func add() throws {
        guard inCounts[0] == count, inCounts[1] == count else { throw fail("operands of \(inCounts[0]) and \(inCounts[1]) elements, result \(count)") }
    }

    /// Bounds, if any, of one pair per element, without NaN, lower <= upper.
    func bounds() throws {
        guard let bounds = node.bounds else { return }
        guard bounds.lower.count == count, bounds.upper.count == count else {
            throw fail("bounds have \(bounds.lower.count)/\(bounds.upper.count) entries, expected \(count)")
        }
        for i in 0..<count {
            let (lo, hi) = (bounds.lower[i], bounds.upper[i])
            guard !lo.isNaN, !hi.isNaN else { throw fail("bound of element \(i) is NaN") }
            guard lo <= hi else { throw fail("element \(i) has lower bound \(lo) above upper bound \(hi)") }
        }
    }

    private func requireFinite(_ values: [Double], _ what: String) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw fail("\(what) value \(i) is \(values[i]); weights must be finite")
        }
    }

    private func window(_ w: Window2D) throws {
        let inShape = inShapes[0]
        guard inShape.count == 3 || (inShape.count == 4 && inShape[0] == 1) else {
            throw fail("spatial operations need a [C, H, W] or [1, C, H, W] operand, got \(Shape.describe(inShape))")
        }
        guard w.kernel.count == 2, w.strides.count == 2, w.dilations.count == 2, w.pads.count == 4,
              w.kernel.allSatisfy({ (1...Window2D.sizeLimit).contains($0) }), w.strides.allSatisfy({ (1...Window2D.sizeLimit).contains($0) }),
              w.dilations.allSatisfy({ (1...Window2D.sizeLimit).contains($0) }), w.pads.allSatisfy({ (0...Window2D.sizeLimit).contains($0) })
        else { throw fail("invalid window (kernel \(w.kernel), strides \(w.strides), pads \(w.pads), dilations \(w.dilations))") }
    }

    private func spatialOutput(channels: Int, window: Window2D) throws {
        let inShape = inShapes[0], r = inShape.count
        let accepted = [false, true].compactMap { ceil -> [Int]? in
            guard let h = window.outputSize(axis: 0, inputSize: inShape[r - 2], ceilMode: ceil),
                  let w = window.outputSize(axis: 1, inputSize: inShape[r - 1], ceilMode: ceil) else { return nil }
            return Array(inShape.dropLast(3)) + [channels, h, w]
        }
        guard accepted.contains(node.shape) else {
            throw fail("result shape \(Shape.describe(node.shape)) does not follow from operand \(Shape.describe(inShape)) and the window")
        }
    }
}
