import NNIR

/// Counts that describe a formulated MILP; `--stats` prints them as
/// `name: value` lines, and scripts rely on the names.
public struct FormulationStatistics: Sendable {
    /// How the neurons of one nonlinear layer were formulated.
    public struct Layer: Sendable {
        /// The IR node.
        public var node: Int
        /// Its operation keyword (`relu`, `leaky_relu`, `maxpool`).
        public var operation: String
        /// Its location in the model file, if known.
        public var location: String?
        /// Neurons whose upper bound is <= 0 (ReLU: constant 0; leaky: linear).
        public var inactive = 0
        /// Neurons whose lower bound is >= 0: linear, no binary.
        public var active = 0
        /// Neurons that need a binary.
        public var unstable = 0
        /// Binary columns the layer added.
        public var binaries = 0
    }

    /// Columns.
    public var variables = 0
    /// Integer (0/1) columns.
    public var binaries = 0
    /// Rows.
    public var constraints = 0
    /// Nonzero coefficients in the rows.
    public var nonzeros = 0
    /// Per nonlinear layer, in graph order.
    public var layers: [Layer] = []

    /// Sum of one count over the layers with the given operation.
    private func total(_ operation: String, _ count: KeyPath<Layer, Int>) -> Int {
        layers.filter { $0.operation == operation }.reduce(0) { $0 + $1[keyPath: count] }
    }

    /// The summary as ordered `(name, value)` pairs; the names are stable.
    public var summary: [(String, Int)] {
        [("variables", variables), ("binaries", binaries), ("constraints", constraints), ("nonzeros", nonzeros),
         ("relu_inactive", total("relu", \.inactive)), ("relu_active", total("relu", \.active)),
         ("relu_unstable", total("relu", \.unstable)),
         ("leaky_relu_inactive", total("leaky_relu", \.inactive)), ("leaky_relu_active", total("leaky_relu", \.active)),
         ("leaky_relu_unstable", total("leaky_relu", \.unstable)),
         ("maxpool_fixed", total("maxpool", \.active)), ("maxpool_unstable", total("maxpool", \.unstable))]
    }

    /// Per-layer counts as `(name, value)` pairs, names prefixed `l<node>.` like the variable names.
    public var layerLines: [(String, Int)] {
        layers.flatMap { layer -> [(String, Int)] in
            let prefix = "l\(layer.node).\(layer.operation)"
            if layer.operation == "maxpool" {
                return [("\(prefix)_fixed", layer.active), ("\(prefix)_unstable", layer.unstable), ("\(prefix)_binaries", layer.binaries)]
            }
            return [("\(prefix)_inactive", layer.inactive), ("\(prefix)_active", layer.active),
                    ("\(prefix)_unstable", layer.unstable), ("\(prefix)_binaries", layer.binaries)]
        }
    }

    /// The same figures as a JSON object.
    public var json: String {
        var text = "{\n"
        text += summary.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n")
        text += ",\n  \"layers\": [\n"
        text += layers.map { layer in
            let location = layer.location.map { ", \"location\": \(JSONString.quoted($0))" } ?? ""
            return "    {\"node\": \(layer.node), \"operation\": \"\(layer.operation)\"\(location), \"inactive\": \(layer.inactive), \"active\": \(layer.active), \"unstable\": \(layer.unstable), \"binaries\": \(layer.binaries)}"
        }.joined(separator: ",\n")
        text += "\n  ]\n}\n"
        return text
    }
}
