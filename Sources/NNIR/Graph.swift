/// The name of an IR value: the index of the node that defines it.
///
/// Every node defines exactly one value (SSA form), printed as `%index`.
public struct ValueID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Position of the defining node in `Graph.nodes`.
    public var index: Int

    /// Creates the id of node `index`.
    public init(_ index: Int) { self.index = index }

    public static func < (a: ValueID, b: ValueID) -> Bool { a.index < b.index }

    /// The text form, `%index`.
    public var description: String { "%\(index)" }
}

/// One operation in the graph together with the value it defines.
public struct Node: Equatable, Sendable {
    /// What the node computes.
    public var operation: Operation
    /// Operands, each defined by an earlier node.
    public var operands: [ValueID]
    /// Static shape of the value the node defines.
    public var shape: [Int]
    /// Where the node came from (e.g. the ONNX node name), for diagnostics.
    public var location: String?
    /// Known per-element bounds of the node's value, if any pass computed them.
    public var bounds: Bounds?

    /// Creates a node.
    public init(operation: Operation, operands: [ValueID], shape: [Int], location: String? = nil, bounds: Bounds? = nil) {
        self.operation = operation
        self.operands = operands
        self.shape = shape
        self.location = location
        self.bounds = bounds
    }

    /// The number of scalar elements of the node's value.
    public var elementCount: Int { Shape.count(shape) }
}

/// A named network output.
public struct GraphOutput: Equatable, Sendable {
    /// The output's name in the model file.
    public var name: String
    /// The value that is output.
    public var value: ValueID

    /// Creates an output.
    public init(name: String, value: ValueID) {
        self.name = name
        self.value = value
    }
}

/// A feed-forward network as a list of nodes in topological order.
///
/// Operands always refer to earlier nodes, so one forward sweep evaluates the
/// graph; front ends build it, passes rewrite it, back ends read it.
public struct Graph: Equatable, Sendable {
    /// All nodes; node `i` defines value `%i`.
    public var nodes: [Node]
    /// The network outputs, in the model's order.
    public var outputs: [GraphOutput]

    /// Creates a graph.
    public init(nodes: [Node] = [], outputs: [GraphOutput] = []) {
        self.nodes = nodes
        self.outputs = outputs
    }

    /// Removes the bounds of every node, or of every node but the inputs:
    /// bounds belong to one network and one input domain, and go stale when
    /// either changes.
    public mutating func removeBounds(keepingInputs: Bool) {
        for index in nodes.indices where !(keepingInputs && nodes[index].operands.isEmpty) { nodes[index].bounds = nil }
    }

    /// Appends a node and returns the value it defines.
    @discardableResult
    public mutating func append(_ node: Node) -> ValueID {
        nodes.append(node)
        return ValueID(nodes.count - 1)
    }

    /// The node defining `value`.
    public subscript(value: ValueID) -> Node {
        get { nodes[value.index] }
        set { nodes[value.index] = newValue }
    }

    /// The input nodes' values, in order.
    public var inputs: [ValueID] {
        nodes.indices.filter { if case .input = nodes[$0].operation { true } else { false } }.map(ValueID.init)
    }

    /// The name of an input value.
    public func inputName(_ value: ValueID) -> String? {
        if case .input(let name) = self[value].operation { name } else { nil }
    }
}
