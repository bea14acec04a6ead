import NNIR

/// One ONNX node with its operands resolved, and typed access to its
/// attributes; what each operator's lowering works from.
struct NodeContext {
    let node: ONNXNode
    let path: String
    /// The node's inputs in order; nil where an optional input is omitted.
    let inputs: [Symbol?]

    init(node: ONNXNode, importer: inout ONNXImporter) throws {
        self.node = node
        path = importer.path
        inputs = try node.inputs.map { name in
            name.isEmpty ? nil : try importer.symbol(name, place: node.place)
        }
    }

    /// A malformed-model error at this node.
    func fail(_ message: String) -> Diagnostic {
        Diagnostic(.malformedInput, file: path, location: node.place, message)
    }

    /// An unsupported-feature error at this node.
    func unsupported(_ message: String) -> Diagnostic {
        Diagnostic(.unsupported, file: path, location: node.place, message)
    }

    /// Whether input `i` is present.
    func has(_ i: Int) -> Bool { i < inputs.count && inputs[i] != nil }

    /// Input `i`, which must be present.
    func input(_ i: Int) throws -> Symbol {
        guard i < inputs.count, let symbol = inputs[i] else {
            throw fail("input \(i) is missing")
        }
        return symbol
    }

    /// Input `i` as a constant; `role` says what it is for the error message.
    func constant(_ i: Int, _ role: String) throws -> ConstantTensor {
        switch try input(i) {
        case .constant(let tensor): return tensor
        case .value:
            throw unsupported("\(role) ('\(node.inputs[i])') must be a constant (an initializer or a Constant node), but it depends on the network input")
        }
    }

    /// Input `i` as a constant if present.
    func optionalConstant(_ i: Int, _ role: String) throws -> ConstantTensor? {
        has(i) ? try constant(i, role) : nil
    }

    /// Whether every present input is a constant (the node can be folded).
    var allConstant: Bool {
        inputs.allSatisfy { symbol in
            if case .value = symbol { false } else { true }
        }
    }

    // MARK: Attributes

    func int(_ name: String, default value: Int) throws -> Int {
        switch node.attributes[name] {
        case nil: return value
        case .int(let v): return v
        default: throw fail("attribute '\(name)' must be an integer")
        }
    }

    func float(_ name: String, default value: Double) throws -> Double {
        switch node.attributes[name] {
        case nil: return value
        case .float(let v): return v
        case .int(let v): return Double(v)
        default: throw fail("attribute '\(name)' must be a float")
        }
    }

    func ints(_ name: String) throws -> [Int]? {
        switch node.attributes[name] {
        case nil: return nil
        case .ints(let v): return v
        case .int(let v): return [v]
        default: throw fail("attribute '\(name)' must be a list of integers")
        }
    }

    func floats(_ name: String) throws -> [Double]? {
        switch node.attributes[name] {
        case nil: return nil
        case .floats(let v): return v
        case .float(let v): return [v]
        default: throw fail("attribute '\(name)' must be a list of floats")
        }
    }

    func string(_ name: String, default value: String) throws -> String {
        switch node.attributes[name] {
        case nil: return value
        case .string(let v): return v
        default: throw fail("attribute '\(name)' must be a string")
        }
    }

    /// The NumPy broadcast of the inputs' `shapes`, or an error naming them.
    func broadcastShape(_ shapes: [[Int]]) throws -> [Int] {
        guard let shape = IndexMaps.broadcastShape(shapes) else {
            throw fail("inputs of shapes \(shapes.map(Shape.describe).joined(separator: ", ")) do not broadcast")
        }
        return shape
    }

    /// An axis attribute or input value normalized into `0..<rank`.
    func axis(_ raw: Int, rank: Int) throws -> Int {
        let axis = raw < 0 ? raw + rank : raw
        guard axis >= 0, axis < rank else { throw fail("axis \(raw) is out of range for rank \(rank)") }
        return axis
    }
}
