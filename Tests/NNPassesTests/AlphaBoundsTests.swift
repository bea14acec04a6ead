import NNMIPKit
import Testing

/// bounds-alpha (optimised slopes) on seeded random MLPs over boxes where most ReLUs are unstable:
/// sound at sampled points, never looser than bounds-symbolic, and tighter than it on the outputs,
/// with the weights stored dense (BLAS products in the gradient sweep) and sparse (its loops).
@Suite struct AlphaBoundsTests {
    static func bounded(_ graph: Graph, box: Bounds, pipeline: String) throws -> Graph {
        var bounded = graph
        bounded[bounded.inputs[0]].bounds = box
        var context = PassContext()
        try PassManager(pipeline: try Pipeline(parsing: pipeline)).run(on: &bounded, context: &context)
        try Verifier.verify(bounded)
        return bounded
    }

    static func outputWidth(_ graph: Graph) -> Double {
        let b = graph[graph.outputs[0].value].bounds!
        return zip(b.lower, b.upper).reduce(0) { $0 + ($1.1 - $1.0) }
    }

    @Test(arguments: [[30, 40, 40, 3], [64, 128, 96, 64, 10]], [false, true])
    func optimisedSlopesTightenTheOutputsSoundly(_ sizes: [Int], sparse: Bool) throws {
        let dense = BoundsSoundnessTests.randomMLP(sizes, seed: UInt64(sizes.reduce(0, +)))
        let graph = sparse ? BoundsSoundnessTests.sparseStored(dense) : dense
        let box = Bounds(lower: .init(repeating: 0.3, count: sizes[0]), upper: .init(repeating: 0.7, count: sizes[0]))
        let symbolic = try Self.bounded(graph, box: box, pipeline: "bounds-symbolic")
        let alpha = try Self.bounded(graph, box: box, pipeline: "bounds-symbolic,bounds-alpha{iterations=30}")
        #expect(try BoundsSoundnessTests.violations(alpha, original: dense, box: [box], name: "\(sizes) alpha") == 0)
        for index in alpha.nodes.indices {
            let (a, s) = (alpha.nodes[index].bounds!, symbolic.nodes[index].bounds!)
            for k in a.lower.indices {
                #expect(a.lower[k] >= s.lower[k] && a.upper[k] <= s.upper[k], "%\(index)[\(k)] looser than symbolic")
            }
        }
        // The optimisation must pay: a broken gradient leaves the slopes where bounds-symbolic put them.
        let (w0, w1) = (Self.outputWidth(symbolic), Self.outputWidth(alpha))
        #expect(w1 < 0.95 * w0, "\(sizes): output bounds' total width \(w1) with alpha against \(w0) symbolic")
    }

    /// One iteration keeps bounds-symbolic's own slopes, so it computes bounds-symbolic's bounds again.
    @Test func oneIterationIsBoundsSymbolic() throws {
        let graph = BoundsSoundnessTests.randomMLP([30, 40, 40, 3], seed: 113)
        let box = Bounds(lower: .init(repeating: 0.3, count: 30), upper: .init(repeating: 0.7, count: 30))
        let symbolic = try Self.bounded(graph, box: box, pipeline: "bounds-symbolic")
        let once = try Self.bounded(graph, box: box, pipeline: "bounds-symbolic,bounds-alpha{iterations=1}")
        for index in graph.nodes.indices {
            #expect(once.nodes[index].bounds == symbolic.nodes[index].bounds, "%\(index)")
        }
    }
}
