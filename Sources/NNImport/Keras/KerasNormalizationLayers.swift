import Foundation
import NNIR

/// BatchNormalization (inference), Normalization and Rescaling: element-wise
/// affine maps, which become one `scale_shift` node each.
extension KerasImporter {
    /// A per-element scale and shift from per-index values along `axis` of `shape`.
    private func broadcast(_ perIndex: [Double], axis: Int, shape: [Int]) -> [Double] {
        let stride = Shape.strides(shape)[axis]
        return (0..<Shape.count(shape)).map { perIndex[($0 / stride) % shape[axis]] }
    }

    /// A Keras axis setting (Keras 2 counts the batch axis, Keras 3 may be negative) as an axis of `shape`.
    private func axis(_ setting: Int, _ shape: [Int], _ layer: KerasLayerConfig) throws -> Int {
        let axis = setting < 0 ? shape.count + setting : setting - 1
        guard axis >= 0, axis < shape.count else { throw Diagnostic(.malformedInput, location: layer.location, "axis \(setting) is outside the input's rank \(shape.count + 1)") }
        return axis
    }

    mutating func batchNormalization(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let setting = (layer.config["axis"] as? Int) ?? ((layer.config["axis"] as? [Int]).flatMap { $0.count == 1 ? $0[0] : nil }) ?? -1
        let axis = try self.axis(setting, x.shape, layer)
        let channels = x.shape[axis]
        let scale = (layer.config["scale"] as? Bool) ?? true, center = (layer.config["center"] as? Bool) ?? true
        let arrays = try arrays(of: layer, count: 2 + (scale ? 1 : 0) + (center ? 1 : 0))
        for (array, name) in zip(arrays, (scale ? ["gamma"] : []) + (center ? ["beta"] : []) + ["moving_mean", "moving_variance"]) {
            try require(array, shape: [channels], layer, name)
        }
        let gamma = scale ? arrays[0].values : [Double](repeating: 1, count: channels)
        let beta = center ? arrays[scale ? 1 : 0].values : [Double](repeating: 0, count: channels)
        let mean = arrays[arrays.count - 2].values, variance = arrays[arrays.count - 1].values
        let epsilon = try layer.number("epsilon", default: 1e-3)
        let factor = (0..<channels).map { gamma[$0] / (variance[$0] + epsilon).squareRoot() }
        let offset = (0..<channels).map { beta[$0] - mean[$0] * factor[$0] }
        let node = append(.scaleShift(scale: broadcast(factor, axis: axis, shape: x.shape), shift: broadcast(offset, axis: axis, shape: x.shape)),
                          [x.value], shape: x.shape, layer)
        return (node, x.shape)
    }

    /// Normalization: `(x - mean) / max(sqrt(variance), 1e-7)` per index of the kept axes (default the
    /// last); the statistics are in the config when given explicitly, in the weights when adapted.
    mutating func normalization(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let settings = (layer.config["axis"] as? [Int]) ?? ((layer.config["axis"] as? Int).map { [$0] }) ?? [-1]
        let axes = try settings.map { try axis($0, x.shape, layer) }.sorted()
        let kept = axes.map { x.shape[$0] }
        let count = Shape.count(kept)
        var mean: [Double], variance: [Double]
        if let explicitMean = try layer.numbers("mean"), let explicitVariance = try layer.numbers("variance") {
            (mean, variance) = (explicitMean, explicitVariance)
        } else {
            let arrays = try arrays(of: layer, count: 3)
            (mean, variance) = (arrays[0].values, arrays[1].values)
            for array in arrays.prefix(2) where array.values.count != count && array.values.count != 1 {
                throw Diagnostic(.malformedInput, location: "HDF5 path '\(array.path)'", "\(array.values.count) values for the \(count) positions of axes \(settings) of \(layer.location)")
            }
        }
        if mean.count == 1 { mean = Array(repeating: mean[0], count: count) }
        if variance.count == 1 { variance = Array(repeating: variance[0], count: count) }
        guard mean.count == count, variance.count == count else {
            throw Diagnostic(.malformedInput, location: layer.location, "mean and variance need \(count) values for axes \(settings), got \(mean.count) and \(variance.count)")
        }
        let strides = Shape.strides(x.shape), keptStrides = Shape.strides(kept)
        let invert = (layer.config["invert"] as? Bool) ?? false
        var scale: [Double] = [], shift: [Double] = []
        for flat in 0..<Shape.count(x.shape) {
            var k = 0
            for (j, a) in axes.enumerated() { k += ((flat / strides[a]) % x.shape[a]) * keptStrides[j] }
            let deviation = max(variance[k].squareRoot(), 1e-7)
            if invert {
                scale.append(deviation); shift.append(mean[k])
            } else {
                scale.append(1 / deviation); shift.append(-mean[k] / deviation)
            }
        }
        return (append(.scaleShift(scale: scale, shift: shift), [x.value], shape: x.shape, layer), x.shape)
    }

    /// Rescaling: `x * scale + offset`, scalars or one value per index of the last axis.
    mutating func rescaling(_ layer: KerasLayerConfig, _ x: (value: ValueID, shape: [Int])) throws -> (value: ValueID, shape: [Int]) {
        let scale = try layer.numbers("scale") ?? [1], offset = try layer.numbers("offset") ?? [0]
        let last = x.shape.count - 1
        func expand(_ values: [Double], _ name: String) throws -> [Double] {
            if values.count == 1 { return Array(repeating: values[0], count: Shape.count(x.shape)) }
            guard last >= 0, values.count == x.shape[last] else {
                throw Diagnostic(.unsupported, location: layer.location, "'\(name)' has \(values.count) values for an input of shape \(x.shape)")
            }
            return broadcast(values, axis: last, shape: x.shape)
        }
        return (append(.scaleShift(scale: try expand(scale, "scale"), shift: try expand(offset, "offset")), [x.value], shape: x.shape, layer), x.shape)
    }
}
