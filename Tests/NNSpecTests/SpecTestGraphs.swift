import NNIR

/// A network with input `X` of shape [1, 4] and outputs `logits` [1, 3] and `score` [1]:
/// enough structure for name resolution without a model file.
func twoOutputGraph() -> Graph {
    var graph = Graph()
    let x = graph.append(Node(operation: .input(name: "X"), operands: [], shape: [1, 4]))
    let logits = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: 3, columns: 4, values: Array(repeating: 0.5, count: 12)), bias: [0, 0, 0])),
                                   operands: [x], shape: [1, 3]))
    let score = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: 1, columns: 3, values: [1, 1, 1]), bias: [0])),
                                  operands: [logits], shape: [1]))
    graph.outputs = [GraphOutput(name: "logits", value: logits), GraphOutput(name: "score", value: score)]
    return graph
}
