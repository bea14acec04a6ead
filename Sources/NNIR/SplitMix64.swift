/// A small, fast, seeded random generator (SplitMix64): the same seed gives
/// the same numbers on every machine, so sampled points, random pruning and
/// tests are reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator with the given seed.
    public init(seed: UInt64) { state = seed }

    /// The seed of stream `stream` of `seed`: for a second sequence of random choices that must not
    /// repeat the first one's (stream 0 is `seed` itself).
    public static func seed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        guard stream > 0 else { return seed }
        var generator = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        return generator.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
