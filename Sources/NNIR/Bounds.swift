/// Per-neuron interval bounds of one IR value: `lower[i] <= value[i] <= upper[i]`.
///
/// Bounds are Float64 and may be infinite; they must never be NaN and must be
/// ordered (the verifier checks both).
public struct Bounds: Equatable, Sendable {
    /// Lower bound of each element, in flattened order.
    public var lower: [Double]
    /// Upper bound of each element, in flattened order.
    public var upper: [Double]

    /// Creates bounds from the two vectors (same length).
    public init(lower: [Double], upper: [Double]) {
        self.lower = lower
        self.upper = upper
    }
}
