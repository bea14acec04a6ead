import COnnx
import Foundation
import NNIR
import NNInput

/// An ONNX model unpacked by protobuf-c (`onnx__model_proto__unpack`).
///
/// Owns the C message tree and frees it (`onnx__model_proto__free_unpacked`)
/// when the last reference goes; the Swift views in `ONNXProtoViews.swift`
/// keep a reference so no pointer outlives it. The file's bytes (read by
/// `InputFile`) are needed only while they are unpacked, so only protobuf-c's
/// copy stays.
final class ONNXModelFile {
    /// The file as messages name it.
    let path: String
    /// The folder that external data locations are relative to: the model file's (the current
    /// directory for standard input).
    let folder: URL
    /// The unpacked model; valid until `deinit`.
    let model: UnsafeMutablePointer<Onnx__ModelProto>

    /// Unpacks `input`. Throws `.malformedInput` if it is not a protobuf ModelProto.
    init(_ input: InputFile) throws {
        path = input.name
        folder = URL(fileURLWithPath: input.path).deletingLastPathComponent()
        guard !input.bytes.isEmpty else {
            throw Diagnostic(.malformedInput, file: path, "the file is empty; expected an ONNX model")
        }
        let unpacked = input.bytes.withUnsafeBytes { bytes -> UnsafeMutablePointer<Onnx__ModelProto>? in
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
}
