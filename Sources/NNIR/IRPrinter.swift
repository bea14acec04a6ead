/// Prints a graph in the IR text form, one node per line:
///
///     ; nnmip IR 1
///     %0 = input "X" : [1, 2]
///     %1 = affine %0 : [1, 3] weights=dense<3x2>[0.5, -1.0, ...] bias=[0.0, 0.1, 0.2] loc("fc1")
///     %2 = relu %1 : [1, 3]
///     output "Y" = %2
///
/// Numbers print in Swift's shortest round-trip form, so `IRParser` reads back
/// exactly the same Float64 values and printing the parsed graph gives the same
/// bytes. Strings are JSON string literals (`JSONString`). Long lists can be
/// elided for reading (`[...4096 values]`); an elided dump cannot be parsed back.
public struct IRPrinter {
    /// The first line of every IR file; `IRParser` requires it.
    public static let header = "; nnmip IR 1"

    /// The elision length of dumps meant for reading (`--emit-ir` and the
    /// `--print-*` dumps without `--ir-full-weights`): lists longer than this
    /// many values print as `[...N values]`.
    public static let readableListLength = 16

    /// Lists longer than this are elided; nil prints every value.
    public var elideListsLongerThan: Int?

    /// Creates a printer; by default it prints everything.
    public init(elideListsLongerThan: Int? = nil) {
        self.elideListsLongerThan = elideListsLongerThan
    }

    /// The whole graph as text, ending in a newline.
    public func print(_ graph: Graph) -> String {
        var out = IRPrinter.header + "\n"
        for (index, node) in graph.nodes.enumerated() {
            out += line(index: index, node)
            out += "\n"
        }
        for output in graph.outputs {
            out += "output \(JSONString.quoted(output.name)) = \(output.value)\n"
        }
        return out
    }

    private func line(index: Int, _ node: Node) -> String {
        var s = "%\(index) = \(node.operation.keyword)"
        if case .input(let name) = node.operation {
            s += " " + JSONString.quoted(name)
        }
        if !node.operands.isEmpty {
            s += " " + node.operands.map(\.description).joined(separator: ", ")
        }
        s += " : " + Shape.describe(node.shape)
        for (key, value) in attributes(node.operation) {
            s += " \(key)=\(value)"
        }
        if let bounds = node.bounds {
            s += " lower=\(doubles(bounds.lower)) upper=\(doubles(bounds.upper))"
        }
        if let location = node.location {
            s += " loc(\(JSONString.quoted(location)))"
        }
        return s
    }

    private func attributes(_ op: Operation) -> [(String, String)] {
        switch op {
        case .input, .relu, .reshape, .add:
            return []
        case .affine(let affine):
            return [("weights", matrix(affine.weights)), ("bias", doubles(affine.bias))]
        case .convolution(let conv):
            return window(conv.window) + [("groups", String(conv.groups)),
                                          ("weights", doubles(conv.weights)), ("bias", doubles(conv.bias))]
        case .maxPool(let pool):
            return window(pool.window)
        case .averagePool(let pool, let countIncludePad):
            return window(pool.window) + [("count_include_pad", String(countIncludePad))]
        case .leakyRelu(let alpha):
            return [("alpha", alpha.description)]
        case .smooth(.elu(let alpha)):
            return [("alpha", alpha.description)]
        case .smooth(.selu(let alpha, let gamma)):
            return [("alpha", alpha.description), ("gamma", gamma.description)]
        case .smooth:
            return []
        case .band(let below, let above):
            return [("below", doubles(below)), ("above", doubles(above))]
        case .scaleShift(let scale, let shift):
            return [("scale", doubles(scale)), ("shift", doubles(shift))]
        case .gather(let indices):
            return [("indices", list(indices.map(String.init)))]
        }
    }

    private func window(_ w: Window2D) -> [(String, String)] {
        [("kernel", ints(w.kernel)), ("strides", ints(w.strides)), ("pads", ints(w.pads)), ("dilations", ints(w.dilations))]
    }

    private func matrix(_ m: WeightMatrix) -> String {
        switch m {
        case .dense(let rows, let columns, let values):
            return "dense<\(rows)x\(columns)>" + doubles(values)
        case .sparse(let s):
            var triples: [String] = []
            triples.reserveCapacity(s.values.count)
            for r in 0..<s.rows {
                for k in s.rowStart[r]..<s.rowStart[r + 1] {
                    triples.append("(\(r), \(s.columnIndex[k]), \(s.values[k].description))")
                }
            }
            return "sparse<\(s.rows)x\(s.columns)>" + list(triples)
        }
    }

    private func ints(_ values: [Int]) -> String {
        "[" + values.map(String.init).joined(separator: ", ") + "]"
    }

    private func doubles(_ values: [Double]) -> String {
        list(values.lazy.map(\.description))
    }

    private func list<S: Collection>(_ items: S) -> String where S.Element == String {
        if let limit = elideListsLongerThan, items.count > limit {
            return "[...\(items.count) values]"
        }
        return "[" + items.joined(separator: ", ") + "]"
    }
}
