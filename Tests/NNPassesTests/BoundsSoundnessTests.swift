import Foundation
import NNBLAS
import NNMIPKit
import TestSupport
import Testing

/// Soundness comes first: on every network under ../shared/realnets, over the
/// box of its first VNN-LIB property (or [-1, 1] around the test points),
/// every neuron's value at 10,000 sampled inputs lies within the bounds each
/// bounds method computed; symbolic, alpha and LP bounds are never looser than
/// interval bounds, and alpha bounds never looser than symbolic ones.
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
        let methods = ["bounds-ia", "bounds-symbolic", "bounds-symbolic,bounds-alpha{iterations=10,timeout=\(Self.lpSeconds)}",
                       "bounds-symbolic,bounds-lp{timeout=\(Self.lpSeconds)}"]
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

        // Alpha bounds start from the symbolic ones and only ever shrink them.
        let (symbolic, alpha) = (bounded[1].1, bounded[2].1)
        for index in alpha.nodes.indices {
            let (a, s) = (alpha.nodes[index].bounds!, symbolic.nodes[index].bounds!)
            for k in a.lower.indices {
                #expect(a.lower[k] >= s.lower[k] && a.upper[k] <= s.upper[k],
                        "\(network) bounds-alpha: %\(index)[\(k)] [\(a.lower[k]), \(a.upper[k])] is looser than symbolic [\(s.lower[k]), \(s.upper[k])]")
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

/// bounds-symbolic with its dense products in BLAS: sound on networks that need no realnets, and as tight
/// as the same pass on the same weights stored sparse (whose products are the plain loops) up to rounding.
extension BoundsSoundnessTests {
    static func symbolic(_ graph: Graph, box: [Bounds]) throws -> Graph {
        var bounded = graph
        for (t, input) in bounded.inputs.enumerated() { bounded[input].bounds = box[t] }
        var context = PassContext()
        try PassManager(pipeline: try Pipeline(parsing: "bounds-symbolic")).run(on: &bounded, context: &context)
        try Verifier.verify(bounded)
        return bounded
    }

    /// How many of 2,000 points of `box` (one in ten a vertex) have a node value outside its bounds.
    static func violations(_ bounded: Graph, original: Graph, box: [Bounds], name: String) throws -> Int {
        let evaluator = Evaluator(graph: original)
        var generator = SplitMix64(seed: 31)
        var violations = 0
        for sample in 0..<2_000 {
            let point = box.map { b in
                zip(b.lower, b.upper).map { l, u in sample % 10 == 0 ? (generator.next() & 1 == 0 ? l : u) : l + (u - l) * generator.nextUnit() }
            }
            for (index, value) in try evaluator.evaluateAll(inputs: point).enumerated() {
                let b = bounded.nodes[index].bounds!
                for k in value.indices where !(b.lower[k] <= value[k] && value[k] <= b.upper[k]) {
                    violations += 1
                    if violations <= 5 { Issue.record("\(name): %\(index)[\(k)] = \(value[k]) outside [\(b.lower[k]), \(b.upper[k])]") }
                }
            }
        }
        return violations
    }

    /// A seeded random ReLU MLP; a third of each hidden layer's biases are so negative that those
    /// neurons are stably inactive, so the backward products meet all-zero columns (gathered before BLAS).
    static func randomMLP(_ sizes: [Int], seed: UInt64) -> Graph {
        var generator = SplitMix64(seed: seed)
        var g = Graph()
        var x = g.append(Node(operation: .input(name: "x"), operands: [], shape: [1, sizes[0]]))
        for (layer, (columns, rows)) in zip(sizes, sizes.dropFirst()).enumerated() {
            let scale = (2 / Double(columns)).squareRoot()
            let weights = (0..<rows * columns).map { _ in (generator.nextUnit() * 2 - 1) * scale }
            let last = layer == sizes.count - 2
            let bias = (0..<rows).map { r in !last && r % 3 == 0 ? -Double(columns) : (generator.nextUnit() - 0.5) * 0.1 }
            let affine = g.append(Node(operation: .affine(Affine(weights: .dense(rows: rows, columns: columns, values: weights), bias: bias)),
                                       operands: [x], shape: [1, rows]))
            x = last ? affine : g.append(Node(operation: .relu, operands: [affine], shape: [1, rows]))
        }
        g.outputs = [GraphOutput(name: "y", value: x)]
        return g
    }

    /// The same network with every dense matrix stored sparse (all its nonzeros).
    static func sparseStored(_ graph: Graph) -> Graph {
        var sparse = graph
        for index in sparse.nodes.indices {
            guard case .affine(let affine) = sparse.nodes[index].operation, case .dense(let rows, let columns, let w) = affine.weights else { continue }
            var entries: [(Int, Int, Double)] = []
            for r in 0..<rows { for c in 0..<columns where w[r * columns + c] != 0 { entries.append((r, c, w[r * columns + c])) } }
            sparse.nodes[index].operation = .affine(Affine(weights: .sparse(SparseMatrix(rows: rows, columns: columns, rowOrderedEntries: entries)),
                                                           bias: affine.bias))
        }
        return sparse
    }

    @Test func symbolicBoundsHoldAtSampledPointsOfEveryFixture() throws {
        for item in try NetworkCase.fixtures() {
            let bounded = try Self.symbolic(item.graph, box: item.box)
            #expect(try Self.violations(bounded, original: item.graph, box: item.box, name: item.name) == 0, "\(item.name)")
        }
    }

    /// On random MLPs, dense (BLAS) and sparse (loops) storage give bounds that hold at every sampled
    /// point and differ by at most rounding: each bound is its exact value minus or plus its allowance
    /// γ(N)·M, computed with an error of at most γ(N)·M, so two orders differ by at most 4γ(N)·M. M, the
    /// magnitude sum of every term, is at most (number of nodes) · m, m the target's magnitude
    /// propagated as |W|·m + |b| through affine layers and 2·m through a ReLU (slope at most 1, intercept at
    /// most the operand's magnitude); N is the pass's own term count (every node's elements, the longest row, 2).
    @Test(arguments: [[30, 40, 40, 3], [64, 128, 96, 64, 10], [100, 200, 200, 1]])
    func symbolicBoundsThroughBLASMatchTheLoopsUpToRounding(_ sizes: [Int]) throws {
        let graph = Self.randomMLP(sizes, seed: UInt64(sizes.reduce(0, +)))
        for box in [Bounds(lower: .init(repeating: 0, count: sizes[0]), upper: .init(repeating: 1, count: sizes[0])),
                    Bounds(lower: .init(repeating: 0.45, count: sizes[0]), upper: .init(repeating: 0.55, count: sizes[0]))] {
            let dense = try Self.symbolic(graph, box: [box])
            let sparse = try Self.symbolic(Self.sparseStored(graph), box: [box])
            #expect(try Self.violations(dense, original: graph, box: [box], name: "\(sizes) dense") == 0)

            let n = graph.nodes.reduce(2) { $0 + $1.elementCount } + sizes.max()!
            let gamma = Rounding.gamma(n)
            var magnitude = box.magnitudes
            for (index, node) in graph.nodes.enumerated() {
                switch node.operation {
                case .affine(let affine):
                    guard case .dense(let rows, let columns, let w) = affine.weights else { continue }
                    magnitude = (0..<rows).map { r in (0..<columns).reduce(abs(affine.bias[r])) { $0 + abs(w[r * columns + $1]) * magnitude[$1] } }
                case .relu: magnitude = magnitude.map { 2 * $0 }
                default: continue
                }
                let (d, s) = (dense.nodes[index].bounds!, sparse.nodes[index].bounds!)
                for k in d.lower.indices {
                    let allowed = 4 * gamma * Double(graph.nodes.count) * magnitude[k]
                    #expect(d.lower[k] >= s.lower[k] - allowed && d.upper[k] <= s.upper[k] + allowed,
                            "\(sizes) %\(index)[\(k)]: BLAS [\(d.lower[k]), \(d.upper[k])] vs loops [\(s.lower[k]), \(s.upper[k])], allowed \(allowed)")
                    #expect(abs(d.lower[k] - s.lower[k]) <= allowed && abs(d.upper[k] - s.upper[k]) <= allowed)
                }
            }
        }
    }
}
