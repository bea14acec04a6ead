import Foundation
import NNIR

/// One input file, read whole into memory: the one way nnmip reads every file it is given
/// (models, specs and the files they include, points, bounds, Keras configs, solutions, name
/// maps, instance lists).
///
/// - `-` is standard input.
/// - Pipes, FIFOs, process substitutions (`<(...)`, which bash passes as `/dev/fd/N`),
///   `/dev/stdin` and devices are read to their end like regular files: nothing asks a file for its
///   size or its name's extension before reading it.
/// - gzip data (first bytes 1f 8b) is inflated, whatever the file is named (`Gzip`).
/// - Nothing larger than `sizeLimit` is read, before or after inflating, so an endless device or a
///   decompression bomb ends in an error instead of exhausting memory.
///
/// Front ends decide the format from `nameExtension`, and from the content where the name says
/// nothing (`-`, `/dev/fd/63`, no extension).
public struct InputFile: Sendable {
    /// The most bytes nnmip reads from one file (2 GiB, also protobuf's limit for one ONNX model;
    /// larger ONNX models keep their weights in external data files).
    public static let sizeLimit = 1 << 31

    /// The path as given (`-` for standard input).
    public let path: String
    /// The content, inflated when the file held gzip data.
    public let bytes: Data
    /// Whether the file held gzip data.
    public let wasCompressed: Bool

    /// The file as messages name it: the path, or `<stdin>` for `-`.
    public var name: String {
        Self.displayName(path)
    }

    /// The extension of the file's name once a `.gz` is taken off, in lower case and without the
    /// dot (`onnx` for `net.onnx.gz`); nil when the name says nothing (`-`, `/dev/fd/63`, `model`).
    public var nameExtension: String? {
        guard path != "-" else { return nil }
        let name = Self.nameWithoutGzip(path)
        let ext = (name as NSString).pathExtension.lowercased()
        return ext.isEmpty ? nil : ext
    }

    /// The content as UTF-8 text.
    /// - Throws: `Diagnostic(.malformedInput)` naming the file when it is not UTF-8.
    public func text(expected: String) throws -> String {
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw Diagnostic(.malformedInput, file: name, "not UTF-8 text (\(preview)); expected \(expected)")
        }
        return text
    }

    /// Creates an input from bytes already in memory (a test's, or an archive member's).
    public init(path: String, bytes: Data, wasCompressed: Bool = false) {
        self.path = path
        self.bytes = bytes
        self.wasCompressed = wasCompressed
    }

    /// Reads the file at `path` (`-`: standard input), inflating gzip data, for `purpose` (`the
    /// model`, `the spec`: the words a refusal uses when a pipe is asked for twice).
    ///
    /// Standard input and pipes can be read only once, so what was read from one is kept for the
    /// life of the process (`StreamRegistry`): reading it again for the same purpose (a model
    /// loaded twice) gives the same bytes, and reading it for another purpose (`eval - --input -`,
    /// where both would come from standard input) is refused. Files and devices are read afresh
    /// each time, so no copy of a large model is kept.
    ///
    /// - Throws: `Diagnostic(.io)` naming the file and the reason (`no such file`, `permission
    ///   denied`, `is a directory`) when it cannot be read or is larger than `limit`;
    ///   `Diagnostic(.malformedInput)` for damaged or truncated gzip data; `Diagnostic(.usage)` for
    ///   a pipe already read for another purpose.
    public static func read(_ path: String, for purpose: String, limit: Int = sizeLimit) throws -> InputFile {
        let name = displayName(path)
        if let identity = FileSource.onceOnlyIdentity(path), let kept = try StreamRegistry.shared.kept(identity, for: purpose, name: name) {
            return kept
        }
        let source = try FileSource(path, name: name)
        defer { source.close() }
        let input = try decoded(path, raw: source.readAll(limit: limit), limit: limit)
        if source.isOnceOnly { StreamRegistry.shared.keep(input, identity: source.identity, purpose: purpose) }
        return input
    }

    /// `raw` as read from `path`, inflated when it is gzip data.
    private static func decoded(_ path: String, raw: Data, limit: Int) throws -> InputFile {
        guard Gzip.isCompressed(raw) else { return InputFile(path: path, bytes: raw) }
        return InputFile(path: path, bytes: try Gzip.inflate(raw, limit: limit, file: displayName(path)), wasCompressed: true)
    }

    /// `path` as messages name it: `<stdin>` for `-`.
    public static func displayName(_ path: String) -> String {
        path == "-" ? "<stdin>" : path
    }

    /// The file name of `path` without its folder, a `.gz` and then its extension (`net` for
    /// `nets/net.onnx.gz`), for naming what is made from it; `stdin` for `-`.
    public static func stem(_ path: String) -> String {
        guard path != "-" else { return "stdin" }
        return ((nameWithoutGzip(path) as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    private static func nameWithoutGzip(_ path: String) -> String {
        path.lowercased().hasSuffix(".gz") ? String(path.dropLast(3)) : path
    }

    /// What the content starts with, for a message saying what was seen instead of a format:
    /// `it is empty`, `it starts with the text "# Models"`, `it starts with the bytes 00 01 02 03`.
    public var preview: String {
        guard !bytes.isEmpty else { return wasCompressed ? "its gzip data holds nothing" : "it is empty" }
        let head = bytes.prefix(32)
        let inflated = wasCompressed ? " once inflated" : ""
        if let text = String(data: head, encoding: .utf8) ?? String(data: bytes.prefix(28), encoding: .utf8),
           text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return "it starts\(inflated) with the text \(JSONString.quoted(line.trimmingCharacters(in: .whitespaces)))"
        }
        return "it starts\(inflated) with the bytes " + bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
    }

    /// `count` bytes in the largest binary unit that divides it (`2 GiB`), for messages.
    public static func describe(bytes count: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where count >= size && count % size == 0 {
            return "\(count / size) \(unit)"
        }
        return "\(count) bytes"
    }
}
