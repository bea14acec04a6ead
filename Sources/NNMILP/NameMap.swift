import Foundation
import NNIR
import NNSpec

/// What each MILP column stands for in the network, for `--names FILE.json`
/// and for reading solutions back.
public struct NameMap: Sendable {
    /// The part a column plays in the formulation.
    public enum Role: String, Sendable {
        /// A network input element.
        case input
        /// The value of a linear layer (affine, convolution, pooling average, sum).
        case linear
        /// The output of an unstable ReLU.
        case relu
        /// The 0/1 phase of an unstable ReLU (1 = active).
        case reluIndicator = "relu_indicator"
        /// The output of an unstable leaky ReLU.
        case leakyRelu = "leaky_relu"
        /// The 0/1 phase of an unstable leaky ReLU (1 = positive side).
        case leakyReluIndicator = "leaky_relu_indicator"
        /// The output of a max-pooling window.
        case maxPool = "maxpool"
        /// 1 when tap `tap` of a max-pooling window holds the maximum.
        case maxPoolSelector = "maxpool_selector"
        /// A value inside the certified error band of an enclosure (`band`).
        case band
        /// A network output that needed its own column.
        case output
        /// `|x − center|` of one input element in an L1 ball.
        case l1Distance = "l1_distance"
        /// 1 when disjunct `element` of the spec is the one enforced.
        case disjunctSelector = "disjunct_selector"
    }

    /// One column's meaning.
    public struct Entry: Sendable {
        /// The IR node whose value (or whose formulation) the column belongs to; -1 for spec columns.
        public var node: Int
        /// The element of the node's flattened value.
        public var element: Int
        /// The column's role.
        public var role: Role
        /// For max-pooling selectors: which candidate tap (position in the operand).
        public var tap: Int?
    }

    /// A network input or output with its columns, element by element.
    public struct Tensor: Sendable {
        /// The tensor's name in the model.
        public var name: String
        /// The IR node that defines it.
        public var node: Int
        /// Its shape.
        public var shape: [Int]
        /// The column of each element, in flattened order.
        public var columns: [Int]
    }

    /// An IR node that owns columns: its operation and where it came from in the
    /// model file, so that `h_l1_n0` can be traced to the ONNX node `fc1`
    /// without an IR dump.
    public struct Layer: Sendable {
        /// The IR node (`%node`, the `l<node>` in readable column names).
        public var node: Int
        /// The IR operation's keyword (`affine`, `relu`, `conv`, ...).
        public var operation: String
        /// The node's source location: the ONNX node name or Keras layer name, when the importer knew it.
        public var location: String?
    }

    /// One entry per MILP column.
    public internal(set) var entries: [Entry] = []
    /// Every node that owns columns, in node order.
    public internal(set) var layers: [Layer] = []
    /// The network inputs.
    public internal(set) var inputs: [Tensor] = []
    /// The network outputs.
    public internal(set) var outputs: [Tensor] = []

    /// The column of one element of a network input or output, as a spec's expressions name it.
    public func column(of element: TensorElement) -> Int {
        (element.side == .input ? inputs : outputs)[element.tensor].columns[element.element]
    }

    /// Records, for every node that owns a column, its operation and source location in `graph`.
    mutating func describeLayers(of graph: Graph) {
        layers = Set(entries.map(\.node)).filter { $0 >= 0 }.sorted().map { node in
            Layer(node: node, operation: graph.nodes[node].operation.keyword, location: graph.nodes[node].location)
        }
    }

    /// The map as JSON text, with the column names the file used. Each
    /// variable also gives its column's position in the file (from 0), for
    /// solution formats that number columns instead of naming them; each layer
    /// gives its node's operation, source location (`loc`, omitted when
    /// unknown) and the prefixes of its column names (`h_l1` for `h_l1_n0`).
    /// With `identity`, the map also records `model_hash` and the `spec`
    /// (see `ModelIdentity`), so that `solution read` can check a solution.
    public func json(columnNames: [String], modelFile: String, identity: ModelIdentity? = nil) -> String {
        let quoted = JSONString.quoted
        func tensors(_ list: [Tensor]) -> String {
            list.map { t in
                "    {\"name\": \(quoted(t.name)), \"node\": \(t.node), \"shape\": [\(t.shape.map(String.init).joined(separator: ", "))],\n"
                    + "     \"variables\": [\(t.columns.map { quoted(columnNames[$0]) }.joined(separator: ", "))]}"
            }.joined(separator: ",\n")
        }
        var text = "{\n  \"format\": \"nnmip-names-1\",\n  \"model\": \(quoted(modelFile)),\n"
        if let identity { text += "  \"model_hash\": \(quoted(identity.hash)),\n  \"spec\": \(identity.specJSON),\n" }
        text += "  \"inputs\": [\n\(tensors(inputs))\n  ],\n"
        text += "  \"outputs\": [\n\(tensors(outputs))\n  ],\n"
        text += "  \"layers\": [\n\(layerLines(columnNames: columnNames).joined(separator: ",\n"))\n  ],\n"
        text += "  \"variables\": {\n"
        text += entries.enumerated().map { column, entry in
            var fields = "\"column\": \(column), \"node\": \(entry.node), \"element\": \(entry.element), \"role\": \"\(entry.role.rawValue)\""
            if let tap = entry.tap { fields += ", \"tap\": \(tap)" }
            return "    \(quoted(columnNames[column])): {\(fields)}"
        }.joined(separator: ",\n")
        text += "\n  }\n}\n"
        return text
    }

    /// One JSON object per layer, with the distinct prefixes of its column names in column order.
    private func layerLines(columnNames: [String]) -> [String] {
        var prefixes: [Int: [String]] = [:]
        for (column, entry) in entries.enumerated() where entry.node >= 0 {
            guard let prefix = Self.prefix(of: columnNames[column]), prefixes[entry.node]?.contains(prefix) != true else { continue }
            prefixes[entry.node, default: []].append(prefix)
        }
        return layers.map { layer in
            let location = layer.location.map { ", \"loc\": \(JSONString.quoted($0))" } ?? ""
            let names = (prefixes[layer.node] ?? []).map(JSONString.quoted).joined(separator: ", ")
            return "    {\"node\": \(layer.node), \"op\": \(JSONString.quoted(layer.operation))\(location), \"prefixes\": [\(names)]}"
        }
    }

    /// `h_l1` for the readable name `h_l1_n0` (the part before the element); nil for short names (`C1A`).
    private static func prefix(of name: String) -> String? {
        name.range(of: "_n").map { String(name[..<$0.lowerBound]) }
    }
}
