/// Names stored as one byte array, so writers copy them without touching `String`.
struct NameTable {
    private var bytes: [UInt8] = []
    private var start: [Int] = [0]

    /// The table of `names`.
    init<S: Sequence>(_ names: S) where S.Element == String {
        for var name in names {
            name.withUTF8 { bytes.append(contentsOf: $0) }
            start.append(bytes.count)
        }
    }

    /// The length of name `i` in bytes.
    func length(_ i: Int) -> Int { start[i + 1] - start[i] }

    /// The longest name's length.
    var longest: Int { (0..<(start.count - 1)).map(length).max() ?? 0 }

    /// Copies name `i` to `destination` and returns its length.
    @inline(__always)
    func copy(_ i: Int, to destination: UnsafeMutablePointer<UInt8>) -> Int {
        let (from, length) = (start[i], start[i + 1] - start[i])
        bytes.withUnsafeBufferPointer { destination.update(from: $0.baseAddress! + from, count: length) }
        return length
    }
}
