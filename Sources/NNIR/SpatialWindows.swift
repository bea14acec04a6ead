/// The sliding-window arithmetic of convolution and pooling over a
/// `[(1,) C, H, W]` input: which input positions each output position reads.
///
/// Shared by the evaluator, the bounds passes and the MILP formulation, so all
/// agree on exactly which taps fall into the padding.
public struct SpatialWindows: Sendable {
    /// Input channels.
    public let channels: Int
    /// Input height and width.
    public let height: Int, width: Int
    /// Output height and width.
    public let outHeight: Int, outWidth: Int
    /// Kernel, strides, padding, dilations.
    public let window: Window2D

    /// Geometry of a layer with the given input and output shapes (rank 3 or 4, channels first).
    public init(input: [Int], output: [Int], window: Window2D) {
        let r = input.count
        channels = input[r - 3]
        height = input[r - 2]
        width = input[r - 1]
        outHeight = output[output.count - 2]
        outWidth = output[output.count - 1]
        self.window = window
    }

    /// The input row read by tap `tap` of the window at output row `oh`, or nil in the padding.
    @inline(__always)
    public func inputRow(_ oh: Int, tap: Int) -> Int? {
        let h = oh * window.strides[0] - window.pads[0] + tap * window.dilations[0]
        return (h >= 0 && h < height) ? h : nil
    }

    /// The input column read by tap `tap` of the window at output column `ow`, or nil in the padding.
    @inline(__always)
    public func inputColumn(_ ow: Int, tap: Int) -> Int? {
        let w = ow * window.strides[1] - window.pads[1] + tap * window.dilations[1]
        return (w >= 0 && w < width) ? w : nil
    }

    /// The channel, row and column of flat output position `index`.
    public func position(ofOutput index: Int) -> (channel: Int, row: Int, column: Int) {
        let plane = outHeight * outWidth
        return (index / plane, (index % plane) / outWidth, index % outWidth)
    }

    /// Calls `body(weightIndex, inputPosition)` for every kernel tap of output `output` of a
    /// convolution with `outChannels` output channels in `groups` groups that falls inside the input
    /// (taps in the padding read zero and are skipped). `weightIndex` indexes the flat
    /// `[outChannels, channels / groups, kernelH, kernelW]` kernel; `inputPosition` the flat input.
    @inline(__always)
    public func forEachConvolutionTap(output: Int, outChannels: Int, groups: Int, _ body: (_ weightIndex: Int, _ inputPosition: Int) -> Void) {
        let (m, oh, ow) = position(ofOutput: output)
        let inPerGroup = channels / groups
        let group = m / (outChannels / groups)
        let (kh, kw) = (window.kernel[0], window.kernel[1])
        for c in 0..<inPerGroup {
            let channel = group * inPerGroup + c
            for i in 0..<kh {
                guard let h = inputRow(oh, tap: i) else { continue }
                for j in 0..<kw {
                    guard let w = inputColumn(ow, tap: j) else { continue }
                    body(((m * inPerGroup + c) * kh + i) * kw + j, (channel * height + h) * width + w)
                }
            }
        }
    }

    /// Flat input positions (within channel `c`) that the window at `(oh, ow)` covers.
    public func taps(channel c: Int, oh: Int, ow: Int) -> [Int] {
        var result: [Int] = []
        for i in 0..<window.kernel[0] {
            guard let h = inputRow(oh, tap: i) else { continue }
            for j in 0..<window.kernel[1] {
                guard let w = inputColumn(ow, tap: j) else { continue }
                result.append((c * height + h) * width + w)
            }
        }
        return result
    }

    /// The divisor of an average window when padding counts: the taps that lie
    /// inside the padded input (taps beyond the end padding, which ceil mode
    /// can create, never count).
    public func paddedTapCount(oh: Int, ow: Int) -> Int {
        func count(_ o: Int, axis: Int, size: Int) -> Int {
            var n = 0
            for t in 0..<window.kernel[axis] {
                let p = o * window.strides[axis] - window.pads[axis] + t * window.dilations[axis]
                if p >= -window.pads[axis] && p < size + window.pads[axis + 2] { n += 1 }
            }
            return n
        }
        return count(oh, axis: 0, size: height) * count(ow, axis: 1, size: width)
    }

    /// Calls `body` for every pooling window in output order (channel, then row, then column) with
    /// its output row and column and the input positions it covers (none in the padding).
    public func forEachWindow(_ body: (_ oh: Int, _ ow: Int, _ taps: [Int]) -> Void) {
        for c in 0..<channels {
            for oh in 0..<outHeight {
                for ow in 0..<outWidth { body(oh, ow, taps(channel: c, oh: oh, ow: ow)) }
            }
        }
    }

    /// Max pooling of `x`; a window entirely in the padding gives 0.
    public func maxPool(_ x: [Double]) -> [Double] {
        var y: [Double] = []
        y.reserveCapacity(channels * outHeight * outWidth)
        forEachWindow { _, _, taps in y.append(taps.map { x[$0] }.max() ?? 0) }
        return y
    }

    /// Average pooling of `x`.
    public func averagePool(_ x: [Double], countIncludePad: Bool) -> [Double] {
        var y: [Double] = []
        y.reserveCapacity(channels * outHeight * outWidth)
        forEachWindow { oh, ow, taps in
            let divisor = countIncludePad ? paddedTapCount(oh: oh, ow: ow) : taps.count
            y.append(divisor == 0 ? 0 : taps.reduce(0) { $0 + x[$1] } / Double(divisor))
        }
        return y
    }
}
