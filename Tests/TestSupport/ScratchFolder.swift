import Foundation

/// A folder of its own for one test, removed when the test lets go of it, with the writes the
/// input tests need: plain bytes, copies of fixtures, and gzip data made by the system's gzip.
public final class ScratchFolder {
    /// The folder.
    public let url: URL

    /// Creates an empty folder named after `label` under the temporary directory.
    public init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The path of `name` in the folder.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name`; returns its path.
    @discardableResult
    public func write(_ bytes: Data, to name: String) throws -> String {
        try bytes.write(to: url.appendingPathComponent(name))
        return path(name)
    }

    /// Copies the file at `source` to `name`; returns its path.
    @discardableResult
    public func copy(_ source: String, to name: String) throws -> String {
        try write(try Data(contentsOf: URL(fileURLWithPath: source)), to: name)
    }

    /// Writes the file at `source` compressed by `gzip -n` (no name or time in the header) to `name`; returns its path.
    @discardableResult
    public func gzip(_ source: String, to name: String) throws -> String {
        let made = try Tool.run("/bin/sh", ["-c", "gzip -n -c \"$1\" > \"$2\"", "sh", source, path(name)])
        guard made.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path(name)]) }
        return path(name)
    }

    /// Writes `bytes` compressed by `gzip -n` to `name`; returns its path.
    @discardableResult
    public func writeGzipped(_ bytes: Data, to name: String) throws -> String {
        try gzip(try write(bytes, to: name + ".plain"), to: name)
    }
}
