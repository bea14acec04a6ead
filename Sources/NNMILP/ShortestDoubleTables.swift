/// The power-of-5 multipliers that `ShortestDouble` (the Ryu algorithm) scales by.
///
/// Each entry is a 128-bit fixed-point number, stored as two `UInt64` halves in a
/// flat array: entry `i` is `table[2 * i]` (low half) and `table[2 * i + 1]` (high
/// half). The tables are computed exactly on first use with a small big-integer
/// type, rather than pasted in as literals; `static let` makes that first use
/// thread safe.
enum ShortestDoubleTables {
    /// Bits kept of each power of 5 in `powersOfFive`.
    static let powerBitCount = 125

    /// The scale of the reciprocals in `inversePowersOfFive`: each has 125 or 126 bits.
    static let inverseBitCount = 125

    /// Entries in `powersOfFive`: `5^i` is needed for `i` up to 325 (the smallest subnormals).
    static let powerCount = 326

    /// Entries in `inversePowersOfFive`: `5^-q` is needed for `q` up to 290 (the largest finite doubles).
    static let inverseCount = 291

    /// `5^i`, truncated (or padded with zero bits) to exactly `powerBitCount` significant bits:
    /// `floor(5^i / 2^(powerOfFiveBits(i) - 125))`.
    static let powersOfFive: [UInt64] = {
        var table = [UInt64]()
        table.reserveCapacity(2 * powerCount)
        var power = Natural(1)
        for i in 0..<powerCount {
            // Bits of 5^i from `lowest` upward; a negative `lowest` appends zero bits.
            let lowest = powerOfFiveBits(i) - powerBitCount
            let (high, low) = power.bits128(from: lowest)
            table.append(low)
            table.append(high)
            power.multiply(by: 5)
        }
        return table
    }()

    /// `floor(2^(powerOfFiveBits(q) - 1 + 125) / 5^q) + 1`, a reciprocal of `5^q` rounded up.
    static let inversePowersOfFive: [UInt64] = {
        var table = [UInt64]()
        table.reserveCapacity(2 * inverseCount)
        var power = Natural(1)
        for q in 0..<inverseCount {
            let dividendBit = powerOfFiveBits(q) - 1 + inverseBitCount
            var (high, low) = Natural.quotientOfPowerOfTwo(dividendBit, by: power)
            // Add 1 to the 128-bit quotient.
            low &+= 1
            if low == 0 { high &+= 1 }
            table.append(low)
            table.append(high)
            power.multiply(by: 5)
        }
        return table
    }()
}

/// The number of bits in `5^e` (1 for `e == 0`), exact for `0 <= e <= 3528`.
///
/// 1217359 / 2^19 approximates log2(5) closely enough for that range.
@inline(__always)
func powerOfFiveBits(_ e: Int) -> Int {
    ((e &* 1217359) &>> 19) &+ 1
}

/// A minimal arbitrary-size unsigned integer, used only to compute the tables above.
private struct Natural {
    /// Base-2^32 digits, least significant first, with no trailing zero limbs (zero is `[]`).
    var limbs: [UInt32]

    /// The integer `value`.
    init(_ value: UInt32) {
        limbs = value == 0 ? [] : [value]
    }

    /// The integer `2^exponent`.
    static func powerOfTwo(_ exponent: Int) -> Natural {
        var result = Natural(0)
        result.limbs = [UInt32](repeating: 0, count: exponent / 32 + 1)
        result.limbs[exponent / 32] = 1 << UInt32(exponent % 32)
        return result
    }

    /// The number of significant bits (0 for zero).
    var bitWidth: Int {
        guard let top = limbs.last else { return 0 }
        return 32 * limbs.count - top.leadingZeroBitCount
    }

    /// Multiplies in place by a small factor.
    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// Doubles in place, then adds `bit` (0 or 1).
    mutating func doubleAndAdd(_ bit: UInt32) {
        var carry = bit
        for i in limbs.indices {
            let limb = limbs[i]
            limbs[i] = (limb << 1) | carry
            carry = limb >> 31
        }
        if carry != 0 { limbs.append(carry) }
    }

    /// Whether `self >= other`.
    func isAtLeast(_ other: Natural) -> Bool {
        if limbs.count != other.limbs.count { return limbs.count > other.limbs.count }
        for i in limbs.indices.reversed() where limbs[i] != other.limbs[i] {
            return limbs[i] > other.limbs[i]
        }
        return true
    }

    /// Subtracts `other`, which must not exceed `self`.
    mutating func subtract(_ other: Natural) {
        var borrow: Int64 = 0
        for i in limbs.indices {
            var difference = Int64(limbs[i]) - borrow
            if i < other.limbs.count { difference -= Int64(other.limbs[i]) }
            borrow = difference < 0 ? 1 : 0
            limbs[i] = UInt32(truncatingIfNeeded: difference)
        }
        precondition(borrow == 0, "Natural.subtract: negative result")
        while limbs.last == 0 { limbs.removeLast() }
    }

    /// Bit `index` (0 = least significant); bits below 0 or beyond the top are 0.
    func bit(_ index: Int) -> UInt64 {
        guard index >= 0, index / 32 < limbs.count else { return 0 }
        return UInt64((limbs[index / 32] >> UInt32(index % 32)) & 1)
    }

    /// The 128 bits starting at bit `lowest`, i.e. `floor(self / 2^lowest)` (or `self * 2^-lowest`
    /// when `lowest` is negative), as high and low halves; the caller makes sure it fits.
    func bits128(from lowest: Int) -> (high: UInt64, low: UInt64) {
        precondition(bitWidth - lowest <= 128, "Natural.bits128: value too wide")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for k in 0..<64 {
            low |= bit(lowest + k) << UInt64(k)
            high |= bit(lowest + 64 + k) << UInt64(k)
        }
        return (high, low)
    }

    /// `floor(2^exponent / divisor)`, which the caller guarantees is below 2^128, as high and low halves.
    ///
    /// Schoolbook binary long division; since the quotient has at most 128 bits, the
    /// remainder carried into the last 128 steps is simply `2^exponent >> 128`.
    static func quotientOfPowerOfTwo(_ exponent: Int, by divisor: Natural) -> (high: UInt64, low: UInt64) {
        var remainder = exponent >= 128 ? Natural.powerOfTwo(exponent - 128) : Natural(0)
        precondition(!remainder.isAtLeast(divisor), "Natural.quotientOfPowerOfTwo: quotient too wide")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in stride(from: 127, through: 0, by: -1) {
            remainder.doubleAndAdd(position == exponent ? 1 : 0)
            high = (high << 1) | (low >> 63)
            low <<= 1
            if remainder.isAtLeast(divisor) {
                remainder.subtract(divisor)
                low |= 1
            }
        }
        return (high, low)
    }
}
