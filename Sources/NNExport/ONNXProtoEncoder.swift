import COnnx

/// Serializes an `ONNXModelDescription` as an ONNX ModelProto with protobuf-c
/// (`onnx__model_proto__pack`).
///
/// The message tree is built in a `ProtoArena`, packed into a byte array and
/// freed; tensors are stored as little-endian `raw_data`, as exporters do.
public enum ONNXProtoEncoder {
    /// The protobuf bytes of `model`.
    public static func encode(_ model: ONNXModelDescription, producerVersion: String) -> [UInt8] {
        let arena = ProtoArena()
        let graph = arena.message(onnx__graph_proto__init)
        graph.pointee.name = arena.string(model.graphName)
        setArray(model.nodes.map { node(for: $0, arena) }, count: &graph.pointee.n_node, field: &graph.pointee.node, arena)
        setArray(model.initializers.map { tensor(for: $0, arena) }, count: &graph.pointee.n_initializer, field: &graph.pointee.initializer, arena)
        setArray(model.inputs.map { valueInfo(for: $0, arena) }, count: &graph.pointee.n_input, field: &graph.pointee.input, arena)
        setArray(model.outputs.map { valueInfo(for: $0, arena) }, count: &graph.pointee.n_output, field: &graph.pointee.output, arena)

        let opset = arena.message(onnx__operator_set_id_proto__init)
        opset.pointee.domain = arena.string("")
        opset.pointee.has_version = 1
        opset.pointee.version = Int64(model.opsetVersion)

        var proto = Onnx__ModelProto()
        onnx__model_proto__init(&proto)
        proto.has_ir_version = 1
        proto.ir_version = Int64(model.irVersion)
        proto.producer_name = arena.string("nnmip")
        proto.producer_version = arena.string(producerVersion)
        proto.doc_string = arena.string(model.docString)
        proto.graph = graph
        setArray([opset], count: &proto.n_opset_import, field: &proto.opset_import, arena)

        // The arena owns every pointer in `proto`: it must live until packing is done.
        return withExtendedLifetime(arena) {
            let size = onnx__model_proto__get_packed_size(&proto)
            var bytes = [UInt8](repeating: 0, count: size)
            let written = bytes.withUnsafeMutableBufferPointer { onnx__model_proto__pack(&proto, $0.baseAddress) }
            precondition(written == size, "protobuf-c packed \(written) of \(size) bytes")
            return bytes
        }
    }

    private static func setArray<T>(_ values: [UnsafeMutablePointer<T>], count: inout Int, field: inout UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ arena: ProtoArena) {
        count = values.count
        field = arena.array(values.map(Optional.some))
    }

    private static func node(for node: ONNXModelDescription.Node, _ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__NodeProto> {
        let proto = arena.message(onnx__node_proto__init)
        proto.pointee.op_type = arena.string(node.opType)
        proto.pointee.name = arena.string(node.name)
        proto.pointee.n_input = node.inputs.count
        proto.pointee.input = arena.array(node.inputs.map { Optional(arena.string($0)) })
        proto.pointee.n_output = node.outputs.count
        proto.pointee.output = arena.array(node.outputs.map { Optional(arena.string($0)) })
        let attributes = node.attributes.map { attribute(named: $0.0, $0.1, arena) }
        setArray(attributes, count: &proto.pointee.n_attribute, field: &proto.pointee.attribute, arena)
        return proto
    }

    private static func attribute(named name: String, _ value: ONNXModelDescription.Attribute, _ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__AttributeProto> {
        let proto = arena.message(onnx__attribute_proto__init)
        proto.pointee.name = arena.string(name)
        proto.pointee.has_type = 1
        switch value {
        case .int(let i):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
            proto.pointee.has_i = 1
            proto.pointee.i = Int64(i)
        case .ints(let list):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
            proto.pointee.n_ints = list.count
            proto.pointee.ints = arena.array(list.map(Int64.init))
        case .float(let f):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
            proto.pointee.has_f = 1
            proto.pointee.f = f
        }
        return proto
    }

    private static func tensor(for tensor: ONNXModelDescription.Tensor, _ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__TensorProto> {
        let proto = arena.message(onnx__tensor_proto__init)
        proto.pointee.name = arena.string(tensor.name)
        proto.pointee.n_dims = tensor.dims.count
        proto.pointee.dims = arena.array(tensor.dims.map(Int64.init))
        proto.pointee.has_data_type = 1
        var raw: [UInt8] = []
        switch tensor.payload {
        case .float32(let values):
            proto.pointee.data_type = Int32(ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT.rawValue)
            raw.reserveCapacity(values.count * 4)
            for value in values { appendLittleEndian(value.bitPattern, to: &raw) }
        case .int64(let values):
            proto.pointee.data_type = Int32(ONNX__TENSOR_PROTO__DATA_TYPE__INT64.rawValue)
            raw.reserveCapacity(values.count * 8)
            for value in values { appendLittleEndian(UInt64(bitPattern: value), to: &raw) }
        }
        proto.pointee.has_raw_data = 1
        proto.pointee.raw_data = ProtobufCBinaryData(len: raw.count, data: arena.bytes(raw))
        return proto
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func valueInfo(for value: ONNXModelDescription.Value, _ arena: ProtoArena) -> UnsafeMutablePointer<Onnx__ValueInfoProto> {
        let dimensions = value.dims.map { size -> UnsafeMutablePointer<Onnx__TensorShapeProto__Dimension>? in
            let dimension = arena.message(onnx__tensor_shape_proto__dimension__init)
            dimension.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
            dimension.pointee.dim_value = Int64(size)
            return dimension
        }
        let shape = arena.message(onnx__tensor_shape_proto__init)
        shape.pointee.n_dim = dimensions.count
        shape.pointee.dim = arena.array(dimensions)
        let tensorType = arena.message(onnx__type_proto__tensor__init)
        tensorType.pointee.has_elem_type = 1
        tensorType.pointee.elem_type = Int32(ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT.rawValue)
        tensorType.pointee.shape = shape
        let type = arena.message(onnx__type_proto__init)
        type.pointee.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
        type.pointee.tensor_type = tensorType
        let proto = arena.message(onnx__value_info_proto__init)
        proto.pointee.name = arena.string(value.name)
        proto.pointee.type = type
        return proto
    }
}
