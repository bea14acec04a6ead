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
    /// Which weights are set to zero.
    public enum Method: String, PassOptionChoice {
        /// The smallest in absolute value.
        case magnitude
        /// A seeded random choice.
        case random
    }

    /// Where the weights are ranked.
    public enum Scope: String, PassOptionChoice {
        /// Every layer on its own, at the same rate.
        case layer
        /// All weights of all layers in one ranking.
        case global
    }

    /// The fraction of the weights to set to zero.
    public static let sparsity = PassOption("sparsity", default: 0.8, "fraction of the weights to set to zero, below 1")
    /// Which weights.
    public static let method = PassOption("method", default: Method.magnitude, "which weights: the smallest in absolute value, or random ones")
    /// Per layer or global.
    public static let scope = PassOption("scope", default: Scope.layer, "the same fraction in every layer, or one ranking of all weights")
    /// The seed of `method=random`.
    public static let seed = PassOption("seed", default: 0, "seed of method=random")
    public static let options: [any PassOptionDeclaration] = [sparsity, method, scope, seed]

    let sparsity: Double
    let method: Method
    let scope: Scope
    let seed: UInt64

    public init(options: PassOptionValues) throws {
        sparsity = options[Self.sparsity]
        guard sparsity < 1 else { throw Diagnostic(.usage, location: "prune", "sparsity=\(sparsity): it must be below 1 (1 would remove every weight)") }
        method = options[Self.method]
        scope = options[Self.scope]
        seed = UInt64(options[Self.seed])
    }

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        var generator = SplitMix64(seed: seed)
        // Each layer's ranking key per stored weight, in storage order; a weight that is already zero
        // has nothing to prune and does not count towards the rate (its key is NaN, which no
        // comparison below lets through).
        var layers: [(node: Int, keys: [Double])] = []
        for (index, node) in graph.nodes.enumerated() {
            let values: [Double]
            switch node.operation {
            case .affine(let affine): values = Self.storedValues(affine.weights)
            case .convolution(let conv): values = conv.weights
            default: continue
            }
            layers.append((index, values.map { $0 == 0 ? .nan : method == .random ? generator.nextUnit() : abs($0) }))
        }
        // The pruned weights are the first `count` in the order (key, layer, position): every key below
        // the count-th smallest, then the first of those equal to it. A selection finds that key in
        // linear time, where sorting 2*10^8 weights took minutes and gigabytes.
        var removed = layers.map { [Bool](repeating: false, count: $0.keys.count) }
        func prune(_ group: Range<Int>) {
            // Reserved once: filter and flatMap grow by doubling, which on 10^8 keys cost seconds of copying.
            var keys: [Double] = []
            keys.reserveCapacity(layers[group].reduce(0) { $0 + $1.keys.count })
            for layer in group { for key in layers[layer].keys where !key.isNaN { keys.append(key) } }
            let count = Int((sparsity * Double(keys.count)).rounded(.down))
            guard count > 0 else { return }
            let threshold = KthSmallest.value(&keys, rank: count - 1)
            var equalToPrune = count - keys.reduce(0) { $1 < threshold ? $0 + 1 : $0 }
            for layer in group {
                for (position, key) in layers[layer].keys.enumerated() {
                    if key < threshold {
                        removed[layer][position] = true
                    } else if key == threshold, equalToPrune > 0 {
                        removed[layer][position] = true
                        equalToPrune -= 1
                    }
                }
            }
        }
        if scope == .global {
            prune(layers.indices)
        } else {
            for layer in layers.indices { prune(layer..<layer + 1) }
        }
        var kept = 0, total = 0
        for (layer, (node, keys)) in layers.enumerated() {
            let weights = keys.count { !$0.isNaN }, removedCount = removed[layer].count { $0 }
            kept += weights - removedCount
            total += weights
            switch graph.nodes[node].operation {
            case .affine(var affine):
                affine.weights = Self.sparseWithout(affine.weights, removed[layer])
                graph.nodes[node].operation = .affine(affine)
            case .convolution(var conv):
                for (position, isRemoved) in removed[layer].enumerated() where isRemoved { conv.weights[position] = 0 }
                graph.nodes[node].operation = .convolution(conv)
            default:
                break
            }
            context.remark("%\(node)\(graph.nodes[node].location.map { " (\($0))" } ?? ""): kept \(weights - removedCount) of \(weights) weights", node: node)
        }
        // Bounds computed before no longer describe the pruned network.
        graph.removeBounds(keepingInputs: true)
        context.remark("kept \(kept) of \(total) weights (\(method.rawValue) pruning, \(scope == .global ? "global" : "per layer"), sparsity \(sparsity))")
    }

    /// The stored coefficients in storage order (row-major for dense, CSR order for sparse).
    private static func storedValues(_ weights: WeightMatrix) -> [Double] {
        switch weights {
        case .dense(_, _, let values): values
        case .sparse(let m): m.values
        }
    }

    /// `weights` as a sparse matrix without the stored coefficients where `removed` is true (and without zeros).
    private static func sparseWithout(_ weights: WeightMatrix, _ removed: [Bool]) -> WeightMatrix {
        var entries: [(Int, Int, Double)] = []
        switch weights {
        case .dense(let rows, let columns, let values):
            for r in 0..<rows {
                for c in 0..<columns where values[r * columns + c] != 0 && !removed[r * columns + c] {
                    entries.append((r, c, values[r * columns + c]))
                }
            }
        case .sparse(let m):
            for r in 0..<m.rows {
                for e in m.rowStart[r]..<m.rowStart[r + 1] where m.values[e] != 0 && !removed[e] {
                    entries.append((r, m.columnIndex[e], m.values[e]))
                }
            }
        }
        return .sparse(SparseMatrix(rows: weights.rows, columns: weights.columns, rowOrderedEntries: entries))
    }
}
