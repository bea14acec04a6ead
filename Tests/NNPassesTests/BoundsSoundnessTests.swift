import Foundation
import NNMIPKit
import TestSupport
import Testing

/// Soundness comes first: on every network under ../shared/realnets, over the
/// box of its first VNN-LIB property (or [-1, 1] around the test points),
/// every neuron's value at 10,000 sampled inputs lies within the bounds each
/// bounds method computed; symbolic and LP bounds are never looser than
/// interval bounds.
@Suite struct BoundsSoundnessTests {
    static let samples = 10_000
    /// Time budget of bounds-lp per network: neurons it does not reach keep sound bounds anyway.
    static let lpSeconds = 1

    static var networks: [String] {
        guard FileManager.default.fileExists(atPath: Realnets.folder.path) else { return ["(realnets missing)"] }
        return (try? NetworkCase.realnets(Realnets.folder.path).map(\.name)) ?? ["(realnets unreadable)"]
    }

    @Test(.needsRealnets, .needsHiGHS, arguments: networks)
    func everySampledNeuronLiesInTheBoundsOfEveryMethod(network: String) throws {
        let folder = try Realnets.require()
        let item = try #require(try NetworkCase.realnets(folder).first { $0.name == network }, "\(network) not found")
        let library = try EmbeddedHiGHS.require()

        var unbounded = item.graph
        for (t, input) in unbounded.inputs.enumerated() { unbounded[input].bounds = item.box[t] }
        let methods = ["bounds-ia", "bounds-symbolic", "bounds-symbolic,bounds-lp{timeout=\(Self.lpSeconds)}"]
        var bounded: [(String, Graph)] = []
        for method in methods {
            var graph = unbounded
            var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library))
            try PassManager(pipeline: try Pipeline(parsing: method)).run(on: &graph, context: &context)
            try Verifier.verify(graph)
            bounded.append((method, graph))
        }

        // Never looser than interval arithmetic, neuron by neuron.
        let interval = bounded[0].1
        for (method, graph) in bounded.dropFirst() {
            for index in graph.nodes.indices {
                let (b, ia) = (graph.nodes[index].bounds!, interval.nodes[index].bounds!)
                for k in b.lower.indices {
                    #expect(b.lower[k] >= ia.lower[k] && b.upper[k] <= ia.upper[k],
                            "\(network) \(method): %\(index)[\(k)] [\(b.lower[k]), \(b.upper[k])] is looser than interval [\(ia.lower[k]), \(ia.upper[k])]")
                }
            }
        }

        // Uniform samples, one in ten a random vertex of the box, where bounds are tight.
        let evaluator = Evaluator(graph: item.graph)
        var generator = SplitMix64(seed: 23)
        var violations = 0
        for sample in 0..<Self.samples {
            let point = item.box.map { box in
                zip(box.lower, box.upper).map { l, u in
                    sample % 10 == 0 ? (generator.next() & 1 == 0 ? l : u) : l + (u - l) * generator.nextUnit()
                }
            }
            let values = try evaluator.evaluateAll(inputs: point)
            for (method, graph) in bounded {
                for (index, value) in values.enumerated() {
                    let b = graph.nodes[index].bounds!
                    for k in value.indices where !(b.lower[k] <= value[k] && value[k] <= b.upper[k]) {
                        violations += 1
                        if violations <= 5 {
                            Issue.record("\(network) \(method): %\(index)[\(k)] = \(value[k]) outside [\(b.lower[k]), \(b.upper[k])]")
                        }
                    }
                }
            }
        }
        #expect(violations == 0, "\(network): \(violations) values outside their bounds")
    }
}
