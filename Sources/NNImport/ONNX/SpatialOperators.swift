import NNIR

/// `Conv` and the pooling operators over `[1, C, H, W]` values.
extension ONNXImporter {
    /// `Conv` (2-D): pads, strides, dilations, `auto_pad`, optional bias, groups.
    mutating func lowerConv(_ n: NodeContext) throws -> Symbol {
        let x = try n.value(0)
        let xShape = try spatialShape(x, n)
        let w = try n.constant(1, "the kernel W")
        guard w.shape.count == 4 else { throw n.unsupported("only 2-D convolutions are supported (kernel \(Shape.describe(w.shape)))") }
        let groups = try n.int("group", default: 1)
        guard groups >= 1, groups <= xShape[1], xShape[1] % groups == 0, w.shape[1] == xShape[1] / groups, w.shape[0] % groups == 0 else {
            throw n.fail("kernel \(Shape.describe(w.shape)) with group=\(groups) does not fit an input of \(xShape[1]) channels")
        }
        if let kernel = try n.ints("kernel_shape"), kernel != Array(w.shape[2...]) {
            throw n.fail("kernel_shape \(kernel) does not match the kernel \(Shape.describe(w.shape))")
        }
        let bias = try n.optionalConstant(2, "the bias B")?.values ?? .init(repeating: 0, count: w.shape[0])
        guard bias.count == w.shape[0] else { throw n.fail("bias has \(bias.count) values for \(w.shape[0]) output channels") }
        let window = try window(n, kernel: Array(w.shape[2...]), input: xShape, ceilMode: false)
        let outShape = try outputShape(n, xShape, channels: w.shape[0], window, ceilMode: false)
        let conv = Convolution(weights: w.values, outChannels: w.shape[0], groups: groups, bias: bias, window: window)
        return .value(emit(.convolution(conv), [x], shape: outShape, at: n.node))
    }

    /// `MaxPool`, `AveragePool` (`count_include_pad`) and `GlobalAveragePool`.
    mutating func lowerPool(_ n: NodeContext) throws -> Symbol {
        let x = try n.value(0)
        let xShape = try spatialShape(x, n)
        let op = n.node.opType
        let ceilMode = try n.int("ceil_mode", default: 0) != 0
        let window: Window2D
        if op == "GlobalAveragePool" || op == "GlobalMaxPool" {
            window = Window2D(kernel: [xShape[2], xShape[3]], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1])
        } else {
            guard let kernel = try n.ints("kernel_shape"), kernel.count == 2 else {
                throw n.fail("\(op) needs a 2-D kernel_shape (got \(try n.ints("kernel_shape").map { "\($0)" } ?? "none"))")
            }
            window = try self.window(n, kernel: kernel, input: xShape, ceilMode: ceilMode)
        }
        let outShape = try outputShape(n, xShape, channels: xShape[1], window, ceilMode: ceilMode)
        let pooling = Pooling(window: window)
        let operation: Operation = op == "MaxPool" || op == "GlobalMaxPool"
            ? .maxPool(pooling)
            : .averagePool(pooling, countIncludePad: try n.int("count_include_pad", default: 0) != 0)
        return .value(emit(operation, [x], shape: outShape, at: n.node))
    }

    /// The input shape, which must be `[1, C, H, W]`.
    private func spatialShape(_ x: ValueID, _ n: NodeContext) throws -> [Int] {
        let s = graph[x].shape
        guard s.count == 4 else {
            throw n.unsupported("\(n.node.opType) needs a 4-D [N, C, H, W] input, got \(Shape.describe(s)); only 2-D spatial operators are supported")
        }
        guard s[0] == 1 else { throw n.unsupported("batch size \(s[0]) is not supported; nnmip encodes one sample") }
        return s
    }

    /// Strides, dilations and padding from the attributes, resolving `auto_pad`.
    private func window(_ n: NodeContext, kernel: [Int], input: [Int], ceilMode: Bool) throws -> Window2D {
        let strides = try n.ints("strides") ?? [1, 1]
        let dilations = try n.ints("dilations") ?? [1, 1]
        let inRange = { (v: Int) in v > 0 && v <= Window2D.sizeLimit }
        guard strides.count == 2, dilations.count == 2, kernel.count == 2, strides.allSatisfy(inRange), dilations.allSatisfy(inRange),
              kernel.allSatisfy(inRange) else {
            throw n.fail("invalid strides \(strides), dilations \(dilations) or kernel \(kernel) for a 2-D operator")
        }
        var pads = [0, 0, 0, 0]
        switch try n.string("auto_pad", default: "NOTSET") {
        case "NOTSET":
            pads = try n.ints("pads") ?? pads
        case "VALID":
            pads = [0, 0, 0, 0]
        case let mode where mode == "SAME_UPPER" || mode == "SAME_LOWER":
            for axis in 0..<2 {
                let size = input[2 + axis]
                let outSize = (size + strides[axis] - 1) / strides[axis]
                let span = (kernel[axis] - 1) * dilations[axis] + 1
                let total = max(0, (outSize - 1) * strides[axis] + span - size)
                let small = total / 2
                (pads[axis], pads[axis + 2]) = mode == "SAME_UPPER" ? (small, total - small) : (total - small, small)
            }
        case let mode:
            throw n.fail("unknown auto_pad '\(mode)'")
        }
        guard pads.count == 4, pads.allSatisfy({ $0 >= 0 && $0 <= Window2D.sizeLimit }) else {
            throw n.fail("pads \(pads) must be 4 non-negative numbers")
        }
        return Window2D(kernel: kernel, strides: strides, pads: pads, dilations: dilations)
    }

    private func outputShape(_ n: NodeContext, _ input: [Int], channels: Int, _ window: Window2D, ceilMode: Bool) throws -> [Int] {
        guard let h = window.outputSize(axis: 0, inputSize: input[2], ceilMode: ceilMode),
              let w = window.outputSize(axis: 1, inputSize: input[3], ceilMode: ceilMode), h > 0, w > 0 else {
            throw n.fail("the window (kernel \(window.kernel), pads \(window.pads), dilations \(window.dilations)) does not fit the input \(Shape.describe(input))")
        }
        guard Shape.elementCount([channels, h, w], limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        return [1, channels, h, w]
    }
}
