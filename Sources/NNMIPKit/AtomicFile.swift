import NNMILP

/// Writes a whole text output so that a failed run never leaves a partial
/// file (see `OutputFile`, which does the work).
public enum AtomicFile {
    /// Writes `text` to `path` atomically, or to standard output when `path` is `-`.
    public static func write(_ text: String, to path: String) throws {
        let out = try OutputFile(path: path)
        out.write(text)
        try out.commit()
    }
}
