import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The formulations that no exactness test at a fixed point can reach: an L1
/// ball (its rows only matter when the inputs move) and Leaky ReLUs whose
/// slope makes the function non-convex (alpha > 1) or non-monotone
/// (alpha < 0). HiGHS's optimum must be a real point of the domain, agree
/// with the evaluator there, and not be beaten by random points of the domain.
@Suite(.serialized) struct DomainOptimalityTests {
    static let samples = 10_000

    /// Solves `spec` over `graph` with HiGHS and returns the optimal input point and objective.
    private func solve(_ graph: Graph, _ spec: Spec, scratch: URL) throws -> (point: [[Double]], objective: Double) {
        let formulation = try Compilation.formulate(graph, spec: spec)
        let path = scratch.appendingPathComponent("model.mps").path
        try MILPFileFormat.mps.write(formulation.model, to: path, naming: .readable, comments: [])
        let solution = try Solver.highs.solve(path, timeLimit: 60)
        try #require(solution.optimal, "\(solution.status)")
        let names = formulation.model.columnNames(.readable)
        let point = formulation.names.inputs.map { $0.columns.map { solution.values[names[$0]] ?? 0 } }
        let output = try #require(solution.values[names[formulation.names.outputs[0].columns[0]]])
        let atOptimum = try Evaluator(graph: graph).evaluate(inputs: point)[0][0]
        #expect(abs(atOptimum - output) <= 1e-6 * max(1, abs(output)), "MILP y0 \(output), evaluator \(atOptimum)")
        return (point, output)
    }

    private func scratchFolder() throws -> URL {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-domain-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        return scratch
    }

    private func objective(_ sense: ObjectiveSense) -> Objective {
        var expression = LinearExpression()
        expression.add(TensorElement(.output, tensor: 0, element: 0), coefficient: 1)
        return Objective(sense, expression)
    }

    @Test(.needs(.highs), arguments: [ObjectiveSense.maximize, .minimize])
    func anL1BallOptimumStaysInTheBallAndBeatsEverySample(sense: ObjectiveSense) throws {
        try Solver.highs.require()
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let graph = try ModelLoader.load(Paths.fixture("onnx/mlp_2x8.onnx")).graph
        let count = graph[graph.inputs[0]].elementCount
        let center = (0..<count).map { Double($0 % 3) * 0.25 - 0.25 }
        let radius = 0.6

        var spec = Spec(inputCount: 1)
        spec.inputBounds = [Bounds(lower: Array(repeating: -1, count: count), upper: Array(repeating: 1, count: count))]
        spec.balls = [NormBall(.l1, input: 0, center: center, radius: radius)]
        spec.objective = objective(sense)
        let (point, optimum) = try solve(graph, spec, scratch: scratch)
        let distance = zip(point[0], center).map { abs($0 - $1) }.reduce(0, +)
        #expect(distance <= radius + 1e-7, "the optimum is at L1 distance \(distance) from the center, beyond \(radius)")

        // The same radius as an L-inf ball is a larger domain: its optimum is at least as good.
        spec.balls = [NormBall(.linf, input: 0, center: center, radius: radius)]
        let (_, boxOptimum) = try solve(graph, spec, scratch: scratch)
        #expect(sense == .maximize ? boxOptimum >= optimum - 1e-9 : boxOptimum <= optimum + 1e-9)
        #expect(boxOptimum != optimum, "the L1 rows made no difference; the test would not notice them missing")

        // Random points of the ball (a random direction scaled into it), and its 2n vertices.
        let evaluator = Evaluator(graph: graph)
        var generator = SplitMix64(seed: 5)
        var candidates: [[Double]] = []
        for k in 0..<count {
            for step in [-radius, radius] {
                var vertex = center
                vertex[k] = min(1, max(-1, vertex[k] + step))
                candidates.append(vertex)
            }
        }
        for _ in 0..<Self.samples {
            let direction = (0..<count).map { _ in generator.nextUnit() * 2 - 1 }
            let norm = direction.map(abs).reduce(0, +)
            let scale = radius * generator.nextUnit() / max(norm, 1e-12)
            candidates.append(zip(center, direction).map { min(1, max(-1, $0 + $1 * scale)) })
        }
        let slack = 1e-6 * max(1, abs(optimum))
        for candidate in candidates {
            let value = try evaluator.evaluate(inputs: [candidate])[0][0]
            #expect(sense == .maximize ? value <= optimum + slack : value >= optimum - slack,
                    "a point of the ball reaches \(value), beyond the MILP optimum \(optimum)")
        }
    }

    @Test(.needs(.highs), arguments: ["leaky_relu_alpha15", "leaky_relu_negative_alpha"])
    func leakyReluOutsideTheUnitSlopeRangeIsOptimisedExactly(model: String) throws {
        try Solver.highs.require()
        let scratch = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let graph = try ModelLoader.load(Paths.fixture("onnx/\(model).onnx")).graph
        let count = graph[graph.inputs[0]].elementCount
        let evaluator = Evaluator(graph: graph)
        for sense in [ObjectiveSense.maximize, .minimize] {
            var spec = Spec(inputCount: 1)
            spec.inputBounds = [Bounds(lower: Array(repeating: -1, count: count), upper: Array(repeating: 1, count: count))]
            spec.objective = objective(sense)
            let (_, optimum) = try solve(graph, spec, scratch: scratch)
            var generator = SplitMix64(seed: 3)
            var best = sense == .maximize ? -Double.infinity : .infinity
            for _ in 0..<Self.samples {
                let sample = (0..<count).map { _ in generator.nextUnit() * 2 - 1 }
                let value = try evaluator.evaluate(inputs: [sample])[0][0]
                best = sense == .maximize ? max(best, value) : min(best, value)
            }
            let slack = 1e-6 * max(1, abs(optimum))
            #expect(sense == .maximize ? best <= optimum + slack : best >= optimum - slack,
                    "\(model) \(sense): a random input reaches \(best), beyond the MILP optimum \(optimum)")
        }
    }
}
