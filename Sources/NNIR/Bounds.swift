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

extension Bounds {
    /// The elementwise intersection with `other` (same length): the larger lower
    /// bound and the smaller upper bound of each element.
    public func intersected(with other: Bounds) -> Bounds {
        Bounds(lower: zip(lower, other.lower).map { Swift.max($0, $1) }, upper: zip(upper, other.upper).map { Swift.min($0, $1) })
    }

    /// The largest absolute value each element can take.
    public var magnitudes: [Double] {
        zip(lower, upper).map { Swift.max(abs($0), abs($1)) }
    }
}
