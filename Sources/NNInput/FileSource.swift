import Foundation
import NNIR
#if canImport(Glibc)
import Glibc
#endif

/// An open input: a file descriptor from `open(2)`, or standard input for `-`, with what
/// `fstat(2)` says it is. Reads go through `read(2)` so that every failure has an `errno` for
/// `SystemError` to name; nothing here relies on a file's size being known before it is read.
struct FileSource {
    let descriptor: Int32
    /// The file as messages name it.
    let name: String
    /// Whether it is a regular file (not a pipe, FIFO, socket or device).
    let isRegularFile: Bool
    /// Whether it can be read only once: standard input, a pipe or FIFO, a socket (see `StreamRegistry`).
    let isOnceOnly: Bool
    /// The device and inode, which name a pipe however it is reached (`-`, `/dev/stdin`, `/dev/fd/0`).
    let identity: FileIdentity
    /// The size `fstat` reports: the whole content of a regular file, nothing for a pipe.
    private let reportedSize: Int
    private let ownsDescriptor: Bool

    /// Opens `path` for reading (`-`: standard input, which stays open).
    /// - Throws: `Diagnostic(.io)` naming the file and the reason.
    init(_ path: String, name: String) throws {
        self.name = name
        if path == "-" {
            (descriptor, ownsDescriptor) = (0, false)
        } else {
            var opened: Int32
            repeat { opened = open(path, O_RDONLY | O_CLOEXEC) } while opened < 0 && errno == EINTR
            guard opened >= 0 else { throw Diagnostic(.io, file: name, "cannot read the file (\(SystemError.current))") }
            (descriptor, ownsDescriptor) = (opened, true)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = path == "-" ? "standard input is \(SystemError.current)" : SystemError.current
            if ownsDescriptor { Glibc.close(descriptor) }
            throw Diagnostic(.io, file: name, "cannot read the file (\(reason))")
        }
        let type = info.st_mode & S_IFMT
        guard type != S_IFDIR else {
            if ownsDescriptor { Glibc.close(descriptor) }
            throw Diagnostic(.io, file: name, "cannot read the file (\(SystemError.reason(EISDIR)))")
        }
        isRegularFile = type == S_IFREG
        isOnceOnly = path == "-" || Self.isOnceOnly(type: type)
        identity = FileIdentity(info)
        reportedSize = Int(info.st_size)
    }

    /// The identity of what `path` names when it can be read only once: standard input (`-`,
    /// whatever it is), a pipe or FIFO, a socket; nil for anything else. `stat` does not open the
    /// file, so it never waits for a FIFO's writer.
    static func onceOnlyIdentity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard (path == "-" ? fstat(0, &info) : stat(path, &info)) == 0,
              path == "-" || isOnceOnly(type: info.st_mode & S_IFMT) else { return nil }
        return FileIdentity(info)
    }

    private static func isOnceOnly(type: mode_t) -> Bool {
        type == S_IFIFO || type == S_IFSOCK
    }

    /// Reads to the end, at most `limit` bytes.
    /// - Throws: `Diagnostic(.io)` when a read fails or there are more than `limit` bytes.
    func readAll(limit: Int) throws -> Data {
        func tooLarge() -> Diagnostic {
            Diagnostic(.io, file: name, "cannot read the file: it holds more than \(InputFile.describe(bytes: limit)), the most nnmip reads from one file")
        }
        if isRegularFile && reportedSize > limit { throw tooLarge() }
        // A regular file is read in one piece of its size (plus one byte, to see it end); a pipe grows in chunks.
        var data = Data(count: isRegularFile ? reportedSize + 1 : 1 << 16)
        var count = 0
        while true {
            if count == data.count {
                guard count <= limit else { throw tooLarge() }
                data.count = min(max(data.count * 2, 1 << 16), limit + 1)
            }
            let room = data.count - count
            let got = data.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + count, room)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw Diagnostic(.io, file: name, "cannot read the file (\(SystemError.current))")
            }
            if got == 0 { break }
            count += got
            if count > limit { throw tooLarge() }
        }
        data.count = count
        return data
    }

    /// Closes the descriptor (never standard input's).
    func close() {
        if ownsDescriptor { Glibc.close(descriptor) }
    }
}
