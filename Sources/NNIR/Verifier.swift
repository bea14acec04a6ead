/// Checks the invariants every pass and back end relies on: operands defined
/// before use, shapes that agree with weights, finite parameters, ordered
/// bounds without NaN.
///
/// Front ends run it on what they build, the pass manager after each pass
/// under `--verify-each`, and every test on every graph it touches.
public enum Verifier {
    /// Throws a `Diagnostic` naming the first node that breaks an invariant.
    public static func verify(_ graph: Graph) throws {
        for index in graph.nodes.indices {
            try verifyNode(graph, index)
        }
        guard !graph.outputs.isEmpty else {
            throw Diagnostic(.malformedInput, "the graph has no outputs")
        }
        for output in graph.outputs where !graph.nodes.indices.contains(output.value.index) {
            throw Diagnostic(.malformedInput, location: "output '\(output.name)'", "refers to undefined value \(output.value)")
        }
    }

    private static func verifyNode(_ graph: Graph, _ index: Int) throws {
        let node = graph.nodes[index]
        let place = "\(ValueID(index)) (\(node.operation.keyword)\(node.location.map { " from '\($0)'" } ?? ""))"
        func fail(_ message: String) -> Diagnostic { Diagnostic(.malformedInput, location: place, message) }

        guard node.operands.count == node.operation.operandCount else {
            throw fail("expects \(node.operation.operandCount) operand(s), has \(node.operands.count)")
        }
        for operand in node.operands where !(0..<index).contains(operand.index) {
            throw fail("operand \(operand) is not defined before use")
        }
        guard let count = Shape.elementCount(node.shape) else {
            throw fail("invalid shape \(Shape.describe(node.shape))")
        }
        let inShapes = node.operands.map { graph[$0].shape }
        let inCounts = inShapes.map(Shape.count)

        switch node.operation {
        case .input:
            break
        case .affine(let affine):
            let w = affine.weights
            guard w.columns == inCounts[0], w.rows == count else {
                throw fail("weights are \(w.rows)x\(w.columns) but map \(inCounts[0]) inputs to \(count) outputs")
            }
            guard affine.bias.count == count else { throw fail("bias has \(affine.bias.count) values, expected \(count)") }
            switch w {
            case .dense(let rows, let columns, let values):
                guard values.count == Shape.product(rows, columns) else { throw fail("dense weights hold \(values.count) values, expected \(rows)x\(columns)") }
                try requireFinite(values, "weights", fail)
            case .sparse(let m):
                guard m.rowStart.count == m.rows + 1, m.rowStart.first == 0, m.rowStart.last == m.values.count,
                      m.columnIndex.count == m.values.count,
                      zip(m.rowStart, m.rowStart.dropFirst()).allSatisfy({ $0 <= $1 }),
                      m.columnIndex.allSatisfy({ (0..<m.columns).contains($0) })
                else { throw fail("sparse weights are not a valid CSR matrix") }
                try requireFinite(m.values, "weights", fail)
            }
            try requireFinite(affine.bias, "bias", fail)
        case .convolution(let conv):
            try checkWindow(conv.window, inShape: inShapes[0], fail)
            let channels = inShapes[0][inShapes[0].count - 3]
            guard conv.groups > 0, channels % conv.groups == 0, conv.outChannels % conv.groups == 0 else {
                throw fail("\(channels) input and \(conv.outChannels) output channels do not split into \(conv.groups) groups")
            }
            let expected = Shape.product(conv.outChannels, channels / conv.groups, conv.window.kernel[0], conv.window.kernel[1])
            guard conv.weights.count == expected else {
                throw fail("kernel holds \(conv.weights.count) values, expected \(conv.outChannels)x\(channels / conv.groups)x\(conv.window.kernel[0])x\(conv.window.kernel[1])")
            }
            guard conv.bias.count == conv.outChannels else { throw fail("bias has \(conv.bias.count) values, expected \(conv.outChannels)") }
            try requireFinite(conv.weights, "kernel", fail)
            try requireFinite(conv.bias, "bias", fail)
            try checkSpatialOutput(node.shape, inShape: inShapes[0], channels: conv.outChannels, window: conv.window, fail)
        case .maxPool(let pool), .averagePool(let pool, _):
            try checkWindow(pool.window, inShape: inShapes[0], fail)
            let channels = inShapes[0][inShapes[0].count - 3]
            try checkSpatialOutput(node.shape, inShape: inShapes[0], channels: channels, window: pool.window, fail)
        case .relu, .leakyRelu, .reshape:
            guard inCounts[0] == count else { throw fail("operand has \(inCounts[0]) elements, result \(count)") }
            if case .leakyRelu(let alpha) = node.operation, !alpha.isFinite { throw fail("alpha is not finite") }
        case .scaleShift(let scale, let shift):
            guard inCounts[0] == count, scale.count == count, shift.count == count else {
                throw fail("scale, shift, operand and result must all have \(count) elements")
            }
            try requireFinite(scale, "scale", fail)
            try requireFinite(shift, "shift", fail)
        case .gather(let indices):
            guard indices.count == count else { throw fail("has \(indices.count) indices for \(count) elements") }
            guard indices.allSatisfy({ $0 >= -1 && $0 < inCounts[0] }) else { throw fail("index out of range 0..<\(inCounts[0])") }
        case .add:
            guard inCounts[0] == count, inCounts[1] == count else { throw fail("operands of \(inCounts[0]) and \(inCounts[1]) elements, result \(count)") }
        }

        if let bounds = node.bounds {
            guard bounds.lower.count == count, bounds.upper.count == count else {
                throw fail("bounds have \(bounds.lower.count)/\(bounds.upper.count) entries, expected \(count)")
            }
            for i in 0..<count {
                let (lo, hi) = (bounds.lower[i], bounds.upper[i])
                guard !lo.isNaN, !hi.isNaN else { throw fail("bound of element \(i) is NaN") }
                guard lo <= hi else { throw fail("element \(i) has lower bound \(lo) above upper bound \(hi)") }
            }
        }
    }

    private static func requireFinite(_ values: [Double], _ what: String, _ fail: (String) -> Diagnostic) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw fail("\(what) value \(i) is \(values[i]); weights must be finite")
        }
    }

    private static func checkWindow(_ w: Window2D, inShape: [Int], _ fail: (String) -> Diagnostic) throws {
        guard inShape.count == 3 || (inShape.count == 4 && inShape[0] == 1) else {
            throw fail("spatial operations need a [C, H, W] or [1, C, H, W] operand, got \(Shape.describe(inShape))")
        }
        guard w.kernel.count == 2, w.strides.count == 2, w.dilations.count == 2, w.pads.count == 4,
              w.kernel.allSatisfy({ (1...Window2D.sizeLimit).contains($0) }), w.strides.allSatisfy({ (1...Window2D.sizeLimit).contains($0) }),
              w.dilations.allSatisfy({ (1...Window2D.sizeLimit).contains($0) }), w.pads.allSatisfy({ (0...Window2D.sizeLimit).contains($0) })
        else { throw fail("invalid window (kernel \(w.kernel), strides \(w.strides), pads \(w.pads), dilations \(w.dilations))") }
    }

    private static func checkSpatialOutput(_ shape: [Int], inShape: [Int], channels: Int, window: Window2D,
                                           _ fail: (String) -> Diagnostic) throws {
        let r = inShape.count
        let accepted = [false, true].compactMap { ceil -> [Int]? in
            guard let h = window.outputSize(axis: 0, inputSize: inShape[r - 2], ceilMode: ceil),
                  let w = window.outputSize(axis: 1, inputSize: inShape[r - 1], ceilMode: ceil) else { return nil }
            return Array(inShape.dropLast(3)) + [channels, h, w]
        }
        guard accepted.contains(shape) else {
            throw fail("result shape \(Shape.describe(shape)) does not follow from operand \(Shape.describe(inShape)) and the window")
        }
    }
}
