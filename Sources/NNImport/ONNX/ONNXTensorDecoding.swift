import COnnx
import Foundation
import NNIR

/// Decoding of ONNX `TensorProto` data into `ConstantTensor`s: raw little-endian
/// bytes, typed fields, or an external file next to the model.
extension ONNXTensorRef {
    /// The largest number of elements nnmip accepts in a tensor whose size an
    /// operator computes (2^26, 512 MB as Float64): a guard against files that
    /// claim absurd shapes for tensors they do not hold.
    static let elementLimit = 1 << 26

    /// The largest number of elements nnmip accepts in a tensor the file holds
    /// (2^32): its bytes are there, and checked against its shape before any
    /// memory is taken for it, so a false claim fails as a size mismatch. The
    /// largest networks of the surrogate paper have 10^8-weight layers.
    static let storedElementLimit = 1 << 32

    /// Decodes the tensor. `place` names it in errors (e.g. `initializer 'W'`).
    func decode(place: String) throws -> ConstantTensor {
        let t = proto.pointee
        let path = file.path
        func fail(_ message: String) -> Diagnostic { Diagnostic(.malformedInput, file: path, location: place, message) }

        let dims = protoArray(t.n_dims, t.dims) { Int($0) }
        guard dims.allSatisfy({ $0 >= 0 }) else { throw fail("negative dimension in \(Shape.describe(dims))") }
        guard let count = Shape.elementCount(dims, limit: Self.storedElementLimit) else {
            throw fail("shape \(Shape.describe(dims)) has more than \(Self.storedElementLimit) elements; nnmip refuses tensors this large")
        }
        guard t.segment == nil else { throw fail("segmented tensors are not supported") }
        let type = (t.has_data_type != 0) ? t.data_type : 0
        guard let element = ElementType(rawValue: type) else {
            throw Diagnostic(.unsupported, file: path, location: place, "element type \(type) (\(ElementType.name(type))) is not supported")
        }

        let values: [Double]
        if t.has_data_location != 0 && t.data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL {
            let bytes = try readExternal(place: place, byteCount: count * element.byteSize)
            values = try bytes.withUnsafeBytes { try element.decodeRaw($0, count: count, fail: fail) }
        } else if t.has_raw_data != 0 {
            let raw = t.raw_data
            let bytes = raw.len > 0 ? UnsafeRawBufferPointer(start: raw.data, count: raw.len) : UnsafeRawBufferPointer(start: nil, count: 0)
            values = try element.decodeRaw(bytes, count: count, fail: fail)
        } else {
            values = try element.decodeTyped(t, count: count, fail: fail)
        }
        return ConstantTensor(shape: dims, values: values, isInteger: element.isInteger)
    }

    /// Frees the tensor's raw bytes once they have been decoded, so that a
    /// large model is not held twice in memory during import. protobuf-c's
    /// default allocator is malloc/free, and `free_unpacked` skips NULL data.
    func releaseRawData() {
        guard proto.pointee.has_raw_data != 0, let data = proto.pointee.raw_data.data else { return }
        free(data)
        proto.pointee.raw_data.data = nil
        proto.pointee.raw_data.len = 0
        proto.pointee.has_raw_data = 0
    }

    private func readExternal(place: String, byteCount: Int) throws -> [UInt8] {
        let t = proto.pointee
        var entries: [String: String] = [:]
        for entry in protoArray(t.n_external_data, t.external_data, { $0!.pointee }) {
            entries[protoString(entry.key)] = protoString(entry.value)
        }
        func fail(_ message: String) -> Diagnostic { Diagnostic(.malformedInput, file: file.path, location: place, message) }
        guard let location = entries["location"], !location.isEmpty else { throw fail("external data without a location") }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw fail("external data location '\(location)' must be a path inside the model's folder")
        }
        let offset = Int(entries["offset"] ?? "0") ?? -1
        let length = entries["length"].map { Int($0) ?? -1 } ?? byteCount
        guard offset >= 0, length == byteCount else {
            throw fail("external data offset \(entries["offset"] ?? "0") / length \(entries["length"] ?? "-") does not match the \(byteCount) bytes the shape needs")
        }
        let dataPath = file.folder.appendingPathComponent(location).path
        var descriptor: Int32
        repeat { descriptor = open(dataPath, O_RDONLY | O_CLOEXEC) } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            throw Diagnostic(.io, file: file.path, location: place, "cannot open external data file '\(dataPath)' (\(SystemError.current))")
        }
        defer { close(descriptor) }
        // The file must hold the bytes before memory is taken for them.
        var status = stat()
        if fstat(descriptor, &status) == 0, Int(status.st_size) < offset + byteCount {
            throw fail("external data file '\(dataPath)' holds \(max(0, Int(status.st_size) - offset)) bytes at offset \(offset), expected \(byteCount)")
        }
        var bytes = [UInt8](repeating: 0, count: byteCount)
        var done = 0
        while done < byteCount {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, byteCount - done, off_t(offset + done)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw Diagnostic(.io, file: file.path, location: place, "cannot read external data file '\(dataPath)' (\(SystemError.current))")
            }
            if got == 0 { break }
            done += got
        }
        guard done == byteCount else {
            throw fail("external data file '\(dataPath)' holds \(done) bytes at offset \(offset), expected \(byteCount)")
        }
        return bytes
    }
}

/// The ONNX element types nnmip reads, with their storage rules.
enum ElementType: Int32 {
    case float = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, bool = 9, double = 11, uint32 = 12, uint64 = 13

    var isInteger: Bool { self != .float && self != .double }

    var byteSize: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .float, .int32, .uint32: 4
        case .int64, .double, .uint64: 8
        }
    }

    /// Human-readable name of any ONNX element type code.
    static func name(_ code: Int32) -> String {
        let names: [Int32: String] = [0: "undefined", 1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32",
                                      7: "int64", 8: "string", 9: "bool", 10: "float16", 11: "double", 12: "uint32",
                                      13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16"]
        return names[code] ?? "unknown"
    }

    /// Little-endian raw bytes to values.
    func decodeRaw(_ bytes: UnsafeRawBufferPointer, count: Int, fail: (String) -> Diagnostic) throws -> [Double] {
        guard bytes.count == count * byteSize else {
            throw fail("raw data holds \(bytes.count) bytes but the shape needs \(count) \(ElementType.name(rawValue)) values (\(count * byteSize) bytes)")
        }
        // The two weight types get tight loops; 4M-weight models spend their import time here.
        switch self {
        case .float:
            return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    buffer[i] = Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))))
                }
                initialized = count
            }
        case .double:
            return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
                for i in 0..<count {
                    buffer[i] = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)))
                }
                initialized = count
            }
        default:
            return (0..<count).map { i in
                let at = i * byteSize
                switch self {
                case .int64: return Double(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)))
                case .uint64: return Double(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
                case .int32: return Double(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int32.self)))
                case .uint32: return Double(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
                case .int16: return Double(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int16.self)))
                case .uint16: return Double(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
                case .int8: return Double(Int8(bitPattern: bytes[at]))
                case .uint8, .bool: return Double(bytes[at])
                case .float, .double: return 0  // handled above
                }
            }
        }
    }

    /// Values from the typed field that the ONNX spec assigns to this element type.
    func decodeTyped(_ t: Onnx__TensorProto, count: Int, fail: (String) -> Diagnostic) throws -> [Double] {
        let values: [Double]
        let field: String
        switch self {
        case .float:
            (values, field) = (protoArray(t.n_float_data, t.float_data) { Double($0) }, "float_data")
        case .double:
            (values, field) = (protoArray(t.n_double_data, t.double_data) { $0 }, "double_data")
        case .int64:
            (values, field) = (protoArray(t.n_int64_data, t.int64_data) { Double($0) }, "int64_data")
        case .uint32, .uint64:
            (values, field) = (protoArray(t.n_uint64_data, t.uint64_data) { Double($0) }, "uint64_data")
        case .int32, .int16, .int8, .uint16, .uint8, .bool:
            (values, field) = (protoArray(t.n_int32_data, t.int32_data) { Double($0) }, "int32_data")
        }
        guard values.count == count else {
            throw fail("\(field) holds \(values.count) values but the shape needs \(count)")
        }
        return values
    }
}
