/// An ONNX model as plain Swift values: what `ONNXExporter` decides to write,
/// before `ONNXProtoEncoder` turns it into protobuf bytes.
///
/// Keeping the two steps apart means the translation from IR to ONNX
/// operators can be read (and tested) without any C memory management.
public struct ONNXModelDescription: Equatable, Sendable {
    /// A float32 graph input or output with a static shape.
    public struct Value: Equatable, Sendable {
        /// The tensor name.
        public var name: String
        /// The static shape.
        public var dims: [Int]
    }

    /// A constant tensor stored in the graph's initializer list.
    public struct Tensor: Equatable, Sendable {
        /// The element data: float32 for weights, int64 for shapes and indices.
        public enum Payload: Equatable, Sendable {
            case float32([Float])
            case int64([Int64])
        }
        /// The tensor name.
        public var name: String
        /// The shape.
        public var dims: [Int]
        /// The elements in row-major order.
        public var payload: Payload
    }

    /// A node attribute value (only the kinds the exporter writes).
    public enum Attribute: Equatable, Sendable {
        case int(Int)
        case ints([Int])
        case float(Float)
    }

    /// One operator node.
    public struct Node: Equatable, Sendable {
        /// The ONNX operator, e.g. `Gemm`.
        public var opType: String
        /// Input tensor names.
        public var inputs: [String]
        /// Output tensor names.
        public var outputs: [String]
        /// The node name (for error messages of the tools that read the file).
        public var name: String
        /// Attributes by name, in the order written.
        public var attributes: [(String, Attribute)]

        public static func == (a: Node, b: Node) -> Bool {
            a.opType == b.opType && a.inputs == b.inputs && a.outputs == b.outputs && a.name == b.name
                && a.attributes.map(\.0) == b.attributes.map(\.0) && a.attributes.map(\.1) == b.attributes.map(\.1)
        }
    }

    /// The default-domain operator set version the nodes use.
    public var opsetVersion: Int
    /// The ONNX IR version matching `opsetVersion`.
    public var irVersion: Int
    /// The graph's name.
    public var graphName: String
    /// A note on where the model came from (ModelProto's doc_string).
    public var docString: String
    /// Graph inputs, in order.
    public var inputs: [Value]
    /// Graph outputs, in order.
    public var outputs: [Value]
    /// Constant tensors.
    public var initializers: [Tensor]
    /// Nodes in topological order.
    public var nodes: [Node]
}
