import COnnx
import Foundation
import NNIR

/// An `.onnx` file unpacked by protobuf-c (`onnx__model_proto__unpack`).
///
/// Owns the C message tree and frees it (`onnx__model_proto__free_unpacked`)
/// when the last reference goes; the Swift views in `ONNXProtoViews.swift`
/// keep a reference so no pointer outlives it. The file is memory-mapped while
/// it is unpacked and unmapped right after, so only protobuf-c's copy stays.
final class ONNXModelFile {
    /// The path as the user gave it, for diagnostics.
    let path: String
    /// The unpacked model; valid until `deinit`.
    let model: UnsafeMutablePointer<Onnx__ModelProto>

    /// Reads and unpacks `path`. Throws `.io` if it cannot be read and
    /// `.malformedInput` if it is not a protobuf ModelProto.
    init(path: String) throws {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw Diagnostic(.io, file: path, "cannot read the file (\(Self.reason(error)))")
        }
        guard !data.isEmpty else {
            throw Diagnostic(.malformedInput, file: path, "the file is empty; expected an ONNX model")
        }
        let unpacked = data.withUnsafeBytes { bytes -> UnsafeMutablePointer<Onnx__ModelProto>? in
            guard let base = bytes.baseAddress else { return nil }
            return onnx__model_proto__unpack(nil, bytes.count, base.assumingMemoryBound(to: UInt8.self))
        }
        guard let unpacked else {
            throw Diagnostic(.malformedInput, file: path,
                             "not a valid ONNX model: the protobuf data does not parse (is the file truncated, or not an .onnx file?)")
        }
        model = unpacked
    }

    deinit {
        onnx__model_proto__free_unpacked(model, nil)
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
    }
}
