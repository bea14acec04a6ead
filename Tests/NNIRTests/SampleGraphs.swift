import NNIR

/// Small hand-built graphs whose values are easy to compute by hand.
enum SampleGraphs {
    /// A 3x3 single-channel image input, then conv, pools and the rest of the IR's operations.
    static func everyOperation() -> Graph {
        var g = Graph()
        let x = g.append(Node(operation: .input(name: "image \"in\""), operands: [], shape: [1, 1, 3, 3],
                              bounds: Bounds(lower: .init(repeating: 0, count: 9), upper: .init(repeating: 10, count: 9))))
        let unit = Window2D(kernel: [2, 2], strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1])
        let conv = g.append(Node(operation: .convolution(Convolution(weights: [1, 1, 1, 1], outChannels: 1, groups: 1, bias: [0.5], window: unit)),
                                 operands: [x], shape: [1, 1, 2, 2], location: "conv1"))
        let maxPool = g.append(Node(operation: .maxPool(Pooling(window: unit)), operands: [x], shape: [1, 1, 2, 2]))
        let padded = Window2D(kernel: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], dilations: [1, 1])
        let avgEx = g.append(Node(operation: .averagePool(Pooling(window: padded), countIncludePad: false), operands: [x], shape: [1, 1, 2, 2]))
        let avgIn = g.append(Node(operation: .averagePool(Pooling(window: padded), countIncludePad: true), operands: [x], shape: [1, 1, 2, 2]))
        let sum = g.append(Node(operation: .add, operands: [conv, maxPool], shape: [1, 1, 2, 2]))
        let flat = g.append(Node(operation: .reshape, operands: [sum], shape: [1, 4]))
        let dense = g.append(Node(operation: .affine(Affine(weights: .dense(rows: 2, columns: 4, values: [1, 0, -1, 0, 0.5, 0.5, 0.5, 0.5]),
                                                          bias: [0, -30])), operands: [flat], shape: [1, 2]))
        let sparse = g.append(Node(operation: .affine(Affine(weights: .sparse(SparseMatrix(rows: 2, columns: 4, rowOrderedEntries: [(0, 0, 1), (0, 2, -1), (1, 3, 0.25)])),
                                                           bias: [0, 1e-300])), operands: [flat], shape: [1, 2]))
        let relu = g.append(Node(operation: .relu, operands: [dense], shape: [1, 2],
                                 bounds: Bounds(lower: [0, 0], upper: [.infinity, 100.125])))
        let leaky = g.append(Node(operation: .leakyRelu(alpha: 0.1), operands: [sparse], shape: [1, 2]))
        let both = g.append(Node(operation: .add, operands: [relu, leaky], shape: [1, 2]))
        let scaled = g.append(Node(operation: .scaleShift(scale: [2, -1], shift: [0.1, 3]), operands: [both], shape: [1, 2]))
        let picked = g.append(Node(operation: .gather(indices: [1, -1, 0]), operands: [scaled], shape: [3]))
        g.outputs = [GraphOutput(name: "y", value: picked), GraphOutput(name: "pools", value: avgEx), GraphOutput(name: "pools_incl", value: avgIn)]
        return g
    }
}
