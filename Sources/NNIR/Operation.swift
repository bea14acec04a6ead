/// What one IR node computes from its operands.
///
/// The IR is deliberately small: every piecewise-linear feed-forward network
/// that the front ends accept is a composition of these operations. All of
/// them act on tensors stored flat in row-major order; spatial operations
/// (convolution, pooling) read `[1, C, H, W]` (or `[C, H, W]`) tensors.
public enum Operation: Equatable, Sendable {
    /// A network input, named as in the model file.
    case input(name: String)
    /// `y = W x + b` on the flattened operand.
    case affine(Affine)
    /// 2-D convolution (cross-correlation, as ONNX and Keras define it).
    case convolution(Convolution)
    /// 2-D max pooling; padded positions never win.
    case maxPool(Pooling)
    /// 2-D average pooling.
    case averagePool(Pooling, countIncludePad: Bool)
    /// `y = max(x, 0)`.
    case relu
    /// `y = x` for `x >= 0`, `alpha * x` otherwise.
    case leakyRelu(alpha: Double)
    /// Element-wise `y[i] = scale[i] * x[i] + shift[i]` (normalization, batch norm).
    case scaleShift(scale: [Double], shift: [Double])
    /// The same flat data under a new shape (Flatten, Reshape, Squeeze, Unsqueeze).
    case reshape
    /// `y[i] = x[indices[i]]`, or `0` where `indices[i] == -1` (Transpose, Pad, Slice, broadcasts).
    case gather(indices: [Int])
    /// Element-wise sum of two values of the same size.
    case add
    /// A smooth element-wise activation (sigmoid, tanh, ...): evaluated and
    /// bounded here, formulated only after `pwl-approx` replaced it.
    case smooth(SmoothFunction)
    /// `x[i] + below[i] <= y[i] <= x[i] + above[i]`, with `below <= 0 <= above`:
    /// a relation, not a function, the certified error band `pwl-approx{enclosure=true}`
    /// puts around a piecewise-linear interpolant so that it encloses the smooth
    /// function. The evaluator takes `y = x`, one of the values allowed.
    case band(below: [Double], above: [Double])

    /// The keyword of the operation in the IR text form.
    public var keyword: String {
        switch self {
        case .input: "input"
        case .affine: "affine"
        case .convolution: "conv"
        case .maxPool: "maxpool"
        case .averagePool: "avgpool"
        case .relu: "relu"
        case .leakyRelu: "leaky_relu"
        case .scaleShift: "scale_shift"
        case .reshape: "reshape"
        case .gather: "gather"
        case .add: "add"
        case .smooth(let function): function.name
        case .band: "band"
        }
    }

    /// The number of operands the operation takes.
    public var operandCount: Int {
        switch self {
        case .input: 0
        case .add: 2
        default: 1
        }
    }
}

/// The parameters of an affine layer.
public struct Affine: Equatable, Sendable {
    /// Weights: one row per output element, one column per input element.
    public var weights: WeightMatrix
    /// One bias per output element.
    public var bias: [Double]

    /// Creates an affine layer.
    public init(weights: WeightMatrix, bias: [Double]) {
        self.weights = weights
        self.bias = bias
    }
}

/// Window geometry shared by convolution and pooling: kernel, strides,
/// padding and dilation over the two spatial axes (height, width).
public struct Window2D: Equatable, Sendable {
    /// Kernel height and width.
    public var kernel: [Int]
    /// Step between windows along height and width.
    public var strides: [Int]
    /// Padding as `[top, left, bottom, right]` (ONNX order: begins, then ends).
    public var pads: [Int]
    /// Spacing between kernel taps along height and width.
    public var dilations: [Int]

    /// The largest kernel size, stride, dilation or padding accepted (2^20):
    /// window arithmetic on values up to this bound cannot overflow.
    public static let sizeLimit = 1 << 20

    /// Creates a window description.
    public init(kernel: [Int], strides: [Int], pads: [Int], dilations: [Int]) {
        self.kernel = kernel
        self.strides = strides
        self.pads = pads
        self.dilations = dilations
    }

    /// The number of windows along `axis` (0 = height, 1 = width) for an input
    /// of `size`, or nil when the window does not fit.
    public func outputSize(axis: Int, inputSize: Int, ceilMode: Bool = false) -> Int? {
        let span = (kernel[axis] - 1) * dilations[axis] + 1
        let padded = inputSize + pads[axis] + pads[axis + 2]
        guard padded >= span, strides[axis] > 0 else { return nil }
        let steps = padded - span
        var out = (ceilMode ? (steps + strides[axis] - 1) / strides[axis] : steps / strides[axis]) + 1
        // A last window that would start inside the end padding is dropped (ONNX ceil_mode rule).
        if ceilMode, (out - 1) * strides[axis] >= inputSize + pads[axis] { out -= 1 }
        return out
    }
}

/// The parameters of a 2-D convolution.
public struct Convolution: Equatable, Sendable {
    /// Kernel of shape `[outChannels, inChannels / groups, kernelH, kernelW]`, flat row-major.
    public var weights: [Double]
    /// Number of output channels.
    public var outChannels: Int
    /// Number of channel groups (1 for an ordinary convolution).
    public var groups: Int
    /// One bias per output channel.
    public var bias: [Double]
    /// Kernel size, strides, padding and dilations.
    public var window: Window2D

    /// Creates a convolution.
    public init(weights: [Double], outChannels: Int, groups: Int, bias: [Double], window: Window2D) {
        self.weights = weights
        self.outChannels = outChannels
        self.groups = groups
        self.bias = bias
        self.window = window
    }
}

/// The parameters of a 2-D pooling layer.
public struct Pooling: Equatable, Sendable {
    /// Window size, strides, padding and dilations.
    public var window: Window2D

    /// Creates a pooling description.
    public init(window: Window2D) {
        self.window = window
    }
}
