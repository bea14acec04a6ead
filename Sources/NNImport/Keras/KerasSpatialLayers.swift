import NNIR

/// Conv2D, Conv1D, pooling (2-D, 1-D and global) and ZeroPadding2D. Keras stores images as
/// `[H, W, C]` (channels_last, the default) or `[C, H, W]`, and sequences as `[steps, C]` or
/// `[C, steps]`; the IR's spatial operations read `[1, C, H, W]`, so channels_last values are
/// transposed in and out, and a sequence is an image of height 1.
extension KerasImporter {
    /// The image geometry of an operand under the layer's data_format.
    private struct Image {
        var channelsFirst: Bool
        var channels: Int
        var height: Int
        var width: Int
        /// A 1-D layer's sequence (height 1, its steps the width), which Keras shapes without the height.
        var isSequence = false

        /// The Keras shape of an image of this layout with other sizes.
        func kerasShape(channels: Int, height: Int, width: Int) -> [Int] {
            if isSequence { return channelsFirst ? [channels, width] : [width, channels] }
            return channelsFirst ? [channels, height, width] : [height, width, channels]
        }
    }

    /// Whether the layer is a 1-D one (Conv1D, MaxPooling1D, GlobalAveragePooling1D, ...).
    private static func isOneDimensional(_ layer: KerasLayerConfig) -> Bool {
        layer.className.hasSuffix("1D")
    }

    private func image(_ layer: KerasLayerConfig, _ shape: [Int]) throws -> Image {
        let sequence = Self.isOneDimensional(layer)
        guard shape.count == (sequence ? 2 : 3) else {
            let what = sequence ? "a sequence (rank 2 without the batch axis)" : "an image (rank 3 without the batch axis)"
            throw Diagnostic(.unsupported, location: layer.location, "expects \(what), got shape \(shape)")
        }
        let format = try layer.string("data_format", default: "channels_last")
        guard format == "channels_last" || format == "channels_first" else {
            throw Diagnostic(.malformedInput, location: layer.location, "unknown data_format '\(format)'")
        }
        if sequence {
            return format == "channels_first"
                ? Image(channelsFirst: true, channels: shape[0], height: 1, width: shape[1], isSequence: true)
                : Image(channelsFirst: false, channels: shape[1], height: 1, width: shape[0], isSequence: true)
        }
        return format == "channels_first"
            ? Image(channelsFirst: true, channels: shape[0], height: shape[1], width: shape[2])
            : Image(channelsFirst: false, channels: shape[2], height: shape[0], width: shape[1])
    }

    /// The operand as `[1, C, H, W]`.
    private mutating func toChannelsFirst(_ x: ValueID, _ image: Image, _ layer: KerasLayerConfig) -> ValueID {
        let planar = [image.channels, image.height, image.width]
        if image.channelsFirst { return image.isSequence ? append(.reshape, [x], shape: planar, layer) : x }
        let indices = Self.transposeIndices([image.height, image.width, image.channels], [2, 0, 1])
        return gather(x, indices, shape: planar, layer)
    }

    /// A `[1, C, H, W]` result back in the layer's layout.
    private mutating func fromChannelsFirst(_ x: ValueID, _ image: Image, _ layer: KerasLayerConfig) -> ValueID {
        let shape = image.kerasShape(channels: image.channels, height: image.height, width: image.width)
        if image.channelsFirst { return image.isSequence ? append(.reshape, [x], shape: shape, layer) : x }
        let indices = Self.transposeIndices([image.channels, image.height, image.width], [1, 2, 0])
        return gather(x, indices, shape: shape, layer)
    }

    /// A 2-D window setting (kernel, strides, dilation) of a 2-D layer, or of a 1-D one as height 1.
    private func windowSetting(_ layer: KerasLayerConfig, _ key: String, default fallback: [Int]?) throws -> [Int] {
        guard Self.isOneDimensional(layer) else { return try layer.integers(key, count: 2, default: fallback) }
        return [1] + (try layer.integers(key, count: 1, default: fallback.map { [$0[1]] }))
    }

    /// Padding, strides and dilation as an IR window; `padding: same` pads so that the output
    /// is ceil(input / stride), the odd cell after (bottom, right), as Keras does, and a 1-D
    /// layer's `causal` pads the steps before only.
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
        case "causal" where image.isSequence:
            pads[1] = (kernel[1] - 1) * dilations[1]
        default:
            throw Diagnostic(.unsupported, location: layer.location, "padding '\(padding)' is not supported (valid, same, or causal for 1-D layers)")
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
        let kernel = try windowSetting(layer, "kernel_size", default: nil)
        let groups = (layer.config["groups"] as? Int) ?? 1
        guard groups > 0, image.channels % groups == 0, filters % groups == 0 else {
            throw Diagnostic(.malformedInput, location: layer.location, "groups=\(groups) must divide the \(image.channels) input channels and \(filters) filters")
        }
        let (window, size) = try self.window(layer, kernel: kernel, strides: try windowSetting(layer, "strides", default: [1, 1]),
                                             dilations: try windowSetting(layer, "dilation_rate", default: [1, 1]), image: image)
        let useBias = (layer.config["use_bias"] as? Bool) ?? true
        let arrays = try arrays(of: layer, count: useBias ? 2 : 1)
        let perGroup = image.channels / groups
        // Conv1D's kernel is [k, in, out], the same values as a [1, k, in, out] kernel.
        try require(arrays[0], shape: (image.isSequence ? [kernel[1]] : kernel) + [perGroup, filters], layer, "kernel")
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
        let kernel = try windowSetting(layer, "pool_size", default: [2, 2])
        let strides = try windowSetting(layer, "strides", default: kernel)
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

    /// GlobalMaxPooling2D/1D and GlobalAveragePooling2D/1D: one value per channel, `[C]`, or with
    /// `keepdims` the layer's layout with every spatial size 1.
    mutating func globalPooling(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let image = try image(layer, x.shape)
        let input = toChannelsFirst(x.value, image, layer)
        let pooled = graph.pooledPlanes(input, maximum: layer.className.hasPrefix("GlobalMax"), location: layer.name)
        let keep = (layer.config["keepdims"] as? Bool) ?? false
        let shape = keep ? image.kerasShape(channels: image.channels, height: 1, width: 1) : [image.channels]
        return (append(.reshape, [pooled], shape: shape, layer), shape)
    }
}
