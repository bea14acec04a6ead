#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns the C memory of a protobuf-c message tree while it is being packed.
///
/// protobuf-c messages are plain C structs that point at each other, at
/// strings and at arrays; the arena allocates all of them and frees them
/// together in `deinit`, so no pointer handed to protobuf-c outlives it.
final class ProtoArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit {
        for block in blocks { free(block) }
    }

    /// Zeroed storage for one `T`, set up by `initialize` (a protobuf-c `*__init` function).
    func message<T>(_ initialize: (UnsafeMutablePointer<T>) -> Void) -> UnsafeMutablePointer<T> {
        let pointer = allocate(T.self, count: 1)
        initialize(pointer)
        return pointer
    }

    /// A C copy of `text`.
    func string(_ text: String) -> UnsafeMutablePointer<CChar> {
        let bytes = Array(text.utf8CString)
        let pointer = allocate(CChar.self, count: bytes.count)
        pointer.update(from: bytes, count: bytes.count)
        return pointer
    }

    /// A C array holding `values`, or nil when there are none (protobuf-c's convention for empty repeated fields).
    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let pointer = allocate(T.self, count: values.count)
        pointer.initialize(from: values, count: values.count)
        return pointer
    }

    /// Raw bytes, for a tensor's raw_data.
    func bytes(_ values: [UInt8]) -> UnsafeMutablePointer<UInt8>? {
        array(values)
    }

    private func allocate<T>(_ type: T.Type, count: Int) -> UnsafeMutablePointer<T> {
        let size = max(1, MemoryLayout<T>.stride * count)
        // Allocation failure of a few bytes is not recoverable anywhere in the process.
        guard let raw = calloc(1, size) else { fatalError("out of memory (\(size) bytes)") }
        blocks.append(raw)
        return raw.bindMemory(to: T.self, capacity: count)
    }
}
