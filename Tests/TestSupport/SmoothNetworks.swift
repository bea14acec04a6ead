import NNMIPKit

/// Small random networks with smooth activations, built in Swift for the tests of bounds,
/// approximations and proofs over them (the ONNX fixtures `onnx/smooth_*.onnx` check the front end).
public enum SmoothNetworks {
    /// An MLP of `widths` (inputs first) with `function` after every hidden affine layer, weights
    /// uniform in ±`scale`, and every input in `[low, high]`.
    public static func mlp(_ function: SmoothFunction, widths: [Int], seed: UInt64, scale: Double = 1.5,
                           low: Double = -1, high: Double = 1) -> Graph {
        var generator = SplitMix64(seed: seed)
        var graph = Graph()
        var value = graph.append(Node(operation: .input(name: "x"), operands: [], shape: [widths[0]]))
        graph[value].bounds = Bounds(lower: Array(repeating: low, count: widths[0]), upper: Array(repeating: high, count: widths[0]))
        for layer in 1..<widths.count {
            let (rows, columns) = (widths[layer], widths[layer - 1])
            let weights = (0..<(rows * columns)).map { _ in (generator.nextUnit() * 2 - 1) * scale }
            let bias = (0..<rows).map { _ in generator.nextUnit() - 0.5 }
            value = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: rows, columns: columns, values: weights), bias: bias)),
                                      operands: [value], shape: [rows]))
            if layer < widths.count - 1 { value = graph.append(Node(operation: .smooth(function), operands: [value], shape: [rows])) }
        }
        graph.outputs = [GraphOutput(name: "y", value: value)]
        return graph
    }

    /// `count` points of the graph's input box: uniform, one in ten a random vertex.
    public static func samples(of graph: Graph, count: Int, seed: UInt64) -> [[[Double]]] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { sample in
            graph.inputs.map { input in
                let box = graph[input].bounds!
                return zip(box.lower, box.upper).map { l, u in
                    sample % 10 == 0 ? (generator.next() & 1 == 0 ? l : u) : l + (u - l) * generator.nextUnit()
                }
            }
        }
    }
}
