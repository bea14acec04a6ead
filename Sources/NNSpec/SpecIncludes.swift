import Foundation
import NNIR

/// The chain of spec files being read, each naming the next (a JSON spec's
/// `vnnlib` key names another spec file, which may be JSON again).
///
/// Every file-includes-file path goes through `entering(_:)`, which refuses a
/// file that is already open further up the chain (compared by device and
/// inode, so `a.json`, `./a.json` and a symlink to it are the same file) and a
/// chain deeper than `depthLimit`, so a spec that names itself, or two that name
/// each other, end with a diagnostic instead of a stack overflow.
struct SpecIncludes {
    /// The deepest chain of spec files allowed (the file given on the command line counts as 1).
    static let depthLimit = 16

    /// A file's identity: device and inode when the file exists, else its absolute path with `.` and `..` removed.
    private enum Identity: Hashable {
        case file(FileIdentity)
        case path(String)
    }

    /// The open files, outermost first, with the paths they were named by.
    private var chain: [(identity: Identity, path: String)] = []

    /// Records that `path` is being read; the returned chain must be restored
    /// (by `leaving()`) when the file is done.
    /// - Throws: `Diagnostic(.malformedInput)` naming the cycle (`a.json → b.json → a.json`)
    ///   or the depth limit.
    mutating func entering(_ path: String) throws {
        let identity = Self.identity(of: path)
        if let first = chain.firstIndex(where: { $0.identity == identity }) {
            // The repeated file is named as it was first, so the cycle reads a.json → b.json → a.json.
            let cycle = (chain[first...].map(\.path) + [chain[first].path]).joined(separator: " → ")
            throw Diagnostic(.malformedInput, file: chain[chain.count - 1].path,
                             "the spec files include each other in a cycle: \(cycle)")
        }
        guard chain.count < Self.depthLimit else {
            throw Diagnostic(.malformedInput, file: path,
                             "spec files nest more than \(Self.depthLimit) deep: \(chain.map(\.path).joined(separator: " → ")) → \(path)")
        }
        chain.append((identity, path))
    }

    /// Ends the innermost file.
    mutating func leaving() {
        chain.removeLast()
    }

    private static func identity(of path: String) -> Identity {
        FileIdentity.of(path).map { .file($0) } ?? .path(URL(fileURLWithPath: path).standardizedFileURL.path)
    }
}
