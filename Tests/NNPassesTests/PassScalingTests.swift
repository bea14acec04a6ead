import NNMIPKit
import Testing

/// The rewriting passes take time linear in the size of the graph: each sweep
/// computes who reads each value once, not once per node.
@Suite struct PassScalingTests {
    /// A chain of `layers` affine + ReLU layers of width 4 after one input, with seeded weights.
    func chain(layers: Int) -> Graph {
        var generator = SplitMix64(seed: 13)
        var graph = Graph()
        var value = graph.append(Node(operation: .input(name: "x"), operands: [], shape: [4]))
        for _ in 0..<layers {
            let weights = (0..<16).map { _ in generator.nextUnit() - 0.5 }
            let affine = Affine(weights: .dense(rows: 4, columns: 4, values: weights), bias: (0..<4).map { _ in generator.nextUnit() - 0.5 })
            value = graph.append(Node(operation: .affine(affine), operands: [value], shape: [4]))
            value = graph.append(Node(operation: .relu, operands: [value], shape: [4]))
        }
        graph.outputs = [GraphOutput(name: "y", value: value)]
        return graph
    }

    @Test func canonicalizeAndDeadNeuronEliminationOnA5000LayerChainTakeWellUnderSeconds() throws {
        // Quadratic sweeps took 27 s here in a release build; linear ones take milliseconds, so
        // the limit leaves room for a slow machine or a debug build without being flaky.
        var graph = chain(layers: 5000)
        var context = PassContext()
        let start = MonotonicClock.now()
        try PassManager(pipeline: try Pipeline(parsing: "canonicalize,dead-neuron-elim")).run(on: &graph, context: &context)
        let seconds = MonotonicClock.now() - start
        #expect(seconds < 5, "canonicalize,dead-neuron-elim took \(seconds) s on 10,001 nodes")
        #expect(graph.nodes.count == 10_001, "nothing in the chain can be simplified without bounds")
        try Verifier.verify(graph)
    }
}
