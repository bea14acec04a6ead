import NNIR

/// A tensor whose value is known at import time: an initializer, a Constant
/// node, or anything computed only from those (shape arithmetic is folded).
struct ConstantTensor {
    /// Dimensions, row-major.
    var shape: [Int]
    /// Values in flattened order, widened to Float64.
    var values: [Double]
    /// Whether the ONNX element type is an integer or boolean type (shapes, axes, indices).
    var isInteger: Bool

    /// A 1-D integer tensor.
    init(integers: [Int]) {
        shape = [integers.count]
        values = integers.map(Double.init)
        isInteger = true
    }

    /// A tensor from its parts.
    init(shape: [Int], values: [Double], isInteger: Bool) {
        self.shape = shape
        self.values = values
        self.isInteger = isInteger
    }

    /// The values as integers (for shapes, axes, pads and indices).
    var integers: [Int] {
        values.map { $0.isFinite ? Int(max(min($0, 9.2e18), -9.2e18)) : ($0 > 0 ? Int.max : Int.min) }
    }

    /// The tensor's single value, or nil when it has more than one element.
    var scalar: Double? { values.count == 1 ? values[0] : nil }
}
