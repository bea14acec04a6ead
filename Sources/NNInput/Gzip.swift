import CSystemZlib
import Foundation
import NNIR

/// gzip data in memory, inflated with zlib (`inflate`), as VNN-COMP ships its models and
/// properties (`.onnx.gz`, `.vnnlib.gz`).
///
/// Recognised by content (the magic bytes 1f 8b), whatever the file is named. Several members
/// one after another (what `cat a.gz b.gz` gives) inflate to their contents one after another, as
/// `gzip -d` does; anything else after the data is an error, and so is data that ends before the
/// end of its stream (a truncated download).
enum Gzip {
    /// The first two bytes of every gzip member (RFC 1952).
    static let magic: [UInt8] = [0x1F, 0x8B]

    /// Whether `bytes` start like gzip data.
    static func isCompressed(_ bytes: Data) -> Bool {
        bytes.count >= 2 && bytes[bytes.startIndex] == magic[0] && bytes[bytes.startIndex + 1] == magic[1]
    }

    /// The inflated content of `compressed`, at most `limit` bytes; `file` names it in diagnostics.
    /// - Throws: `Diagnostic(.malformedInput)` for damaged or truncated data, `Diagnostic(.io)`
    ///   when the content is larger than `limit` (a decompression bomb stops there).
    static func inflate(_ compressed: Data, limit: Int, file: String) throws -> Data {
        var stream = z_stream()
        guard nnmip_inflate_init_gzip(&stream) == Z_OK else {
            throw Diagnostic(.internal, file: file, "zlib cannot start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        let chunk = 1 << 18
        var buffer = [UInt8](repeating: 0, count: chunk)
        try compressed.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            guard let base = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            var consumed = 0
            while true {
                // zlib counts in 32 bits; feed the input in slices it can count.
                if stream.avail_in == 0 {
                    let slice = min(input.count - consumed, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: base + consumed)
                    stream.avail_in = UInt32(slice)
                    consumed += slice
                }
                let status = buffer.withUnsafeMutableBufferPointer { out -> Int32 in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    return CSystemZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                guard output.count + produced <= limit else {
                    throw Diagnostic(.io, file: file, "cannot read the file: its gzip data inflates to more than \(InputFile.describe(bytes: limit)), the most nnmip reads from one file")
                }
                output.append(contentsOf: buffer[0..<produced])
                let position = consumed - Int(stream.avail_in)
                switch status {
                case Z_STREAM_END:
                    // Another member may follow; anything else is not gzip data.
                    guard position < input.count else { return }
                    guard input.count - position >= 2, base[position] == magic[0], base[position + 1] == magic[1] else {
                        throw Diagnostic(.malformedInput, file: file, location: "byte \(position)",
                                         "the gzip data ends here, and what follows is not gzip data")
                    }
                    inflateReset(&stream)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where position == input.count && stream.avail_out > 0:
                    throw Diagnostic(.malformedInput, file: file,
                                     "the gzip data is truncated: it ends after \(input.count) bytes, before the end of its compressed stream")
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw Diagnostic(.malformedInput, file: file, location: "byte \(position)", "damaged gzip data (\(reason))")
                }
            }
        }
        return output
    }
}
