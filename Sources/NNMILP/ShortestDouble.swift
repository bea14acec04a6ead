/// Fast, allocation-free conversion of `Double` to its shortest round-trip text.
///
/// The digits come from the Ryu algorithm (Ulf Adams, "Ryū: fast float-to-string
/// conversion", PLDI 2018): among all decimals that read back as the value, it finds
/// those with the fewest significant digits and picks the one closest to the exact
/// binary value (ties to an even last digit). The layout of the text then copies
/// Swift's `Double.description` byte for byte, so the two are interchangeable.
public enum ShortestDouble {
    /// The longest text `write` can produce, in bytes.
    public static let maximumLength = 24

    /// Writes the shortest text that reads back as `value` to `buffer` (which has room for `maximumLength` bytes) and returns the number of bytes written. The text is byte-identical to `value.description` for every finite value.
    ///
    /// Infinities are written as `inf` and `-inf`, and every NaN as `nan`, as `description` does.
    /// Bytes after the returned count (up to `maximumLength`) may be used as scratch space.
    public static func write(_ value: Double, to buffer: UnsafeMutablePointer<UInt8>) -> Int {
        let bits = value.bitPattern
        let fieldMantissa = bits & ((1 << 52) - 1)
        let fieldExponent = Int(truncatingIfNeeded: bits &>> 52) & 0x7FF
        let isNegative = bits &>> 63 != 0

        if fieldExponent == 0x7FF {
            if fieldMantissa != 0 {
                buffer[0] = UInt8(ascii: "n")
                buffer[1] = UInt8(ascii: "a")
                buffer[2] = UInt8(ascii: "n")
                return 3
            }
            var out = buffer
            if isNegative {
                out[0] = UInt8(ascii: "-")
                out += 1
            }
            out[0] = UInt8(ascii: "i")
            out[1] = UInt8(ascii: "n")
            out[2] = UInt8(ascii: "f")
            return isNegative ? 4 : 3
        }

        // Branch-free sign: write a '-' that the digits overwrite when the value is positive
        // (signs of random data defeat branch prediction).
        buffer[0] = UInt8(ascii: "-")
        let signLength = Int(truncatingIfNeeded: bits &>> 63)
        let out = buffer + signLength

        if fieldExponent == 0 && fieldMantissa == 0 {
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: ".")
            out[2] = UInt8(ascii: "0")
            return signLength + 3
        }

        let decimal = shortestDecimal(fieldMantissa: fieldMantissa, fieldExponent: fieldExponent)
        // `description` switches to exponential form above 2^53 (bit pattern 0x4340000000000000),
        // the end of the range where every integer is representable.
        let isAbove2To53 = bits & ~(1 << 63) > 0x4340_0000_0000_0000
        return signLength + layOut(
            digits: decimal.digits, exponent: decimal.exponent,
            forceExponential: isAbove2To53, to: out)
    }

    // MARK: - Ryu

    /// The shortest decimal `digits × 10^exponent` that reads back as the positive, finite,
    /// nonzero double with the given mantissa and (biased) exponent fields.
    ///
    /// Ryu works on three scaled values: the double itself (`vr`) and the midpoints to its
    /// neighbors (`vp` above, `vm` below), all multiplied by a power of ten picked so
    /// that they keep just enough digits. It then drops digits while the two bounds still
    /// differ, tracking whether anything nonzero was dropped so that exact ties and
    /// inclusive bounds (even mantissas round to themselves) come out right.
    @inline(__always)
    static func shortestDecimal(fieldMantissa: UInt64, fieldExponent: Int) -> (digits: UInt64, exponent: Int) {
        // value = m2 × 2^e2, with 2 extra bits of room for the midpoints (hence the - 2).
        let m2: UInt64
        let e2: Int
        if fieldExponent == 0 {
            m2 = fieldMantissa
            e2 = 1 - 1023 - 52 - 2
        } else {
            m2 = fieldMantissa | (1 << 52)
            e2 = fieldExponent - 1023 - 52 - 2
        }
        // Round-to-nearest-even parsing maps a midpoint back to an even mantissa,
        // so for even mantissas the midpoints themselves are acceptable outputs.
        let acceptBounds = m2 & 1 == 0
        let mv = m2 &<< 2
        // At a power of two (other than the smallest normal) the gap below is half the
        // gap above, so the lower midpoint is a quarter step away instead of a half.
        let mmShift: UInt64 = (fieldMantissa != 0 || fieldExponent <= 1) ? 1 : 0
        let mp = mv &+ 2
        let mm = mv &- 1 &- mmShift

        var vr: UInt64
        var vp: UInt64
        var vm: UInt64
        var e10: Int
        var vmIsTrailingZeros = false
        var vrIsTrailingZeros = false

        if e2 >= 0 {
            // Multiply by 2^e2 / 10^q using the reciprocal of 5^q; q is (about) one less than
            // log10(2^e2) so that at least one digit is left to drop.
            let q = log10OfPowerOfTwo(e2) - (e2 > 3 ? 1 : 0)
            e10 = q
            let k = ShortestDoubleTables.inverseBitCount + powerOfFiveBits(q) - 1
            let shift = q + k - e2
            let table = ShortestDoubleTables.inversePowersOfFive
            let low = table[2 * q]
            let high = table[2 * q + 1]
            vr = multiplyShift(mv, low, high, shift)
            vp = multiplyShift(mp, low, high, shift)
            vm = multiplyShift(mm, low, high, shift)
            if q <= 21 {
                // Only for small q can the exact products end in q zeros, i.e. be divisible
                // by 10^q (they are by 2^q already); at most one of mm, mv, mp is divisible by 5.
                if mv % 5 == 0 {
                    vrIsTrailingZeros = isMultiple(mv, ofPowerOfFive: q)
                } else if acceptBounds {
                    vmIsTrailingZeros = isMultiple(mm, ofPowerOfFive: q)
                } else {
                    // The upper bound is exclusive: step below it if it is exactly representable.
                    vp &-= isMultiple(mp, ofPowerOfFive: q) ? 1 : 0
                }
            }
        } else {
            // Multiply by 2^e2 / 10^e10 = 5^i / 2^q with i = -e2 - q, using the table's 5^i;
            // q is (about) one less than log10(5^-e2) so that at least one digit is left to drop.
            let q = log10OfPowerOfFive(-e2) - (-e2 > 1 ? 1 : 0)
            e10 = q + e2
            let i = -e2 - q
            let k = powerOfFiveBits(i) - ShortestDoubleTables.powerBitCount
            let shift = q - k
            let table = ShortestDoubleTables.powersOfFive
            let low = table[2 * i]
            let high = table[2 * i + 1]
            vr = multiplyShift(mv, low, high, shift)
            vp = multiplyShift(mp, low, high, shift)
            vm = multiplyShift(mm, low, high, shift)
            if q <= 1 {
                // Dividing by 2^q (q <= 1) keeps mv × 5^i exact (mv has two trailing zero
                // bits) and mp × 5^i too (one).
                vrIsTrailingZeros = true
                if acceptBounds {
                    // mm = mv - 2 is even, so exact; mm = mv - 1 is taken as inexact.
                    vmIsTrailingZeros = mmShift == 1
                } else {
                    // mp = mv + 2 is always exact here: exclude the upper bound.
                    vp &-= 1
                }
            } else if q < 63 {
                // The exact product ends in q zeros iff mv has q factors of 2 (5^i supplies the 5s).
                vrIsTrailingZeros = isMultiple(mv, ofPowerOfTwo: q)
            }
        }

        // Drop digits while the bounds still differ in the remaining ones.
        var removed = 0
        var output: UInt64
        if vmIsTrailingZeros || vrIsTrailingZeros {
            // Rare general case: track whether the digits dropped from vr and vm are all zeros.
            var lastRemovedDigit: UInt64 = 0
            while vp / 10 > vm / 10 {
                vmIsTrailingZeros = vmIsTrailingZeros && vm % 10 == 0
                vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                lastRemovedDigit = vr % 10
                vr /= 10
                vp /= 10
                vm /= 10
                removed += 1
            }
            if vmIsTrailingZeros {
                // The lower bound is exact and acceptable: keep dropping its zeros.
                while vm % 10 == 0 {
                    vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
                    lastRemovedDigit = vr % 10
                    vr /= 10
                    vp /= 10
                    vm /= 10
                    removed += 1
                }
            }
            if vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0 {
                // Exactly halfway: round to even.
                lastRemovedDigit = 4
            }
            let mustRoundUp = (vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5
            output = vr &+ (mustRoundUp ? 1 : 0)
        } else {
            // Common case: vr is not exact, so it cannot be an exact tie; round half up.
            var roundUp = false
            if vp / 100 > vm / 100 {
                // Two digits at a time first: most values lose at least two.
                roundUp = vr % 100 >= 50
                vr /= 100
                vp /= 100
                vm /= 100
                removed = 2
            }
            while vp / 10 > vm / 10 {
                roundUp = vr % 10 >= 5
                vr /= 10
                vp /= 10
                vm /= 10
                removed += 1
            }
            // Truncated down to vm's digits, vr may lie below the true lower bound: step up.
            output = vr &+ ((vr == vm || roundUp) ? 1 : 0)
        }
        return (output, e10 + removed)
    }

    /// `floor((m × multiplier) / 2^shift)` for a 128-bit `multiplier = high × 2^64 + low`
    /// and `64 < shift < 128`.
    @inline(__always)
    static func multiplyShift(_ m: UInt64, _ low: UInt64, _ high: UInt64, _ shift: Int) -> UInt64 {
        let lowProduct = m.multipliedFullWidth(by: low)
        let highProduct = m.multipliedFullWidth(by: high)
        // sum = highProduct + lowProduct / 2^64, at most 116 bits.
        let (sumLow, carry) = highProduct.low.addingReportingOverflow(lowProduct.high)
        let sumHigh = highProduct.high &+ (carry ? 1 : 0)
        let s = UInt64(truncatingIfNeeded: shift &- 64)
        return (sumHigh &<< (64 &- s)) | (sumLow &>> s)
    }

    /// `floor(log10(2^e))` for `0 <= e <= 1650` (78913 / 2^18 approximates log10(2)).
    @inline(__always)
    static func log10OfPowerOfTwo(_ e: Int) -> Int {
        (e &* 78913) &>> 18
    }

    /// `floor(log10(5^e))` for `0 <= e <= 2620` (732923 / 2^20 approximates log10(5)).
    @inline(__always)
    static func log10OfPowerOfFive(_ e: Int) -> Int {
        (e &* 732923) &>> 20
    }

    /// Whether `value` (nonzero) is divisible by `5^p`.
    @inline(__always)
    static func isMultiple(_ value: UInt64, ofPowerOfFive p: Int) -> Bool {
        var value = value
        var count = 0
        while value % 5 == 0 {
            value /= 5
            count += 1
        }
        return count >= p
    }

    /// Whether `value` is divisible by `2^p`, for `0 <= p < 64`.
    @inline(__always)
    static func isMultiple(_ value: UInt64, ofPowerOfTwo p: Int) -> Bool {
        value & ((1 &<< UInt64(truncatingIfNeeded: p)) &- 1) == 0
    }

    // MARK: - Text layout

    /// Writes `digits × 10^exponent` (with `0 < digits < 10^17`) to `out` in the layout
    /// `description` uses, and returns the length.
    ///
    /// With `scientific` the exponent of the leading digit: exponential form (`1e-05`,
    /// `1.25e+16`) when `scientific < -4` or when forced, else `0.00012`, `12.5` or
    /// `1200.0`.
    @inline(__always)
    static func layOut(
        digits: UInt64, exponent: Int, forceExponential: Bool, to out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let count = decimalLength(digits)
        let scientific = exponent + count - 1

        if scientific < -4 || forceExponential {
            // Digits go to out[1...count]; then the first moves left to make room for the point.
            writeDigits(digits, count: count, at: out + 1)
            out[0] = out[1]
            var length = 1
            if count > 1 {
                out[1] = UInt8(ascii: ".")
                length = count + 1
            }
            out[length] = UInt8(ascii: "e")
            var magnitude = scientific
            if magnitude < 0 {
                out[length + 1] = UInt8(ascii: "-")
                magnitude = -magnitude
            } else {
                out[length + 1] = UInt8(ascii: "+")
            }
            length += 2
            if magnitude >= 100 {
                out[length] = UInt8(truncatingIfNeeded: 0x30 + magnitude / 100)
                magnitude %= 100
                length += 1
            }
            // At least two exponent digits, as `description` writes them.
            storePair(UInt32(truncatingIfNeeded: magnitude), at: out + length)
            return length + 2
        }

        if scientific < 0 {
            // "0." then -scientific - 1 zeros (at most 3), then the digits.
            out[0] = UInt8(ascii: "0")
            out[1] = UInt8(ascii: ".")
            out[2] = UInt8(ascii: "0")
            out[3] = UInt8(ascii: "0")
            out[4] = UInt8(ascii: "0")
            let length = 1 - scientific + count
            writeDigits(digits, count: count, at: out + 1 - scientific)
            return length
        }

        if scientific + 1 < count {
            // The point falls inside the digits: write them one place right, then move the
            // integer part left over the gap.
            writeDigits(digits, count: count, at: out + 1)
            var i = 0
            while i <= scientific {
                out[i] = out[i + 1]
                i += 1
            }
            out[scientific + 1] = UInt8(ascii: ".")
            return count + 1
        }

        // An integer: the digits, zeros up to the point, then ".0".
        writeDigits(digits, count: count, at: out)
        var i = count
        while i <= scientific {
            out[i] = UInt8(ascii: "0")
            i += 1
        }
        out[scientific + 1] = UInt8(ascii: ".")
        out[scientific + 2] = UInt8(ascii: "0")
        return scientific + 3
    }

    /// The number of decimal digits of `v`, for `0 < v < 10^17`.
    @inline(__always)
    static func decimalLength(_ v: UInt64) -> Int {
        // Longest first: most doubles need 16 or 17 digits.
        if v >= 10_000_000_000_000_000 { return 17 }
        if v >= 1_000_000_000_000_000 { return 16 }
        if v >= 100_000_000_000_000 { return 15 }
        if v >= 10_000_000_000_000 { return 14 }
        if v >= 1_000_000_000_000 { return 13 }
        if v >= 100_000_000_000 { return 12 }
        if v >= 10_000_000_000 { return 11 }
        if v >= 1_000_000_000 { return 10 }
        if v >= 100_000_000 { return 9 }
        if v >= 10_000_000 { return 8 }
        if v >= 1_000_000 { return 7 }
        if v >= 100_000 { return 6 }
        if v >= 10_000 { return 5 }
        if v >= 1_000 { return 4 }
        if v >= 100 { return 3 }
        if v >= 10 { return 2 }
        return 1
    }

    /// Writes the `count` decimal digits of `value` from `start` onward.
    ///
    /// Works in blocks of 8 digits. A block of fewer digits is written as a full 8-byte word
    /// with its leading zeros shifted out, so up to `8 - count` bytes after the digits get
    /// scratch values: callers write whatever follows the digits afterwards.
    @inline(__always)
    static func writeDigits(_ value: UInt64, count: Int, at start: UnsafeMutablePointer<UInt8>) {
        if count <= 8 {
            storeLeading(eightDigits(UInt32(truncatingIfNeeded: value)), count: count, at: start)
            return
        }
        let upper = value / 100_000_000
        let low8 = UInt32(truncatingIfNeeded: value &- upper &* 100_000_000)
        if count > 16 {
            // 17 digits: one, then two full blocks.
            let top = upper / 100_000_000
            let middle8 = UInt32(truncatingIfNeeded: upper &- top &* 100_000_000)
            start[0] = UInt8(truncatingIfNeeded: 0x30 &+ top)
            storeWord(eightDigits(middle8), at: start + 1)
            storeWord(eightDigits(low8), at: start + 9)
        } else {
            storeLeading(eightDigits(UInt32(truncatingIfNeeded: upper)), count: count &- 8, at: start)
            storeWord(eightDigits(low8), at: start + (count &- 8))
        }
    }

    /// Stores the last `count` (1...8) digits of an `eightDigits` word at `start`, followed by
    /// `8 - count` scratch bytes.
    @inline(__always)
    static func storeLeading(_ word: UInt64, count: Int, at start: UnsafeMutablePointer<UInt8>) {
        // In reading order the leading zeros are the low bytes of the word.
        storeWord(word &>> UInt64(truncatingIfNeeded: 64 &- 8 &* count), at: start)
    }

    /// Stores an `eightDigits` word so that its low byte lands at `p`.
    @inline(__always)
    static func storeWord(_ word: UInt64, at p: UnsafeMutablePointer<UInt8>) {
        UnsafeMutableRawPointer(p).storeBytes(of: word.littleEndian, as: UInt64.self)
    }

    /// The 8 ASCII digits of `n` (below 10^8, with leading zeros), the first in the low byte.
    ///
    /// All digits are split out at once, SIMD-style within one 64-bit word: first into two
    /// 4-digit halves in 32-bit lanes, then into 2-digit parts in 16-bit lanes, then single
    /// digits in bytes. Each division by 100 or 10 is a multiply and shift that is exact for
    /// the lane's range (`x * 10486 >> 20 == x / 100` for `x < 10^4`, `x * 103 >> 10 == x / 10`
    /// for `x < 100`), and no lane's product spills into the next.
    @inline(__always)
    static func eightDigits(_ n: UInt32) -> UInt64 {
        let high4 = n / 10_000
        let low4 = n &- high4 &* 10_000
        let fours = UInt64(high4) | (UInt64(low4) &<< 32)
        let hundreds = ((fours &* 10486) &>> 20) & 0x0000_007F_0000_007F
        let twos = hundreds | ((fours &- hundreds &* 100) &<< 16)
        let tens = ((twos &* 103) &>> 10) & 0x000F_000F_000F_000F
        let ones = tens | ((twos &- tens &* 10) &<< 8)
        return ones | 0x3030_3030_3030_3030
    }

    /// Writes `pair` (below 100) as exactly two digits at `p`.
    @inline(__always)
    static func storePair(_ pair: UInt32, at p: UnsafeMutablePointer<UInt8>) {
        let tens = (pair &* 103) &>> 10
        let ones = pair &- tens &* 10
        p[0] = UInt8(truncatingIfNeeded: 0x30 &+ tens)
        p[1] = UInt8(truncatingIfNeeded: 0x30 &+ ones)
    }
}
