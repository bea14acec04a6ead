import NNIR

/// `prune`: unstructured pruning of the weights of affine and convolution
/// layers, the sparse surrogate of the CPAIOR 2026 paper "Optimization over
/// Trained (and Sparse) Neural Networks". It changes the network, so it is
/// never part of an `-O` level: a pipeline names it on purpose.
///
/// With `method=magnitude` the weights smallest in absolute value are set to
/// zero (ties broken by position, so the result is deterministic); with
/// `method=random` a seeded random choice is, as the baseline. `scope=layer`
/// prunes every layer at the same rate, `scope=global` ranks all weights of
/// all layers together. Neurons are never removed (the outputs keep their
/// shape); biases are kept. Pruned affine layers are stored sparse.
public struct PrunePass: Pass {
    public static let name = "prune"
    public static let summary = "set the smallest (or random) weights of affine and convolution layers to zero; changes the network"
    public static let preservesFunction = false
    public static let options: [PassOption] = [
        PassOption("sparsity", .number, default: "0.8", "fraction of the weights to set to zero, below 1"),
        PassOption("method", .choice(["magnitude", "random"]), default: "magnitude", "which weights: the smallest in absolute value, or random ones"),
        PassOption("scope", .choice(["layer", "global"]), default: "layer", "the same fraction in every layer, or one ranking of all weights"),
        PassOption("seed", .integer, default: "0", "seed of method=random"),
    ]

    let sparsity: Double
    let random: Bool
    let global: Bool
    let seed: UInt64

    public init(options: PassOptionValues) throws {
        sparsity = options.number("sparsity")
        guard sparsity < 1 else { throw Diagnostic(.usage, location: "prune", "sparsity=\(sparsity): it must be below 1 (1 would remove every weight)") }
        random = options.word("method") == "random"
        global = options.word("scope") == "global"
        seed = UInt64(options.integer("seed"))
    }

    /// One weight: its layer (node index), its position in the layer's stored weights, and the ranking key.
    private struct Weight {
        var node: Int
        var position: Int
        var key: Double
    }

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        var generator = SplitMix64(seed: seed)
        var layers: [(node: Int, weights: [Weight])] = []
        for (index, node) in graph.nodes.enumerated() {
            let values: [Double]
            switch node.operation {
            case .affine(let affine): values = Self.storedValues(affine.weights)
            case .convolution(let conv): values = conv.weights
            default: continue
            }
            // A weight that is already zero has nothing to prune; it does not count towards the rate either.
            let weights = values.enumerated().filter { $0.element != 0 }.map { position, value in
                Weight(node: index, position: position, key: random ? generator.nextUnit() : abs(value))
            }
            layers.append((index, weights))
        }
        var pruned: [Int: Set<Int>] = [:]
        func prune(_ weights: [Weight]) {
            let count = Int((sparsity * Double(weights.count)).rounded(.down))
            let order = weights.sorted { ($0.key, $0.node, $0.position) < ($1.key, $1.node, $1.position) }
            for weight in order.prefix(count) { pruned[weight.node, default: []].insert(weight.position) }
        }
        if global {
            prune(layers.flatMap(\.weights))
        } else {
            for layer in layers { prune(layer.weights) }
        }
        var kept = 0, total = 0
        for (node, weights) in layers {
            let removed = pruned[node] ?? []
            kept += weights.count - removed.count
            total += weights.count
            switch graph.nodes[node].operation {
            case .affine(var affine):
                affine.weights = Self.sparseWithout(affine.weights, removed)
                graph.nodes[node].operation = .affine(affine)
            case .convolution(var conv):
                for position in removed { conv.weights[position] = 0 }
                graph.nodes[node].operation = .convolution(conv)
            default:
                break
            }
            context.remark("%\(node)\(graph.nodes[node].location.map { " (\($0))" } ?? ""): kept \(weights.count - removed.count) of \(weights.count) weights")
        }
        // Bounds computed before no longer describe the pruned network.
        graph.removeBounds(keepingInputs: true)
        context.remark("kept \(kept) of \(total) weights (\(method) pruning, \(global ? "global" : "per layer"), sparsity \(sparsity))")
    }

    private var method: String { random ? "random" : "magnitude" }

    /// The stored coefficients in storage order (row-major for dense, CSR order for sparse).
    private static func storedValues(_ weights: WeightMatrix) -> [Double] {
        switch weights {
        case .dense(_, _, let values): values
        case .sparse(let m): m.values
        }
    }

    /// `weights` as a sparse matrix without the stored coefficients at `removed` (and without zeros).
    private static func sparseWithout(_ weights: WeightMatrix, _ removed: Set<Int>) -> WeightMatrix {
        var entries: [(Int, Int, Double)] = []
        switch weights {
        case .dense(let rows, let columns, let values):
            for r in 0..<rows {
                for c in 0..<columns where values[r * columns + c] != 0 && !removed.contains(r * columns + c) {
                    entries.append((r, c, values[r * columns + c]))
                }
            }
        case .sparse(let m):
            for r in 0..<m.rows {
                for e in m.rowStart[r]..<m.rowStart[r + 1] where m.values[e] != 0 && !removed.contains(e) {
                    entries.append((r, m.columnIndex[e], m.values[e]))
                }
            }
        }
        return .sparse(SparseMatrix(rows: weights.rows, columns: weights.columns, rowOrderedEntries: entries))
    }
}
