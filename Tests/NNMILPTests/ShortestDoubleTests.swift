import Testing
import TestSupport
import NNIR
@testable import NNMILP

/// Checks `ShortestDouble.write` against `Double.description`, byte for byte.
@Suite struct ShortestDoubleTests {
    /// The text `ShortestDouble.write` produces for `value`, checking that it stays within
    /// `maximumLength` bytes (and writes nothing past them).
    static func written(_ value: Double) -> String {
        let guardBytes = 8
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ShortestDouble.maximumLength + guardBytes) { buffer in
            let base = buffer.baseAddress!
            buffer.initialize(repeating: 0xA5)
            let count = ShortestDouble.write(value, to: base)
            precondition(count > 0 && count <= ShortestDouble.maximumLength, "length \(count) out of range")
            precondition(buffer[ShortestDouble.maximumLength...].allSatisfy { $0 == 0xA5 }, "wrote past maximumLength")
            return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        }
    }

    /// The values among `values` whose text differs from `description`, shown as
    /// "bits: description vs written" (at most 10), so a failure is readable.
    static func mismatches(_ values: some Sequence<Double>) -> [String] {
        var found: [String] = []
        for value in values {
            let expected = value.description
            let actual = written(value)
            if actual != expected && found.count < 10 {
                found.append("0x\(String(value.bitPattern, radix: 16)): \(expected) vs \(actual)")
            }
        }
        return found
    }

    @Test func examplesMatchDescriptionLayout() {
        let expected: [(Double, String)] = [
            (1, "1.0"), (0.1, "0.1"), (-0.0, "-0.0"), (0, "0.0"), (1e-5, "1e-05"), (0.0001, "0.0001"),
            (1e16, "1e+16"), (1234567890123456, "1234567890123456.0"),
            (.leastNonzeroMagnitude, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
            (-.greatestFiniteMagnitude, "-1.7976931348623157e+308"), (9007199254740992, "9007199254740992.0"),
            (9007199254740994, "9.007199254740994e+15"), (123.456, "123.456"), (100, "100.0"),
            (0.00012345, "0.00012345"), (1.5e300, "1.5e+300"), (2.5e-300, "2.5e-300"),
            (Double(Float(0.1)), "0.10000000149011612"), (2.2250738585072014e-308, "2.2250738585072014e-308"),
        ]
        for (value, text) in expected {
            #expect(Self.written(value) == text)
            #expect(value.description == text)
        }
    }

    @Test func nonFiniteValues() {
        for value in [Double.infinity, -.infinity, .nan, -.nan, .signalingNaN, Double(bitPattern: 0x7FF8_0000_0000_0001)] {
            #expect(Self.written(value) == value.description)
        }
        #expect(Self.written(.infinity) == "inf")
        #expect(Self.written(-.infinity) == "-inf")
        #expect(Self.written(.nan) == "nan")
    }

    @Test func randomBitPatterns() {
        var random = SplitMix64(seed: 0x5EED_0001)
        var values: [Double] = []
        values.reserveCapacity(200_000)
        while values.count < 200_000 {
            let value = Double(bitPattern: random.next())
            if value.isFinite { values.append(value) }
        }
        #expect(Self.mismatches(values) == [])
    }

    @Test func randomFloat32Values() {
        var random = SplitMix64(seed: 0x5EED_0002)
        var values: [Double] = []
        values.reserveCapacity(100_000)
        while values.count < 100_000 {
            let float = Float(bitPattern: UInt32(truncatingIfNeeded: random.next()))
            if float.isFinite { values.append(Double(float)) }
        }
        #expect(Self.mismatches(values) == [])
    }

    @Test func powersOfTwoAndTheirNeighbors() {
        var values: [Double] = []
        for exponent in -1074...1023 {
            let power = Double(sign: .plus, exponent: exponent, significand: 1)
            let largestInBinade = Double(bitPattern: power.bitPattern | 0x000F_FFFF_FFFF_FFFF)
            values += [power, power.nextUp, power.nextDown, largestInBinade]
        }
        #expect(Self.mismatches(values + values.map { -$0 }) == [])
    }

    @Test func powersOfTenAndTheirNeighbors() {
        var values: [Double] = []
        for exponent in -325...309 {
            guard let power = Double("1e\(exponent)") else { continue }
            values += [power, power.nextUp, power.nextDown, 5 * power, 9.999 * power]
        }
        #expect(Self.mismatches(values.filter(\.isFinite)) == [])
    }

    @Test func subnormalsAndExtremes() {
        var values: [Double] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                                Double.leastNormalMagnitude.nextDown, Double.greatestFiniteMagnitude.nextDown]
        for i in 1...2000 {
            values.append(Double(bitPattern: UInt64(i)))
            values.append(Double(bitPattern: 0x000F_FFFF_FFFF_FFFF - UInt64(i)))
        }
        var random = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<5000 {
            values.append(Double(bitPattern: random.next() & 0x000F_FFFF_FFFF_FFFF))
        }
        #expect(Self.mismatches(values + values.map { -$0 }) == [])
    }

    @Test func integersUpTo2To54() {
        var values: [Double] = (0...5000).map(Double.init)
        var random = SplitMix64(seed: 0x5EED_0004)
        for _ in 0..<20_000 {
            values.append(Double(random.next() >> 10))  // below 2^54
        }
        for offset in -500...500 {
            values.append(9_007_199_254_740_992 + Double(offset))       // around 2^53
            values.append(18_014_398_509_481_984 + 2 * Double(offset))  // around 2^54
        }
        for digits in 1...16 {
            var power: UInt64 = 1
            for _ in 0..<digits { power *= 10 }
            values += [Double(power), Double(power - 1), Double(power + 1)]
        }
        #expect(Self.mismatches(values + values.map { -$0 }) == [])
    }

    @Test func seventeenDigitValues() {
        var random = SplitMix64(seed: 0x5EED_0005)
        var values: [Double] = [0.30000000000000004, 2.2250738585072014e-308, 1.7976931348623157e+308,
                                5.0000000000000011e-1, 9.0071992547409923e+15]
        while values.count < 5000 {
            let value = Double(bitPattern: random.next())
            if value.isFinite && value.description.filter(\.isNumber).count >= 17 {
                values.append(value)
            }
        }
        #expect(Self.mismatches(values) == [])
    }

    @Test func notationSwitchPoints() {
        // Exponential below 1e-4 and above 2^53; try both sides of each boundary.
        var values: [Double] = [1e-4, 1e-5, 0.000099999, 9.9999999999999991e-5, 1e15, 1e16,
                                9.999e15, 4503599627370496, 4503599627370497]
        values += values.map(\.nextUp) + values.map(\.nextDown)
        #expect(Self.mismatches(values + values.map { -$0 }) == [])
    }

    @Test func powerOfFiveTablesAreExact() {
        // For 5^i below 2^64, check against ordinary arithmetic: the table holds 5^i shifted
        // to 125 bits, and a reciprocal r with (r - 1) * 5^q <= 2^s < r * 5^q.
        var power: UInt64 = 1
        for i in 0...27 {
            let bits = powerOfFiveBits(i)
            #expect(bits == 64 - power.leadingZeroBitCount)
            // power << (125 - bits), split into 64-bit halves.
            let shift = ShortestDoubleTables.powerBitCount - bits
            let high = shift >= 64 ? power << (shift - 64) : power >> (64 - shift)
            let low = shift >= 64 ? 0 : power << shift
            #expect(ShortestDoubleTables.powersOfFive[2 * i] == low)
            #expect(ShortestDoubleTables.powersOfFive[2 * i + 1] == high)

            // r * 5^q as a 192-bit number (top, middle, bottom), compared with 2^s.
            let rLow = ShortestDoubleTables.inversePowersOfFive[2 * i]
            let rHigh = ShortestDoubleTables.inversePowersOfFive[2 * i + 1]
            let lowProduct = rLow.multipliedFullWidth(by: power)
            let highProduct = rHigh.multipliedFullWidth(by: power)
            let (middle, carry) = highProduct.low.addingReportingOverflow(lowProduct.high)
            let top = highProduct.high + (carry ? 1 : 0)
            let s = bits - 1 + ShortestDoubleTables.inverseBitCount  // 125...187
            // 2^s lies in `middle` (s < 128) or `top`; r * 5^q must exceed it by at most 5^q.
            let (expectedTop, expectedMiddle): (UInt64, UInt64) = s >= 128 ? (1 << (s - 128), 0) : (0, 1 << (s - 64))
            #expect(top == expectedTop && middle == expectedMiddle)
            #expect(lowProduct.low > 0 && lowProduct.low <= power)
            if i < 27 { power *= 5 }
        }
    }
}
