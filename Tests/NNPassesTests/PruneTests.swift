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

    /// Two affine layers, 2x`width` and 1x2, with the given weights, as one network.
    func twoLayers(_ first: [Double], _ second: [Double]) -> Graph {
        var graph = Graph()
        let width = first.count / 2
        let x = graph.append(Node(operation: .input(name: "x"), operands: [], shape: [1, width]))
        let h = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: 2, columns: width, values: first), bias: [0, 0])),
                                  operands: [x], shape: [2]))
        let y = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: 1, columns: 2, values: second), bias: [0])),
                                  operands: [h], shape: [1]))
        graph.outputs = [GraphOutput(name: "y", value: y)]
        return graph
    }

    func run(_ pipeline: String, on graph: Graph) throws -> Graph {
        var result = graph
        var context = PassContext()
        try PassManager(pipeline: try Pipeline(parsing: pipeline)).run(on: &result, context: &context)
        return result
    }

    /// The stored (row, column, value) entries of affine node `node`.
    func entries(_ graph: Graph, node: Int) -> [[Double]] {
        guard case .affine(let affine) = graph.nodes[node].operation, case .sparse(let m) = affine.weights else { return [] }
        return (0..<m.rows).flatMap { r in (m.rowStart[r]..<m.rowStart[r + 1]).map { [Double(r), Double(m.columnIndex[$0]), m.values[$0]] } }
    }

    /// Equal magnitudes are pruned in position order (the first ones go), within a layer and, with
    /// scope=global, across layers in their order; a zero weight does not count towards the rate.
    @Test func tiesArePrunedInPositionOrder() throws {
        let graph = twoLayers([1, -1, 1, -1, 2, 2, -2, 0], [1, 3])
        // Per layer, 0.5 of 7 nonzero weights is 3: the first three of the four of magnitude 1; of the
        // second layer's 2 weights, 1: the smaller.
        let layer = try run("prune{sparsity=0.5}", on: graph)
        #expect(entries(layer, node: 1) == [[0, 3, -1], [1, 0, 2], [1, 1, 2], [1, 2, -2]])
        #expect(entries(layer, node: 2) == [[0, 1, 3]])
        // Globally, 0.5 of 9 is 4: the four of magnitude 1 in the first layer, then no more, so the
        // second layer's 1 (later in the order) stays.
        let global = try run("prune{sparsity=0.5,scope=global}", on: graph)
        #expect(entries(global, node: 1) == [[1, 0, 2], [1, 1, 2], [1, 2, -2]])
        #expect(entries(global, node: 2) == [[0, 0, 1], [0, 1, 3]])
    }

    /// On a layer of 20,000 weights with many repeated magnitudes, the weights pruned are exactly the
    /// first ones of a full sort by (magnitude, position), at several rates: the selection that finds
    /// the threshold agrees with sorting.
    @Test(arguments: [0.1, 0.5, 0.9, 0.99])
    func prunedWeightsAreTheFirstOfASortByMagnitudeThenPosition(sparsity: Double) throws {
        var generator = SplitMix64(seed: 7)
        let values = (0..<20_000).map { _ in (Double(generator.next() % 200) - 100) / 50 }  // -2 ... 1.98 in steps of 0.02, zeros too
        let pruned = try run("prune{sparsity=\(sparsity)}", on: twoLayers(values, [1, 1]))
        let nonzero = values.indices.filter { values[$0] != 0 }
        let count = Int((sparsity * Double(nonzero.count)).rounded(.down))
        let expectedRemoved = Set(nonzero.sorted { (abs(values[$0]), $0) < (abs(values[$1]), $1) }.prefix(count))
        let width = values.count / 2
        let kept = Set(entries(pruned, node: 1).map { Int($0[0]) * width + Int($0[1]) })
        #expect(kept == Set(nonzero).subtracting(expectedRemoved))
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
