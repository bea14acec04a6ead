import NNIR

/// The Keras layers that are piecewise linear beyond ReLU and LeakyReLU: ReLU with `max_value` and
/// `negative_slope`, PReLU, and the Maximum, Minimum, Subtract and Average merges, built from the
/// exact pieces of PiecewiseLinearPieces.swift.
extension KerasImporter {
    /// ReLU as Keras computes it with threshold 0: `min(relu(x), max_value) + negative_slope·min(x, 0)`
    /// (`max_value` absent: no top). A non-zero threshold makes it jump at the threshold, which no
    /// continuous piecewise-linear function does, so it is refused.
    mutating func relu(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let slope = try layer.number("negative_slope", default: 0)
        let threshold = try layer.number("threshold", default: 0)
        guard threshold == 0 else {
            throw Diagnostic(.unsupported, location: layer.location, "ReLU with threshold \(threshold) jumps from 0 to \(threshold) there: it is not continuous, so no exact encoding by ReLUs exists")
        }
        let top = try layer.numbers("max_value")?.first.flatMap { Graph.isOpenEnd($0) ? nil : $0 }
        if let top, top < 0 { throw Diagnostic(.malformedInput, location: layer.location, "max_value \(top) is negative") }
        return (rectified(x.value, slope: slope, top: top, layer), x.shape)
    }

    /// `min(relu(x), top) + slope·min(x, 0)`: the IR's ReLU or leaky ReLU when there is no top.
    mutating func rectified(_ x: ValueID, slope: Double, top: Double?, _ layer: KerasLayerConfig) -> ValueID {
        let count = graph[x].elementCount
        guard let top else {
            return slope == 0 ? graph.rectified(x, location: layer.name)
                : graph.parametricRectified(x, slopes: Array(repeating: slope, count: count), location: layer.name)
        }
        let capped = graph.clamped(x, low: 0, high: top, location: layer.name)  // relu(x) − relu(x − top)
        guard slope != 0 else { return capped }
        let negative = graph.scaled(graph.rectified(graph.scaled(x, by: -1, location: layer.name), location: layer.name), by: -1,
                                    location: layer.name)  // min(x, 0) = −relu(−x)
        return graph.added(capped, graph.scaled(negative, by: slope, location: layer.name), location: layer.name)
    }

    /// PReLU: one learned slope per element, shared along `shared_axes` (1-based, as Keras counts
    /// them after the batch axis); its weight `alpha` has size 1 along those axes.
    mutating func prelu(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let shared = try (layer.config["shared_axes"] as? [Int] ?? (layer.config["shared_axes"] as? Int).map { [$0] } ?? []).map { axis in
            guard axis >= 1, axis <= x.shape.count else {
                throw Diagnostic(.malformedInput, location: layer.location, "shared axis \(axis) is out of range for shape \(x.shape)")
            }
            return axis - 1
        }
        let alphaShape = x.shape.indices.map { shared.contains($0) ? 1 : x.shape[$0] }
        let alpha = try arrays(of: layer, count: 1)[0]
        try require(alpha, shape: alphaShape, layer, "alpha")
        let slopes = IndexMaps.broadcast(from: alphaShape, to: x.shape).map { alpha.values[$0] }
        return (graph.parametricRectified(x.value, slopes: slopes, location: layer.name), x.shape)
    }

    /// Maximum, Minimum and Average of two or more tensors of one shape, and Subtract of two.
    mutating func merge(_ layer: KerasLayerConfig, _ operands: [(value: ValueID, shape: [Int])]) throws -> (value: ValueID, shape: [Int]) {
        let shape = operands[0].shape
        guard operands.allSatisfy({ $0.shape == shape }) else {
            throw Diagnostic(.unsupported, location: layer.location, "merges tensors of shapes \(operands.map(\.shape)); broadcasting is not supported")
        }
        if layer.className == "Subtract" {
            guard operands.count == 2 else { throw Diagnostic(.malformedInput, location: layer.location, "expected 2 inputs, the config gives \(operands.count)") }
            return (graph.added(operands[0].value, graph.scaled(operands[1].value, by: -1, location: layer.name), location: layer.name), shape)
        }
        var result = operands[0].value
        for operand in operands.dropFirst() {
            switch layer.className {
            case "Maximum": result = graph.maximum(result, operand.value, location: layer.name)
            case "Minimum": result = graph.minimum(result, operand.value, location: layer.name)
            default: result = graph.added(result, operand.value, location: layer.name)
            }
        }
        if layer.className == "Average" { result = graph.scaled(result, by: 1 / Double(operands.count), location: layer.name) }
        return (result, shape)
    }
}
