import COnnx
import NNIR

/// Swift views of the protobuf-c structs: plain values for the few fields the
/// importer reads, so the lowering code never touches C pointers.

/// Converts a protobuf-c string field (NULL when absent) to a Swift string.
func protoString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}

/// Converts a protobuf-c repeated field (count + pointer) to a Swift array.
func protoArray<T, U>(_ count: Int, _ pointer: UnsafeMutablePointer<T>?, _ transform: (T) -> U) -> [U] {
    guard let pointer, count > 0 else { return [] }
    return UnsafeBufferPointer(start: pointer, count: count).map(transform)
}

/// A tensor stored in the model (initializer or attribute), decoded on demand.
struct ONNXTensorRef {
    /// Keeps the C message alive while the reference exists.
    let file: ONNXModelFile
    let proto: UnsafeMutablePointer<Onnx__TensorProto>

    var name: String { protoString(proto.pointee.name) }
}

/// A node attribute's value.
enum ONNXAttribute {
    case float(Double)
    case int(Int)
    case string(String)
    case tensor(ONNXTensorRef)
    case floats([Double])
    case ints([Int])
    case strings([String])
    /// A kind nnmip never needs (graphs, type protos); named in errors.
    case other(String)
}

/// One graph node with its attributes.
struct ONNXNode {
    /// Position in the graph's node list.
    let index: Int
    let name: String
    let opType: String
    let domain: String
    let inputs: [String]
    let outputs: [String]
    let attributes: [String: ONNXAttribute]

    /// How a diagnostic names this node: `node 'fc1' (Gemm)`.
    var place: String {
        let id = name.isEmpty ? "#\(index)" + (outputs.first.map { " → '\($0)'" } ?? "") : "'\(name)'"
        return "node \(id) (\(opType))"
    }

    /// The name recorded on IR nodes built from this node.
    var irLocation: String { name.isEmpty ? (outputs.first ?? "#\(index)") : name }
}

/// A graph input or output with its declared element type and shape.
struct ONNXValueInfo {
    let name: String
    /// ONNX element type code (1 = float, 11 = double, ...), 0 if not declared.
    let elementType: Int32
    /// Declared dimensions; nil entries are symbolic or unknown. Nil when no shape is declared.
    let dims: [Int?]?
}

/// The parts of a ModelProto the importer reads.
struct ONNXModel {
    let file: ONNXModelFile
    let irVersion: Int
    /// Opset of the default ("" or "ai.onnx") domain.
    let opset: Int
    let producer: String
    let nodes: [ONNXNode]
    let initializers: [String: ONNXTensorRef]
    let inputs: [ONNXValueInfo]
    let outputs: [ONNXValueInfo]

    /// Reads the views out of an unpacked file.
    init(_ file: ONNXModelFile) throws {
        self.file = file
        let model = file.model.pointee
        irVersion = (model.has_ir_version != 0) ? Int(model.ir_version) : 0
        let opsets = protoArray(model.n_opset_import, model.opset_import) { $0!.pointee }
        opset = opsets.first(where: { ["", "ai.onnx"].contains(protoString($0.domain)) }).map { Int($0.version) } ?? 0
        producer = [protoString(model.producer_name), protoString(model.producer_version)]
            .filter { !$0.isEmpty }.joined(separator: " ")
        guard let graph = model.graph?.pointee else {
            throw Diagnostic(.malformedInput, file: file.path, "the model has no graph")
        }
        var initializers: [String: ONNXTensorRef] = [:]
        for tensor in protoArray(graph.n_initializer, graph.initializer, { $0! }) {
            let ref = ONNXTensorRef(file: file, proto: tensor)
            initializers[ref.name] = ref
        }
        self.initializers = initializers
        nodes = protoArray(graph.n_node, graph.node) { $0! }.enumerated().map { index, pointer in
            ONNXModel.node(pointer.pointee, index: index, file: file)
        }
        inputs = protoArray(graph.n_input, graph.input) { ONNXModel.valueInfo($0!.pointee) }
        outputs = protoArray(graph.n_output, graph.output) { ONNXModel.valueInfo($0!.pointee) }
    }

    private static func node(_ n: Onnx__NodeProto, index: Int, file: ONNXModelFile) -> ONNXNode {
        var attributes: [String: ONNXAttribute] = [:]
        for pointer in protoArray(n.n_attribute, n.attribute, { $0! }) {
            let a = pointer.pointee
            attributes[protoString(a.name)] = attribute(a, file: file)
        }
        return ONNXNode(index: index, name: protoString(n.name), opType: protoString(n.op_type),
                        domain: protoString(n.domain),
                        inputs: protoArray(n.n_input, n.input) { protoString($0) },
                        outputs: protoArray(n.n_output, n.output) { protoString($0) },
                        attributes: attributes)
    }

    private static func attribute(_ a: Onnx__AttributeProto, file: ONNXModelFile) -> ONNXAttribute {
        // Old files may omit `type`; infer it from the field that is set.
        var type = (a.has_type != 0) ? a.type : ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED
        if type == ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__UNDEFINED {
            if a.has_f != 0 { type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT }
            else if a.has_i != 0 { type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT }
            else if a.has_s != 0 { type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING }
            else if a.t != nil { type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR }
            else if a.n_floats > 0 { type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS }
            else if a.n_ints > 0 { type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS }
            else if a.n_strings > 0 { type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS }
        }
        switch type {
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: return .float(Double(a.f))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: return .int(Int(a.i))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING: return .string(bytesToString(a.s))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
            guard let t = a.t else { return .other("tensor without data") }
            return .tensor(ONNXTensorRef(file: file, proto: t))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS: return .floats(protoArray(a.n_floats, a.floats) { Double($0) })
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS: return .ints(protoArray(a.n_ints, a.ints) { Int($0) })
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS: return .strings(protoArray(a.n_strings, a.strings, bytesToString))
        case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH, ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPHS: return .other("graph")
        default: return .other("type \(type.rawValue)")
        }
    }

    private static func bytesToString(_ b: ProtobufCBinaryData) -> String {
        guard let data = b.data, b.len > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: b.len), as: UTF8.self)
    }

    private static func valueInfo(_ v: Onnx__ValueInfoProto) -> ONNXValueInfo {
        let name = protoString(v.name)
        guard let type = v.type?.pointee, type.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE,
              let tensorType = type.tensor_type?.pointee else {
            return ONNXValueInfo(name: name, elementType: 0, dims: nil)
        }
        let dims = tensorType.shape.map { shape in
            protoArray(shape.pointee.n_dim, shape.pointee.dim) { d -> Int? in
                let dim = d!.pointee
                return dim.value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE ? Int(dim.dim_value) : nil
            }
        }
        return ONNXValueInfo(name: name, elementType: (tensorType.has_elem_type != 0) ? tensorType.elem_type : 0, dims: dims)
    }
}
