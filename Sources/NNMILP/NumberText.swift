import Foundation

/// Number formatting for the writers.
enum NumberText {
    /// The room `write` needs (it may use scratch bytes beyond the text it returns).
    static let maximumLength = ShortestDouble.maximumLength

    /// Writes the shortest text that reads back as exactly `value`; returns its length.
    /// Negative zero is written as `0.0`: it is the same number to a solver, and `-0.0`
    /// in a right-hand side only puzzles a reader.
    @inline(__always)
    static func write(_ value: Double, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        ShortestDouble.write(value + 0.0, to: destination)
    }

    /// The closest text of at most `width` characters (fixed MPS's 12-column
    /// fields), and whether it had to be rounded to fit.
    static func fitted(_ value: Double, width: Int) -> (text: String, rounded: Bool) {
        let exact = (value + 0.0).description
        let plain = exact.hasSuffix(".0") ? String(exact.dropLast(2)) : exact
        if plain.utf8.count <= width { return (plain, false) }
        for digits in stride(from: 17, through: 1, by: -1) {
            let candidate = String(format: "%.\(digits)g", value)
            if candidate.utf8.count <= width { return (candidate, Double(candidate) != value) }
        }
        return (String(format: "%.0e", value), true)
    }
}
