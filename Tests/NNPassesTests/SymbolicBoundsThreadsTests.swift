import NNMIPKit
import Testing

/// `bounds-symbolic` bounds a layer's rows in blocks, several at once when the context allows
/// threads (`compile` gives it every core): the bounds are the same whatever the thread count,
/// and every bound holds at sampled points.
@Suite struct SymbolicBoundsThreadsTests {
    /// 32 inputs in [0, 1], then two affine + ReLU layers of 700 (so 3 blocks each) and an output of 3.
    func wideNetwork() -> Graph {
        var generator = SplitMix64(seed: 5)
        var graph = Graph()
        let input = graph.append(Node(operation: .input(name: "x"), operands: [], shape: [32]))
        graph[input].bounds = Bounds(lower: Array(repeating: 0, count: 32), upper: Array(repeating: 1, count: 32))
        var value = input, width = 32
        for (layer, next) in [700, 700, 3].enumerated() {
            let weights = (0..<(next * width)).map { _ in (generator.nextUnit() - 0.5) * 0.3 }
            let affine = Affine(weights: .dense(rows: next, columns: width, values: weights), bias: (0..<next).map { _ in generator.nextUnit() - 0.5 })
            value = graph.append(Node(operation: .affine(affine), operands: [value], shape: [next]))
            if layer < 2 { value = graph.append(Node(operation: .relu, operands: [value], shape: [next])) }
            width = next
        }
        graph.outputs = [GraphOutput(name: "y", value: value)]
        return graph
    }

    func bounded(threads: Int) throws -> (Graph, PassContext) {
        var graph = wideNetwork()
        var context = PassContext(threads: threads)
        try PassManager(pipeline: try Pipeline(parsing: "bounds-symbolic")).run(on: &graph, context: &context)
        return (graph, context)
    }

    @Test func theBoundsDoNotDependOnTheThreads() throws {
        let (one, _) = try bounded(threads: 1)
        let (two, context) = try bounded(threads: 2)
        #expect(one.nodes.map(\.bounds) == two.nodes.map(\.bounds))
        var interval = wideNetwork()
        IntervalBounds.annotate(&interval)
        #expect(two.nodes.map(\.bounds) != interval.nodes.map(\.bounds), "the symbolic bounds are tighter somewhere")
        // Both hidden layers have more than two blocks of unstable rows, so blocks did run side by side.
        for layer in [1, 3] {
            let bounds = try #require(interval.nodes[layer].bounds)
            let unstable = bounds.lower.indices.filter { bounds.lower[$0] < 0 && bounds.upper[$0] > 0 }.count
            #expect(unstable > 2 * 256, "layer node \(layer): \(unstable) unstable rows")
        }
        #expect(context.remarks.last?.message.hasPrefix("bounded ") == true, "\(context.remarks)")
    }

    @Test func theThreadedBoundsHoldAtSampledPoints() throws {
        let (graph, _) = try bounded(threads: 2)
        let evaluator = Evaluator(graph: graph)
        var generator = SplitMix64(seed: 11)
        var outside: [String] = []
        for _ in 0..<200 {
            let point = (0..<32).map { _ in generator.nextUnit() }
            for (index, (node, computed)) in zip(graph.nodes, try evaluator.evaluateAll(inputs: [point])).enumerated() {
                let bounds = try #require(node.bounds)
                for (k, v) in computed.enumerated() where !(bounds.lower[k] <= v && v <= bounds.upper[k]) {
                    outside.append("node \(index) element \(k): \(v) outside [\(bounds.lower[k]), \(bounds.upper[k])]")
                }
            }
        }
        #expect(outside.isEmpty, "\(outside.prefix(5))")
    }
}
