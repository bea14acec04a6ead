/// Writes a whole text output so that a failed run never leaves a partial
/// file (see `OutputFile`, which does the work).
public enum AtomicFile {
    /// Writes `text` to `path` atomically, or to standard output when `path` is `-`.
    public static func write(_ text: String, to path: String) throws {
        let out = try OutputFile(path: path)
        out.write(text)
        try out.commit()
    }

    /// Writes binary `bytes` to `path` atomically (not to standard output: `-` is refused by the caller).
    public static func write(bytes: [UInt8], to path: String) throws {
        let out = try OutputFile(path: path)
        bytes.withUnsafeBytes { out.write($0) }
        try out.commit()
    }
}
