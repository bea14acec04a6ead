import NNIR

/// `prune-neurons`: structured pruning. In every hidden affine layer, the
/// given fraction of neurons with the smallest L1 norm of incoming weights is
/// removed: its weights and bias become zero, so it outputs 0 and contributes
/// nothing downstream, exactly as if it were gone (ReLU and Leaky ReLU map 0
/// to 0); `dead-neuron-elim` then deletes it from the IR. Layers whose value
/// is a network output (possibly through reshapes) are never pruned, and
/// convolutions are left alone. Like `prune`, it changes the network and is
/// in no `-O` level.
public struct PruneNeuronsPass: Pass {
    public static let name = "prune-neurons"
    public static let summary = "remove the neurons of hidden affine layers with the smallest incoming L1 norm; changes the network"
    public static let preservesFunction = false
    /// The fraction of each hidden layer's neurons to remove.
    public static let sparsity = PassOption("sparsity", default: 0.5, "fraction of each hidden layer's neurons to remove, below 1")
    public static let options: [any PassOptionDeclaration] = [sparsity]

    let sparsity: Double

    public init(options: PassOptionValues) throws {
        sparsity = options[Self.sparsity]
        guard sparsity < 1 else { throw Diagnostic(.usage, location: "prune-neurons", "sparsity=\(sparsity): it must be below 1 (1 would empty every layer)") }
    }

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        let outputNodes = Set(graph.outputs.map { graph.skippingReshapes($0.value).index })
        var removedTotal = 0, total = 0
        for index in graph.nodes.indices where !outputNodes.contains(index) {
            guard case .affine(var affine) = graph.nodes[index].operation else { continue }
            var norms = [Double](repeating: 0, count: affine.weights.rows)
            for r in norms.indices { affine.weights.forEachEntry(row: r) { _, value in norms[r] += abs(value) } }
            let count = Int((sparsity * Double(norms.count)).rounded(.down))
            let removed = Set(norms.indices.sorted { (norms[$0], $0) < (norms[$1], $1) }.prefix(count))
            var entries: [(Int, Int, Double)] = []
            for r in norms.indices where !removed.contains(r) {
                affine.weights.forEachEntry(row: r) { c, value in if value != 0 { entries.append((r, c, value)) } }
            }
            for r in removed { affine.bias[r] = 0 }
            affine.weights = .sparse(SparseMatrix(rows: affine.weights.rows, columns: affine.weights.columns, rowOrderedEntries: entries))
            graph.nodes[index].operation = .affine(affine)
            removedTotal += removed.count
            total += norms.count
            context.remark("%\(index): removed \(removed.count) of \(norms.count) neurons", node: index)
        }
        // Bounds computed before no longer describe the pruned network.
        graph.removeBounds(keepingInputs: true)
        context.remark("removed \(removedTotal) of \(total) hidden neurons (smallest incoming L1 norm, sparsity \(sparsity))")
    }
}
