import NNIR
import NNSpec

/// Projected (sub)gradient descent on the original network: from a start, steps against the
/// gradient of `PointScore.descent` (through the network by `InputGradient`), each projected back
/// onto the input domain, with a step that grows after a step that helps and halves after one that
/// does not; the best point on the way is the result.
///
/// A step moves every element of an input in a box by the step times its interval's width in
/// the direction of the gradient's sign (the steepest step for an L-inf ball, as in PGD attacks),
/// and an input in an L1 ball along the gradient, scaled to the step times the radius.
struct ProjectedGradient {
    let graph: Graph
    let score: PointScore
    let projection: DomainProjection
    /// Gradient steps from each start, at most.
    var steps = 100
    /// The first step, as a fraction of each interval (or of the L1 radius).
    var firstStep = 0.25
    /// The step below which a descent stops.
    var smallestStep = 1e-4

    /// One point and its score.
    struct Point {
        var inputs: [[Double]]
        var outputs: [[Double]]
        var value: PointScore.Value
    }

    /// The best point of a descent from `start` (projected first), stopping early at a final
    /// score or once `deadline` has passed. The steps evaluate points with `BatchEvaluator` (BLAS); the
    /// point returned, its outputs and its score are the reference `Evaluator`'s.
    func descend(from start: [[Double]], deadline: Deadline) throws -> Point {
        let evaluator = BatchEvaluator(graph: graph)
        func evaluated(_ inputs: [[Double]]) throws -> (Point, [[Double]]) {
            let values = try evaluator.evaluateAll(inputs: inputs)
            let outputs = graph.outputs.map { values[$0.value.index] }
            return (Point(inputs: inputs, outputs: outputs, value: score.value(inputs: inputs, outputs: outputs)), values)
        }
        var (current, values) = try evaluated(projection.project(start))
        var step = firstStep
        for _ in 0..<steps {
            if score.isFinal(current.value) || step < smallestStep { break }
            // Every step: on a 2*10^8-weight network one step takes a second, and the clock costs nanoseconds.
            if deadline.hasPassed { break }
            guard let expression = score.descent(inputs: current.inputs, outputs: current.outputs) else { break }
            let direction = self.direction(of: expression, values: values)
            let candidate = projection.project(moved(current.inputs, against: direction, by: step))
            guard candidate != current.inputs else { step /= 2; continue }
            let (next, nextValues) = try evaluated(candidate)
            if next.value < current.value {
                (current, values) = (next, nextValues)
                step = min(step * 1.5, 1)
            } else {
                step /= 2
            }
        }
        // The steps compare points by BLAS's values; the point returned carries the reference evaluator's.
        let outputs = try Evaluator(graph: graph).evaluate(inputs: current.inputs)
        return Point(inputs: current.inputs, outputs: outputs, value: score.value(inputs: current.inputs, outputs: outputs))
    }

    /// `∂ expression / ∂ inputs` at the point whose node values are `values`.
    private func direction(of expression: LinearExpression, values: [[Double]]) -> [[Double]] {
        var outputWeights = graph.outputs.map { [Double](repeating: 0, count: graph[$0.value].elementCount) }
        var inputWeights = graph.inputs.map { [Double](repeating: 0, count: graph[$0].elementCount) }
        for term in expression.nonzeroTerms {
            let e = term.element
            if e.side == .input { inputWeights[e.tensor][e.element] += term.coefficient } else { outputWeights[e.tensor][e.element] += term.coefficient }
        }
        let throughNetwork = gradient.gradient(values: values, outputWeights: outputWeights)
        return zip(throughNetwork, inputWeights).map { zip($0, $1).map(+) }
    }

    private var gradient: InputGradient { InputGradient(graph: graph) }

    /// `inputs` moved against `direction` by `step` (see the type's comment).
    private func moved(_ inputs: [[Double]], against direction: [[Double]], by step: Double) -> [[Double]] {
        inputs.indices.map { t in
            let g = direction[t]
            if let ball = projection.l1Balls[t] {
                let norm = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0 else { return inputs[t] }
                let scale = step * ball.radius / norm
                return inputs[t].indices.map { inputs[t][$0] - scale * g[$0] }
            }
            let box = projection.boxes[t]
            return inputs[t].indices.map { k in
                inputs[t][k] - step * (box.upper[k] - box.lower[k]) * (g[k] > 0 ? 1 : g[k] < 0 ? -1 : 0)
            }
        }
    }
}
