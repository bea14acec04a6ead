import NNMIPKit
import Testing

/// The bounds of branch and bound's domains (`ReLUSplitBounds`): a split constraint's multiplier
/// worked out by hand, and soundness at sampled points of random domains of random MLPs.
@Suite struct ReLUSplitBoundsTests {
    /// y = relu(-x) - relu(x) = -x on x in [-1, 1], with the first ReLU split active (x >= 0).
    ///
    /// The split makes relu(x) = x; relu(-x) keeps its chord (1 - x)/2 (its multiplier is positive),
    /// so without the constraint y <= (1 - x)/2 - x peaks at 2 (x = -1). With the constraint x >= 0 and
    /// its multiplier beta, y <= 1/2 - (3/2 - beta)·x over the box, least at beta = 3/2: the bound 1/2
    /// (the chord's value at x = 0; the true maximum is 0).
    @Test func theSplitConstraintsMultiplierTightensTheBoundAsWorkedOutByHand() throws {
        var graph = Graph()
        let x = graph.append(Node(operation: .input(name: "x"), operands: [], shape: [1, 1]))
        let z = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: 2, columns: 1, values: [1, -1]), bias: [0, 0])),
                                  operands: [x], shape: [1, 2]))
        let h = graph.append(Node(operation: .relu, operands: [z], shape: [1, 2]))
        let y = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: 1, columns: 2, values: [-1, 1]), bias: [0])),
                                  operands: [h], shape: [1, 1]))
        graph.outputs = [GraphOutput(name: "y", value: y)]
        let bounded = try AlphaBoundsTests.bounded(graph, box: Bounds(lower: [-1], upper: [1]), pipeline: "bounds-symbolic")
        let bounds = ReLUSplitBounds(graph: bounded, margins: y)
        #expect(bounds.splittable == [h.index: [0, 1]])
        let active = [ReLUSplit(node: h.index, element: 0, isActive: true)]
        let withoutBeta = bounds.bound(splits: active, warmStart: nil, iterations: 1, deadline: .none, open: [0]) { _ in false }
        #expect(abs(withoutBeta.upper[0] - 2) < 1e-9)
        let optimised = bounds.bound(splits: active, warmStart: nil, iterations: 300, deadline: .none, open: [0]) { _ in false }
        #expect(optimised.upper[0] >= 0.5 - 1e-9 && optimised.upper[0] < 0.5 + 0.01, "bound \(optimised.upper[0])")
        // The other side: x <= 0 makes relu(x) = 0 and y = relu(-x) <= (1 - x)/2, at most 1 at x = -1, exact.
        let inactive = [ReLUSplit(node: h.index, element: 0, isActive: false)]
        let other = bounds.bound(splits: inactive, warmStart: nil, iterations: 50, deadline: .none, open: [0]) { _ in false }
        #expect(abs(other.upper[0] - 1) < 1e-6, "bound \(other.upper[0])")
        #expect(other.corners[0] == [[-1]])
    }

    /// On random MLPs, the bound of each margin over a random domain of up to four splits holds at
    /// every sampled point where the splits hold, and splitting pays: over the domains that hold at
    /// least 100 of the points (most of them), the bounds come out below the unsplit network's.
    @Test(arguments: [[6, 16, 16, 3], [5, 24, 24, 24, 2]])
    func boundsHoldWhereTheSplitsHold(_ sizes: [Int]) throws {
        let network = BoundsSoundnessTests.randomMLP(sizes, seed: 7 + UInt64(sizes.count))
        var graph = network
        let outputs = sizes.last!
        // Margins y_i - y_{i+1} and their opposite, one row each.
        var weights: [Double] = []
        for i in 0..<outputs - 1 {
            for sign in [1.0, -1.0] {
                weights += (0..<outputs).map { $0 == i ? sign : $0 == i + 1 ? -sign : 0 }
            }
        }
        let rows = weights.count / outputs
        let margins = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: rows, columns: outputs, values: weights),
                                                                  bias: .init(repeating: 0, count: rows))),
                                        operands: [graph.outputs[0].value], shape: [1, rows]))
        graph.outputs = [GraphOutput(name: "m", value: margins)]
        let box = Bounds(lower: .init(repeating: -1, count: sizes[0]), upper: .init(repeating: 1, count: sizes[0]))
        let bounded = try AlphaBoundsTests.bounded(graph, box: box, pipeline: "bounds-symbolic")
        let bounds = ReLUSplitBounds(graph: bounded, margins: margins)
        let candidates = bounds.splittable.keys.sorted().flatMap { node in bounds.splittable[node]!.map { (node, $0) } }
        #expect(candidates.count >= 8)
        let root = bounds.bound(splits: [], warmStart: nil, iterations: 30, deadline: .none, open: Array(0..<rows)) { _ in false }

        let evaluator = Evaluator(graph: graph)
        var generator = SplitMix64(seed: 5)
        let points = (0..<20_000).map { _ in (0..<sizes[0]).map { _ in generator.nextUnit() * 2 - 1 } }
        let values = try points.map { try evaluator.evaluateAll(inputs: [$0]) }
        var splitTotal = 0.0, rootTotal = 0.0, sampledDomains = 0
        for domain in 0..<12 {
            let count = 1 + domain % 4
            let splits = (0..<count).map { _ -> ReLUSplit in
                let (node, element) = candidates[Int(generator.next() % UInt64(candidates.count))]
                return ReLUSplit(node: node, element: element, isActive: generator.next() & 1 == 0)
            }
            let bound = bounds.bound(splits: splits, warmStart: nil, iterations: 30, deadline: .none, open: Array(0..<rows)) { _ in false }
            var inside = 0
            for value in values {
                let holds = splits.allSatisfy { split in
                    let z = value[bounded.nodes[split.node].operands[0].index][split.element]
                    return split.isActive ? z >= 0 : z <= 0
                }
                guard holds else { continue }
                inside += 1
                for r in 0..<rows {
                    #expect(value[margins.index][r] <= bound.upper[r], "\(splits): row \(r) is \(value[margins.index][r]) above \(bound.upper[r])")
                }
            }
            guard inside >= 100 else { continue }
            sampledDomains += 1
            splitTotal += bound.upper.reduce(0, +)
            rootTotal += root.upper.reduce(0, +)
        }
        #expect(sampledDomains >= 6)
        #expect(rootTotal > 0 && splitTotal < rootTotal, "split bounds \(splitTotal), unsplit \(rootTotal)")
    }
}
