import Foundation
@testable import NNSearch
import NNMIPKit
import TestSupport
import Testing

/// The pieces of the local search on the original network: the gradient through the network
/// (against finite differences of the reference evaluator), the projection onto the input domain
/// (against worked-out projections and against random points of the domain), and the descent.
@Suite struct LocalSearchTests {
    /// On every fixture network and each of its test points, the gradient of a seeded random
    /// combination of the outputs matches central differences of the evaluator, element by element,
    /// wherever the two one-sided differences agree (elsewhere the point sits on a kink of the
    /// piecewise-linear network, where any value between them is a subgradient).
    @Test func theGradientMatchesFiniteDifferencesOnEveryFixture() throws {
        var generator = SplitMix64(seed: 7)
        var compared = 0
        for network in try NetworkCase.fixtures() {
            let graph = network.graph
            let evaluator = Evaluator(graph: graph)
            let weights = graph.outputs.map { output in (0..<graph[output.value].elementCount).map { _ in generator.nextUnit() * 2 - 1 } }
            func value(_ inputs: [[Double]]) throws -> Double {
                zip(try evaluator.evaluate(inputs: inputs), weights).reduce(0) { sum, pair in sum + zip(pair.0, pair.1).reduce(0) { $0 + $1.0 * $1.1 } }
            }
            for point in network.points.prefix(2) {
                let gradient = InputGradient(graph: graph).gradient(values: try evaluator.evaluateAll(inputs: point), outputWeights: weights)
                let center = try value(point)
                for t in point.indices {
                    for k in point[t].indices {
                        let h = 1e-6 * max(1, abs(point[t][k]))
                        var up = point, down = point
                        up[t][k] += h
                        down[t][k] -= h
                        let forward = (try value(up) - center) / h, backward = (center - (try value(down))) / h
                        let scale = max(1, abs(forward), abs(backward))
                        guard abs(forward - backward) <= 1e-5 * scale else { continue }
                        #expect(abs(gradient[t][k] - (forward + backward) / 2) <= 1e-5 * scale,
                                "\(network.name) input \(t) element \(k): gradient \(gradient[t][k]), differences \(forward) and \(backward)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 1_000)
    }

    /// A domain of one input: the box [0, 1]^n with the L1 ball of `radius` around `center`.
    func domain(center: [Double], radius: Double, lower: Double = 0, upper: Double = 1) throws -> DomainProjection {
        var graph = Graph()
        let input = graph.append(Node(operation: .input(name: "X"), operands: [], shape: [1, center.count]))
        graph.outputs = [GraphOutput(name: "Y", value: input)]
        var spec = Spec(inputCount: 1)
        spec.inputBounds = [Bounds(lower: center.map { _ in lower }, upper: center.map { _ in upper })]
        spec.balls = [NormBall(.l1, input: 0, center: center, radius: radius)]
        return try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
    }

    /// Projections worked out by hand: inside, onto the ball's face, and onto the face cut by the box.
    @Test func projectionsOntoAnL1BallInABoxAreTheWorkedOutOnes() throws {
        let projection = try domain(center: [0.5, 0.5, 0.5], radius: 0.3)
        let cases: [([Double], [Double])] = [
            ([0.6, 0.5, 0.45], [0.6, 0.5, 0.45]),    // inside: unchanged
            ([2.0, 0.5, 0.5], [0.8, 0.5, 0.5]),      // clipped to the box first, then onto the ball: the vertex
            ([0.9, 0.9, 0.5], [0.65, 0.65, 0.5]),    // λ = 0.25 shrinks both differences to 0.15
            ([-5, 0.5, 0.55], [0.2, 0.5, 0.5]),      // the big difference takes the whole radius
        ]
        for (y, expected) in cases {
            let x = projection.project([y])[0]
            #expect(zip(x, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(y) -> \(x), expected \(expected)")
        }
        // At the box's corner: center 0, box [0, 1]^2, radius 1.5: (2, 2) goes to (0.75, 0.75).
        let corner = try domain(center: [0, 0], radius: 1.5)
        #expect(corner.project([[2, 2]])[0].allSatisfy { abs($0 - 0.75) < 1e-12 })
    }

    /// The projection of a random point lies in the domain and is nearer to it than any of many
    /// random points of the domain.
    @Test func theProjectionIsTheNearestPointOfTheDomain() throws {
        var generator = SplitMix64(seed: 11)
        let center = (0..<6).map { _ in generator.nextUnit() }
        let projection = try domain(center: center, radius: 0.7)
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        for _ in 0..<50 {
            let y = center.map { $0 + (generator.nextUnit() * 2 - 1) * 1.5 }
            let x = projection.project([y])[0]
            #expect(x.allSatisfy { $0 >= 0 && $0 <= 1 } && DomainProjection.distance(x, center) <= 0.7)
            for _ in 0..<200 {
                // A random point of the domain: a random point of the box, moved into the ball along the segment to the center.
                var z = center.map { _ in generator.nextUnit() }
                let reach = DomainProjection.distance(z, center)
                if reach > 0.7 { z = zip(z, center).map { $1 + ($0 - $1) * 0.7 / reach } }
                #expect(distance(x, y) <= distance(z, y) + 1e-12)
            }
        }
    }

    /// mlp_2x8 over [-1, 1]^4: the descent ends no worse than its start, in the box, and at a
    /// maximum of y0 close to the one HiGHS proves (0.27876593707922, see PropertyVerificationTests).
    @Test func theDescentImprovesOnItsStartAndStaysInTheDomain() throws {
        let (graph, spec) = try BoxProblems.fixture("mlp_2x8", box: "-1:1", .maximize, "y0")
        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        let score = PointScore(spec: spec, goal: .optimum(try #require(spec.objective)))
        var best = -Double.infinity
        var generator = SplitMix64(seed: 3)
        for _ in 0..<10 {
            let start = [(0..<4).map { _ in generator.nextUnit() * 2 - 1 }]
            let startValue = score.value(inputs: start, outputs: try Evaluator(graph: graph).evaluate(inputs: start))
            let end = try ProjectedGradient(graph: graph, score: score, projection: projection).descend(from: start, deadline: .none)
            #expect(!(startValue < end.value), "from \(start): \(startValue) -> \(end.value)")
            #expect(end.inputs[0].allSatisfy { $0 >= -1 && $0 <= 1 })
            #expect(end.outputs == (try Evaluator(graph: graph).evaluate(inputs: end.inputs)))
            best = max(best, -end.value.loss)
        }
        #expect(best <= PropertyVerificationTests.maximumOfY0 + 1e-9 && best > PropertyVerificationTests.maximumOfY0 - 0.05, "\(best)")
    }
}

extension LocalSearchTests {
    /// An L1 ball whose box is cut by the input box: the box's own center lies outside the ball, so
    /// before the samples were projected no sampled point was in the domain and `solve --start
    /// sample` started from nothing. Now the start exists, lies in the ball and is judged on the network.
    @Test func aSampledStartExistsInAnL1BallCutByTheBox() throws {
        let (graph, boxed) = try BoxProblems.fixture("mlp_2x8", box: "0:1", .maximize, "y0")
        var spec = boxed
        spec.balls = [NormBall(.l1, input: 0, center: [0, 0, 0.5, 1], radius: 0.5)]
        let found = try #require(try SampledStart(graph: graph, spec: spec).best())
        let inputs = found.point.inputs
        #expect(spec.domainViolation(inputs: inputs) <= 1e-12, "\(inputs)")
        #expect(found.objective == (try Evaluator(graph: graph).evaluate(inputs: inputs))[0][0])
        #expect(["sample", "gradient"].contains(found.source))
    }
}

extension LocalSearchTests {
    /// The searches rank points with the batch evaluator (BLAS), whose last bits can differ from the
    /// reference's on a network this wide; what they return is the reference evaluator's, bit for bit:
    /// the sampled start's outputs and objective, and each descent's end outputs.
    @Test func searchesThroughBLASReturnTheReferenceEvaluatorsValues() throws {
        var generator = SplitMix64(seed: 41)
        var graph = Graph()
        var x = graph.append(Node(operation: .input(name: "x"), operands: [], shape: [1, 60]))
        var width = 60
        for next in [200, 150, 2] {
            let weights = (0..<next * width).map { _ in (generator.nextUnit() * 2 - 1) / Double(width).squareRoot() }
            let affine = graph.append(Node(operation: .affine(Affine(weights: .dense(rows: next, columns: width, values: weights),
                                                                   bias: (0..<next).map { _ in generator.nextUnit() * 0.1 })),
                                           operands: [x], shape: [1, next]))
            x = next == 2 ? affine : graph.append(Node(operation: .relu, operands: [affine], shape: [1, next]))
            width = next
        }
        graph.outputs = [GraphOutput(name: "y", value: x)]
        var spec = Spec(inputCount: 1)
        spec.inputBounds = [Bounds(lower: .init(repeating: 0, count: 60), upper: .init(repeating: 1, count: 60))]
        var objective = LinearExpression()
        objective.add(TensorElement(.output, tensor: 0, element: 0), coefficient: 1)
        objective.add(TensorElement(.output, tensor: 0, element: 1), coefficient: -0.5)
        spec.objective = Objective(.maximize, objective)

        let reference = Evaluator(graph: graph)
        let found = try #require(try SampledStart(graph: graph, spec: spec).best())
        let outputs = try reference.evaluate(inputs: found.point.inputs)
        #expect(found.point.networkOutputs == outputs)
        #expect(found.objective == outputs[0][0] - 0.5 * outputs[0][1])

        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        let score = PointScore(spec: spec, goal: .optimum(try #require(spec.objective)))
        for _ in 0..<5 {
            let start = [(0..<60).map { _ in generator.nextUnit() }]
            let end = try ProjectedGradient(graph: graph, score: score, projection: projection, steps: 30).descend(from: start, deadline: .none)
            #expect(end.outputs == (try reference.evaluate(inputs: end.inputs)))
        }
    }
}
