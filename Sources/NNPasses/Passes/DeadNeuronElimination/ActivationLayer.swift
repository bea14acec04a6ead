import NNIR

/// A layer in the pattern `dead-neuron-elim` rewrites: an affine layer read by
/// a ReLU (or Leaky ReLU) alone, whose value only affine layers read.
struct ActivationLayer {
    /// The activation node.
    let activation: Int
    /// The affine node before it.
    let producer: Int
    /// The affine nodes after it.
    let readers: [Int]
    /// The negative slope: 0 for a ReLU.
    let alpha: Double
    /// The producer's parameters.
    let pre: Affine
    /// The number of neurons.
    let count: Int

    /// The layer whose activation is node `index`, or nil when that node is not
    /// one in the pattern. `readers` are the readers of every node (`Graph.consumers`).
    init?(_ graph: Graph, activation index: Int, readers: [[Int]]) {
        let node = graph.nodes[index]
        switch node.operation {
        case .relu: alpha = 0
        case .leakyRelu(let a): alpha = a
        default: return nil
        }
        producer = node.operands[0].index
        guard case .affine(let pre) = graph.nodes[producer].operation, readers[producer] == [index],
              !graph.isOutput(producer), !graph.isOutput(index), !readers[index].isEmpty,
              readers[index].allSatisfy({ if case .affine = graph.nodes[$0].operation { true } else { false } }),
              Self.shape(node.shape, resizedTo: 0) != nil else { return nil }
        self.pre = pre
        activation = index
        self.readers = readers[index]
        count = node.elementCount
    }

    /// The activation of a neuron whose pre-activation is the constant `value`.
    func activated(_ value: Double) -> Double {
        value >= 0 ? value : alpha * value
    }

    /// `shape` with its one non-unit axis set to `size` (nil when the shape has several non-unit axes).
    static func shape(_ shape: [Int], resizedTo size: Int) -> [Int]? {
        let axes = shape.indices.filter { shape[$0] != 1 }
        guard !shape.isEmpty, axes.count <= 1 else { return nil }
        var result = shape
        result[axes.first ?? (shape.count - 1)] = size
        return result
    }
}
