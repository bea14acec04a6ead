import Foundation
import NNIR
import NNInput

/// The model formats nnmip reads, and how a file's format is found: the extension of its name
/// (after any `.gz`) when that is one of theirs, else its content, so that standard input,
/// `/dev/fd/N`, a name without an extension and one with another extension all load.
public enum ModelFormat: CaseIterable, Sendable {
    /// ONNX (`.onnx`): a protobuf `ModelProto`.
    case onnx
    /// Keras: HDF5 (`.h5`, `.hdf5`) or a Keras 3 zip archive (`.keras`); `KerasFrontEnd` tells them apart by content.
    case keras
    /// nnmip's IR text (`.nnir`).
    case ir

    /// The extensions that name the format.
    public var extensions: [String] {
        switch self {
        case .onnx: ["onnx"]
        case .keras: ["h5", "hdf5", "keras"]
        case .ir: ["nnir"]
        }
    }

    /// The format as messages list it.
    public var title: String {
        switch self {
        case .onnx: "ONNX (.onnx)"
        case .keras: "Keras (.h5 or .keras)"
        case .ir: "nnmip IR (.nnir)"
        }
    }

    /// The format of `input`.
    /// - Throws: `Diagnostic(.malformedInput)` naming the file and what it starts with when neither
    ///   its name nor its content is one of the formats.
    public static func of(_ input: InputFile) throws -> ModelFormat {
        if let ext = input.nameExtension, let format = allCases.first(where: { $0.extensions.contains(ext) }) {
            return format
        }
        if let format = allCases.first(where: { $0.recognizes(input.bytes) }) {
            return format
        }
        let known = allCases.map(\.title).joined(separator: ", ")
        throw Diagnostic(.malformedInput, file: input.name,
                         "not a model nnmip reads: \(input.preview); nnmip reads \(known), gzipped or not, by the name's extension or else by content")
    }

    /// Whether `bytes` start as a file of this format does.
    func recognizes(_ bytes: Data) -> Bool {
        switch self {
        // Every ONNX writer serializes ModelProto's fields in order, starting with ir_version
        // (field 1, a varint: tag byte 08); protobuf has no other signature.
        case .onnx: bytes.first == 0x08
        case .keras: HDF5File.hasSignature(bytes) || bytes.starts(with: KerasFrontEnd.zipSignature)
        case .ir: bytes.starts(with: Data(IRPrinter.header.utf8))
        }
    }
}
