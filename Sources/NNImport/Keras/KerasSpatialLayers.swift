import NNIR

/// Conv2D, pooling and ZeroPadding2D. Keras stores images as `[H, W, C]`
/// (channels_last, the default) or `[C, H, W]`; the IR's spatial operations
/// read `[1, C, H, W]`, so channels_last values are transposed in and out.
extension KerasImporter {
    /// The image geometry of a rank-3 operand under the layer's data_format.
    private struct Image {
        var channelsFirst: Bool
        var channels: Int
        var height: Int
        var width: Int

        /// The Keras shape of an image of this layout with other sizes.
        func kerasShape(channels: Int, height: Int, width: Int) -> [Int] {
            channelsFirst ? [channels, height, width] : [height, width, channels]
        }
    }

    private func image(_ layer: KerasLayerConfig, _ shape: [Int]) throws -> Image {
        guard shape.count == 3 else {
            throw Diagnostic(.unsupported, location: layer.location, "expects an image (rank 3 without the batch axis), got shape \(shape)")
        }
        let format = try layer.string("data_format", default: "channels_last")
        guard format == "channels_last" || format == "channels_first" else {
            throw Diagnostic(.malformedInput, location: layer.location, "unknown data_format '\(format)'")
        }
        return format == "channels_first"
            ? Image(channelsFirst: true, channels: shape[0], height: shape[1], width: shape[2])
            : Image(channelsFirst: false, channels: shape[2], height: shape[0], width: shape[1])
    }

    /// The operand as `[1, C, H, W]`.
    private mutating func toChannelsFirst(_ x: ValueID, _ image: Image, _ layer: KerasLayerConfig) -> ValueID {
        if image.channelsFirst { return x }
        let indices = Self.transposeIndices([image.height, image.width, image.channels], [2, 0, 1])
        return gather(x, indices, shape: [image.channels, image.height, image.width], layer)
    }

    /// A `[1, C, H, W]` result back in the layer's layout.
    private mutating func fromChannelsFirst(_ x: ValueID, _ image: Image, _ layer: KerasLayerConfig) -> ValueID {
        if image.channelsFirst { return x }
        let indices = Self.transposeIndices([image.channels, image.height, image.width], [1, 2, 0])
        return gather(x, indices, shape: [image.height, image.width, image.channels], layer)
    }

    /// Padding, strides and dilation as an IR window; `padding: same` pads so that the output
    /// is ceil(input / stride), the odd cell after (bottom, right), as Keras does.
    private func window(_ layer: KerasLayerConfig, kernel: [Int], strides: [Int], dilations: [Int], image: Image) throws -> (Window2D, [Int]) {
        let padding = try layer.string("padding", default: "valid").lowercased()
        let sizes = [image.height, image.width]
        var pads = [0, 0, 0, 0]
        guard kernel.allSatisfy({ $0 > 0 && $0 <= Window2D.sizeLimit }), strides.allSatisfy({ $0 > 0 && $0 <= Window2D.sizeLimit }),
              dilations.allSatisfy({ $0 > 0 && $0 <= Window2D.sizeLimit }) else {
            throw Diagnostic(.malformedInput, location: layer.location, "kernel \(kernel), strides \(strides) and dilation \(dilations) must be positive")
        }
        switch padding {
        case "valid":
            break
        case "same":
            for axis in 0..<2 {
                let out = (sizes[axis] + strides[axis] - 1) / strides[axis]
                let total = max((out - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - sizes[axis], 0)
                pads[axis] = total / 2
                pads[axis + 2] = total - total / 2
            }
        default:
            throw Diagnostic(.unsupported, location: layer.location, "padding '\(padding)' is not supported (valid or same)")
        }
        let window = Window2D(kernel: kernel, strides: strides, pads: pads, dilations: dilations)
        guard let height = window.outputSize(axis: 0, inputSize: image.height), let width = window.outputSize(axis: 1, inputSize: image.width) else {
            throw Diagnostic(.malformedInput, location: layer.location, "the window \(kernel) does not fit the \(image.height)x\(image.width) input")
        }
        return (window, [height, width])
    }

    mutating func convolution(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int]), cutHere: Bool) throws -> (value: ValueID, shape: [Int]) {
        let image = try image(layer, x.shape)
        let filters = try layer.positiveInteger("filters")
        let kernel = try layer.integers("kernel_size", count: 2)
        let groups = (layer.config["groups"] as? Int) ?? 1
        guard groups > 0, image.channels % groups == 0, filters % groups == 0 else {
            throw Diagnostic(.malformedInput, location: layer.location, "groups=\(groups) must divide the \(image.channels) input channels and \(filters) filters")
        }
        let (window, size) = try self.window(layer, kernel: kernel, strides: try layer.integers("strides", count: 2, default: [1, 1]),
                                             dilations: try layer.integers("dilation_rate", count: 2, default: [1, 1]), image: image)
        let useBias = (layer.config["use_bias"] as? Bool) ?? true
        let arrays = try arrays(of: layer, count: useBias ? 2 : 1)
        let perGroup = image.channels / groups
        try require(arrays[0], shape: [kernel[0], kernel[1], perGroup, filters], layer, "kernel")
        if useBias { try require(arrays[1], shape: [filters], layer, "bias") }
        // Keras's kernel is [kh, kw, in, out] in both data formats; the IR's is [out, in, kh, kw].
        var weights = [Double](repeating: 0, count: filters * perGroup * kernel[0] * kernel[1])
        for y in 0..<kernel[0] {
            for xk in 0..<kernel[1] {
                for i in 0..<perGroup {
                    for o in 0..<filters {
                        weights[((o * perGroup + i) * kernel[0] + y) * kernel[1] + xk] = arrays[0].values[((y * kernel[1] + xk) * perGroup + i) * filters + o]
                    }
                }
            }
        }
        let bias = useBias ? arrays[1].values : [Double](repeating: 0, count: filters)
        let input = toChannelsFirst(x.value, image, layer)
        let conv = append(.convolution(Convolution(weights: weights, outChannels: filters, groups: groups, bias: bias, window: window)),
                          [input], shape: [filters, size[0], size[1]], layer)
        var result = image
        (result.channels, result.height, result.width) = (filters, size[0], size[1])
        let output = fromChannelsFirst(conv, result, layer)
        let shape = image.kerasShape(channels: filters, height: size[0], width: size[1])
        return (try activation(try layer.string("activation", default: "linear"), on: output, shape: shape, layer, cutHere: cutHere), shape)
    }

    mutating func pooling(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let image = try image(layer, x.shape)
        let kernel = try layer.integers("pool_size", count: 2, default: [2, 2])
        let strides = try layer.integers("strides", count: 2, default: kernel)
        let (window, size) = try self.window(layer, kernel: kernel, strides: strides, dilations: [1, 1], image: image)
        let isMax = layer.className.hasPrefix("Max")
        // Keras's average pooling with padding: same divides by the real cells only.
        let operation: NNIR.Operation = isMax ? .maxPool(Pooling(window: window)) : .averagePool(Pooling(window: window), countIncludePad: false)
        let input = toChannelsFirst(x.value, image, layer)
        let pooled = append(operation, [input], shape: [image.channels, size[0], size[1]], layer)
        var result = image
        (result.height, result.width) = (size[0], size[1])
        return (fromChannelsFirst(pooled, result, layer), image.kerasShape(channels: image.channels, height: size[0], width: size[1]))
    }

    /// ZeroPadding2D: `padding` as one integer, `[rows, columns]` (both sides) or `[[top, bottom], [left, right]]`.
    mutating func zeroPadding(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let image = try image(layer, x.shape)
        let setting = layer.config["padding"]
        var pads: [Int]  // top, bottom, left, right
        if let all = setting as? Int {
            pads = [all, all, all, all]
        } else if let pair = setting as? [Int], pair.count == 2 {
            pads = [pair[0], pair[0], pair[1], pair[1]]
        } else if let pairs = setting as? [[Int]], pairs.count == 2, pairs.allSatisfy({ $0.count == 2 }) {
            pads = pairs[0] + pairs[1]
        } else {
            throw Diagnostic(.malformedInput, location: layer.location, "'padding' should be an integer, [rows, columns] or [[top, bottom], [left, right]]")
        }
        guard pads.allSatisfy({ $0 >= 0 && $0 <= Window2D.sizeLimit }) else { throw Diagnostic(.malformedInput, location: layer.location, "negative padding") }
        let height = image.height + pads[0] + pads[1], width = image.width + pads[2] + pads[3]
        let shape = try checked(image.kerasShape(channels: image.channels, height: height, width: width), layer)
        let inStrides = Shape.strides(x.shape)
        var indices: [Int] = []
        indices.reserveCapacity(Shape.count(shape))
        let outStrides = Shape.strides(shape)
        for flat in 0..<Shape.count(shape) {
            let coordinates = (0..<3).map { (flat / outStrides[$0]) % shape[$0] }
            let (c, h, w) = image.channelsFirst ? (coordinates[0], coordinates[1], coordinates[2]) : (coordinates[2], coordinates[0], coordinates[1])
            let (sh, sw) = (h - pads[0], w - pads[2])
            guard sh >= 0, sh < image.height, sw >= 0, sw < image.width else { indices.append(-1); continue }
            let source = image.channelsFirst ? [c, sh, sw] : [sh, sw, c]
            indices.append(zip(source, inStrides).map(*).reduce(0, +))
        }
        return (gather(x.value, indices, shape: shape, layer), shape)
    }
}
