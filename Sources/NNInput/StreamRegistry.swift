import Foundation
import NNIR

/// What the process has read from standard input and from pipes, which cannot be read a second
/// time: `-`, a pipe reached as `/dev/stdin` or as a process substitution's `/dev/fd/N`, a FIFO.
///
/// Each is known by its device and inode, so `-` and `/dev/stdin` on a pipe are one stream.
/// The first read keeps the bytes with its purpose; a later read for the same purpose gets them
/// again (without opening the stream again, which for a FIFO whose writer has gone would wait
/// forever), and one for another purpose is a usage error, since the two inputs would have to
/// share one stream's bytes.
final class StreamRegistry: @unchecked Sendable {
    /// The registry of this process.
    static let shared = StreamRegistry()

    private let lock = NSLock()
    private var inputs: [FileIdentity: (purpose: String, input: InputFile)] = [:]

    /// The bytes already read from the stream `identity` for `purpose`, or nil when it was not read yet.
    /// - Throws: `Diagnostic(.usage)` naming `name` when the stream was read for another purpose.
    func kept(_ identity: FileIdentity, for purpose: String, name: String) throws -> InputFile? {
        lock.lock()
        defer { lock.unlock() }
        guard let earlier = inputs[identity] else { return nil }
        guard earlier.purpose == purpose else {
            let stream = name == InputFile.displayName("-") ? "standard input" : "this pipe"
            let alias = earlier.input.name == name ? "" : " (as \(earlier.input.name))"
            throw Diagnostic(.usage, file: name,
                             "\(stream) was already read\(alias) for \(earlier.purpose) and can be read only once; give \(purpose) as a file")
        }
        return earlier.input
    }

    /// Keeps what was read from the stream `identity` for `purpose`.
    func keep(_ input: InputFile, identity: FileIdentity, purpose: String) {
        lock.lock()
        defer { lock.unlock() }
        inputs[identity] = (purpose, input)
    }
}
