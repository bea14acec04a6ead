import CSystemZlib
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NNIR

/// A buffered byte stream to standard output, a file or a gzip file.
///
/// Files are written under a temporary name in the destination's folder and
/// renamed into place by `commit()`, so a failed run never leaves a partial
/// file; a sink dropped without `commit()` removes its temporary file.
/// A name ending in `.gz` is compressed with zlib (level 1: fast, and model
/// text compresses well even so).
public final class OutputFile {
    private enum Target {
        case standardOutput
        case file(descriptor: Int32)
        case gzip(gzFile)
    }

    private static let capacity = 1 << 20
    /// Room that `reserve` guarantees without flushing; longer pieces go through `write(_:)`.
    public static let reserveLimit = 4096

    private let target: Target
    private let path: String
    private let temporaryPath: String?
    private let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: OutputFile.capacity)
    private var count = 0
    private var failure: Diagnostic?
    private var finished = false

    /// Opens `path` for writing (`-` is standard output).
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            target = .standardOutput
            temporaryPath = nil
            return
        }
        let destination = URL(fileURLWithPath: path)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).nnmip-\(ProcessInfo.processInfo.processIdentifier).tmp").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            buffer.deallocate()
            throw Diagnostic(.cannotWrite, file: path, "cannot create the file (\(reason))")
        }
        temporaryPath = temporary
        if path.hasSuffix(".gz") {
            guard let handle = gzdopen(descriptor, "wb1") else {
                close(descriptor)
                unlink(temporary)
                buffer.deallocate()
                throw Diagnostic(.cannotWrite, file: path, "cannot start gzip compression")
            }
            target = .gzip(handle)
        } else {
            target = .file(descriptor: descriptor)
        }
    }

    deinit {
        if !finished {
            closeTarget()
            if let temporaryPath { unlink(temporaryPath) }
        }
        buffer.deallocate()
    }

    /// A pointer with room for `length` (at most `reserveLimit`) bytes; call `advance` with what was used.
    @inline(__always)
    public func reserve(_ length: Int) -> UnsafeMutablePointer<UInt8> {
        if count + length > Self.capacity { flush() }
        return buffer + count
    }

    /// Marks `length` reserved bytes as written.
    @inline(__always)
    public func advance(_ length: Int) {
        count += length
    }

    /// Appends raw bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        if count + bytes.count > Self.capacity { flush() }
        if bytes.count > Self.capacity {
            emit(bytes)
            return
        }
        (buffer + count).update(from: bytes.bindMemory(to: UInt8.self).baseAddress!, count: bytes.count)
        count += bytes.count
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes everything out and, for a file, renames it into place.
    public func commit() throws {
        flush()
        let closed = closeTarget()
        finished = true
        if let failure {
            if let temporaryPath { unlink(temporaryPath) }
            throw failure
        }
        guard closed else {
            if let temporaryPath { unlink(temporaryPath) }
            throw Diagnostic(.cannotWrite, file: path, "cannot finish writing the file")
        }
        if let temporaryPath, rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw Diagnostic(.cannotWrite, file: path, "cannot create the file (\(reason))")
        }
    }

    private func flush() {
        guard count > 0 else { return }
        emit(UnsafeRawBufferPointer(start: buffer, count: count))
        count = 0
    }

    private func emit(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written: Int
            switch target {
            case .standardOutput: written = Glibc.write(1, base + offset, bytes.count - offset)
            case .file(let descriptor): written = Glibc.write(descriptor, base + offset, bytes.count - offset)
            case .gzip(let handle): written = Int(gzwrite(handle, base + offset, UInt32(min(bytes.count - offset, 1 << 30))))
            }
            if written <= 0 {
                if written < 0, errno == EINTR { continue }
                failure = Diagnostic(.cannotWrite, file: path, "cannot write the file (\(String(cString: strerror(errno))))")
                return
            }
            offset += written
        }
    }

    @discardableResult
    private func closeTarget() -> Bool {
        switch target {
        case .standardOutput: return true
        case .file(let descriptor): return close(descriptor) == 0
        case .gzip(let handle): return gzclose(handle) == Z_OK
        }
    }
}
