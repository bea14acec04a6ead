import CSystemZlib
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NNIR

/// A buffered byte stream to standard output, a file or a gzip file.
///
/// A regular file (or a new one) is written under a temporary name in its
/// folder and renamed into place by `commit()`, so a failed run never leaves a
/// partial file; a sink dropped without `commit()` removes its temporary file.
/// Devices and FIFOs are written in place, and symbolic links are followed to
/// the file they name (see `OutputDestination`). A name ending in `.gz` is
/// compressed with zlib (level 1: fast, and model text compresses well even so).
/// Once more than one buffer's worth has been written, the writing (and the
/// compression) goes on on a thread of its own (`BackgroundWriter`) while the
/// caller fills the next buffer.
///
/// `commit()` is `finish()` (write out and close, where writing can fail)
/// followed by `publish()` (the rename), so that `OutputSet` can finish every
/// file of a command before it publishes any.
public final class OutputFile {
    private enum Target {
        case standardOutput
        case file(descriptor: Int32)
        case gzip(gzFile)
    }

    private enum State {
        case open, finished, done
    }

    private static let capacity = 1 << 20
    /// Room that `reserve` guarantees without flushing; longer pieces go through `write(_:)`.
    public static let reserveLimit = 4096

    /// Where the bytes go, and the first failure to write them; the writer thread holds it too.
    private let sink: Sink
    /// The name the file was opened with (`-` for standard output), as messages give it.
    public let path: String
    /// Where the bytes end up: `path` with symbolic links resolved (nil for standard output).
    private let destination: String?
    private let temporaryPath: String?
    private var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: OutputFile.capacity)
    private var count = 0
    /// Started by the first full buffer.
    private var writer: BackgroundWriter?
    private var state = State.open

    /// Opens `path` for writing (`-` is standard output); a name ending in `.gz` is compressed
    /// unless `compressing` is false. A FIFO is opened here, so this waits until a reader opens the pipe.
    public init(path: String, compressing: Bool = true) throws {
        self.path = path
        if path == "-" {
            sink = Sink(target: .standardOutput, path: path)
            destination = nil
            temporaryPath = nil
            return
        }
        let descriptor: Int32
        do {
            let resolved = try OutputDestination(path: path)
            destination = resolved.target
            switch resolved.method {
            case .inPlace:
                descriptor = try Self.openInPlace(resolved.target, path: path)
                temporaryPath = nil
            case .replace(let existing):
                (descriptor, temporaryPath) = try Self.createTemporary(beside: resolved, replacing: existing, path: path)
            }
        } catch {
            buffer.deallocate()
            throw error
        }
        if compressing, path.hasSuffix(".gz") {
            guard let handle = gzdopen(descriptor, "wb1") else {
                close(descriptor)
                if let temporaryPath { unlink(temporaryPath) }
                buffer.deallocate()
                throw Diagnostic(.cannotWrite, file: path, "cannot start gzip compression")
            }
            sink = Sink(target: .gzip(handle), path: path)
        } else {
            sink = Sink(target: .file(descriptor: descriptor), path: path)
        }
    }

    /// The file another program should write this output's bytes to (HiGHS's log, say): the
    /// temporary file that `commit()` renames into place, or the device or FIFO itself; nil for
    /// standard output.
    public var writerPath: String? {
        temporaryPath ?? destination
    }

    /// Opens a device or FIFO for writing, without truncating or replacing it.
    private static func openInPlace(_ target: String, path: String) throws -> Int32 {
        while true {
            let descriptor = open(target, O_WRONLY | O_CLOEXEC)
            if descriptor >= 0 { return descriptor }
            if errno == EINTR { continue }
            throw Diagnostic(.cannotWrite, file: path, "cannot open the file for writing (\(SystemError.current))")
        }
    }

    /// Creates a new temporary file in the destination's folder, with the permission bits (and,
    /// where allowed, the owner) of the file it will replace; returns its descriptor and name.
    private static func createTemporary(beside destination: OutputDestination, replacing existing: stat?,
                                        path: String) throws -> (Int32, String) {
        let name = (destination.target as NSString).lastPathComponent
        let process = ProcessInfo.processInfo.processIdentifier
        for attempt in 0..<100 {
            let temporary = (destination.folder as NSString).appendingPathComponent(".\(name).nnmip-\(process)-\(attempt).tmp")
            // O_EXCL: never reuse (or follow a link planted at) a name that exists.
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor < 0 {
                if errno == EEXIST || errno == EINTR { continue }
                throw Diagnostic(.cannotWrite, file: path, "cannot create the file (\(SystemError.current))")
            }
            if let existing {
                // Owner first: changing it may clear set-id bits, which the mode then restores.
                _ = fchown(descriptor, existing.st_uid, existing.st_gid)
                guard fchmod(descriptor, existing.st_mode & 0o7777) == 0 else {
                    let reason = SystemError.current
                    close(descriptor)
                    unlink(temporary)
                    throw Diagnostic(.cannotWrite, file: path, "cannot keep the file's permissions (\(reason))")
                }
            }
            return (descriptor, temporary)
        }
        throw Diagnostic(.cannotWrite, file: path, "cannot create the file (no free temporary name in \(destination.folder))")
    }

    deinit {
        discard()
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
            writer?.drain()  // the writer is idle from here on, so the bytes can be written on this thread
            sink.emit(bytes)
            return
        }
        guard let base = bytes.bindMemory(to: UInt8.self).baseAddress else { return }
        (buffer + count).update(from: base, count: bytes.count)
        count += bytes.count
    }

    /// Appends a string's UTF-8 bytes.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes everything out and, for a file, renames it into place.
    public func commit() throws {
        try finish()
        try publish()
    }

    /// Writes everything out and closes the file; the bytes are not yet in place (see `publish()`).
    /// On failure the temporary file is removed.
    public func finish() throws {
        guard state == .open else { return }
        writeOut()
        let closed = sink.close()
        state = .finished
        if let failure = sink.failure {
            removeTemporary()
            state = .done
            throw failure
        }
        guard closed else {
            removeTemporary()
            state = .done
            throw Diagnostic(.cannotWrite, file: path, "cannot finish writing the file")
        }
    }

    /// Renames the finished temporary file over its destination (for devices, FIFOs and
    /// standard output there is nothing to do); finishes the file first if need be.
    public func publish() throws {
        try finish()
        guard state == .finished else { return }
        state = .done
        guard let temporaryPath, let destination else { return }
        if rename(temporaryPath, destination) != 0 {
            let reason = SystemError.current
            unlink(temporaryPath)
            throw Diagnostic(.cannotWrite, file: path, "cannot create the file (\(reason))")
        }
    }

    /// Gives the output up: closes it and removes the temporary file, so the destination is left
    /// as it was (bytes already written to a device or FIFO stay written).
    public func discard() {
        if state == .open {
            stopWriter(discardingQueued: true)
            sink.close()
        }
        if state != .done { removeTemporary() }
        state = .done
    }

    private func removeTemporary() {
        if let temporaryPath { unlink(temporaryPath) }
    }

    /// Hands the full buffer to the writer thread (starting it the first time) and takes an empty one.
    private func flush() {
        guard count > 0 else { return }
        if writer == nil {
            writer = BackgroundWriter(capacity: Self.capacity) { [sink] bytes in sink.emit(bytes) }
        }
        buffer = writer!.exchange(buffer, count: count)
        count = 0
    }

    /// Writes out the buffer and everything queued, and ends the writer thread.
    private func writeOut() {
        if writer != nil { flush() } else if count > 0 { sink.emit(UnsafeRawBufferPointer(start: buffer, count: count)) }
        count = 0
        stopWriter(discardingQueued: false)
    }

    /// Ends the writer thread, after writing what is queued or (when the output is given up) dropping it.
    private func stopWriter(discardingQueued: Bool) {
        writer?.stop(discardingQueued: discardingQueued)
        writer = nil
    }

    /// The target of the bytes and the first failure to write them, shared with the writer thread:
    /// it must not hold the output itself, which a discarding `deinit` may be tearing down.
    private final class Sink: @unchecked Sendable {
        let target: Target
        let path: String
        /// Set by `emit` (on the writer thread once there is one); read after the thread has stopped.
        private(set) var failure: Diagnostic?

        init(target: Target, path: String) {
            self.target = target
            self.path = path
        }

        /// Writes `bytes` to the target; the first failure is kept and later bytes are dropped.
        func emit(_ bytes: UnsafeRawBufferPointer) {
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
                    failure = Diagnostic(.cannotWrite, file: path, "cannot write the file (\(SystemError.current))")
                    return
                }
                offset += written
            }
        }

        @discardableResult
        func close() -> Bool {
            switch target {
            case .standardOutput: return true
            case .file(let descriptor): return Glibc.close(descriptor) == 0
            case .gzip(let handle): return gzclose(handle) == Z_OK
            }
        }
    }
}
