import Foundation
import NNMIPKit
import TestSupport
import Testing

/// `prune` on fixture networks with convolutions and dense layers: the rate is met in every layer, the
/// weights kept are the largest, random pruning is reproducible, and the network keeps its shape.
@Suite struct PruneTests {
    /// Every layer's nonzero weights by node, in storage order.
    func weights(_ graph: Graph) -> [Int: [Double]] {
        var result: [Int: [Double]] = [:]
        for (index, node) in graph.nodes.enumerated() {
            switch node.operation {
            case .affine(let affine):
                switch affine.weights {
                case .dense(_, _, let values): result[index] = values.filter { $0 != 0 }
                case .sparse(let m): result[index] = m.values.filter { $0 != 0 }
                }
            case .convolution(let conv): result[index] = conv.weights.filter { $0 != 0 }
            default: continue
            }
        }
        return result
    }

    func pruned(_ fixture: String, _ pipeline: String) throws -> (Graph, Graph) {
        let graph = try ModelLoader.load(Paths.fixture("onnx/\(fixture).onnx")).graph
        var result = graph
        var context = PassContext()
        try PassManager(pipeline: try Pipeline(parsing: pipeline)).run(on: &result, context: &context)
        try Verifier.verify(result)
        return (graph, result)
    }

    @Test(arguments: ["small_cnn", "mlp_2x8"])
    func everyLayerKeepsItsLargestWeightsAtTheRate(fixture: String) throws {
        let (original, pruned) = try pruned(fixture, "prune{sparsity=0.8}")
        let before = weights(original), after = weights(pruned)
        #expect(!before.isEmpty)
        for (node, values) in before {
            let kept = try #require(after[node])
            #expect(kept.count == values.count - Int((0.8 * Double(values.count)).rounded(.down)), "%\(node)")
            // No weight that was dropped is larger than one that was kept.
            let smallestKept = kept.map(abs).min() ?? .infinity
            let dropped = values.map(abs).sorted().prefix(values.count - kept.count)
            #expect(dropped.allSatisfy { $0 <= smallestKept }, "%\(node)")
        }
        #expect(pruned.outputs.map { pruned[$0.value].shape } == original.outputs.map { original[$0.value].shape })
        // The surrogate still runs: a point evaluates to finite outputs.
        let point = original.inputs.map { [Double](repeating: 0.5, count: original[$0].elementCount) }
        #expect(try Evaluator(graph: pruned).evaluate(inputs: point).joined().allSatisfy(\.isFinite))
    }

    @Test func globalScopeMeetsTheRateOverAllLayers() throws {
        let (original, pruned) = try pruned("small_cnn", "prune{sparsity=0.9,scope=global}")
        let total = weights(original).values.map(\.count).reduce(0, +)
        let kept = weights(pruned).values.map(\.count).reduce(0, +)
        #expect(kept == total - Int((0.9 * Double(total)).rounded(.down)))
        let threshold = weights(pruned).values.joined().map(abs).min() ?? 0
        let dropped = weights(original).values.joined().map(abs).sorted().prefix(total - kept)
        #expect(dropped.allSatisfy { $0 <= threshold })
    }

    @Test func randomPruningIsReproducibleAndDependsOnTheSeed() throws {
        let (_, first) = try pruned("small_cnn", "prune{sparsity=0.5,method=random,seed=3}")
        let (_, again) = try pruned("small_cnn", "prune{sparsity=0.5,method=random,seed=3}")
        let (_, other) = try pruned("small_cnn", "prune{sparsity=0.5,method=random,seed=4}")
        #expect(first == again)
        #expect(first != other)
        let (_, magnitude) = try pruned("small_cnn", "prune{sparsity=0.5}")
        #expect(first != magnitude)
    }

    @Test func neuronPruningShrinksHiddenLayersOnlyAndKeepsTheStrongestNeurons() throws {
        // mlp_2x8: hidden layers of 8 and 8, output layer of 3.
        let (original, pruned) = try pruned("mlp_2x8", "prune-neurons{sparsity=0.5},dead-neuron-elim")
        let widths = pruned.nodes.compactMap { node -> Int? in if case .affine = node.operation { node.elementCount } else { nil } }
        #expect(widths == [4, 4, 3], "\(widths)")
        // The first layer keeps the four rows with the largest incoming L1 norms.
        guard case .affine(let first) = original.nodes[1].operation, case .affine(let kept) = pruned.nodes[1].operation else {
            Issue.record("the first node is not affine")
            return
        }
        guard case .dense(let rows, let columns, let values) = first.weights, case .sparse(let m) = kept.weights else {
            Issue.record("expected dense weights before and sparse after")
            return
        }
        let originalNorms = (0..<rows).map { r in values[(r * columns)..<((r + 1) * columns)].map(abs).reduce(0, +) }
        let keptNorms = (0..<m.rows).map { r in m.values[m.rowStart[r]..<m.rowStart[r + 1]].map(abs).reduce(0, +) }
        #expect(keptNorms == originalNorms.enumerated().sorted { ($0.element, $0.offset) > ($1.element, $1.offset) }
            .prefix(4).sorted { $0.offset < $1.offset }.map(\.element))
    }

    @Test func aRateOfOneOrMoreIsRefused() throws {
        let one = #expect(throws: Diagnostic.self) { try pruned("mlp_2x8", "prune{sparsity=1}") }
        #expect(one?.kind == .usage && one?.location == "prune", "\(String(describing: one))")
        #expect(one?.message == "sparsity=1.0: it must be below 1 (1 would remove every weight)", "\(String(describing: one))")
        let neurons = #expect(throws: Diagnostic.self) { try pruned("mlp_2x8", "prune-neurons{sparsity=1.5}") }
        #expect(neurons?.kind == .usage && neurons?.location == "prune-neurons", "\(String(describing: neurons))")
        #expect(neurons?.message == "sparsity=1.5: it must be below 1 (1 would empty every layer)", "\(String(describing: neurons))")
        let method = #expect(throws: Diagnostic.self) { try Pipeline(parsing: "prune{method=largest}") }
        #expect(method?.kind == .usage && "\(String(describing: method))".contains("expected one of magnitude, random"), "\(String(describing: method))")
    }
}
