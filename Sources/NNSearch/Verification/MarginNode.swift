import NNIR
import NNSpec

/// The margins of a property's output constraints as one more node of the
/// network, which the bounds passes and `ReLUSplitBounds` bound like any other:
/// row `r` is `e` for a constraint `e >= 0` and `-e` for `e <= 0`, so each row
/// is at least 0 at a counterexample and a row whose upper bound is negative
/// rules out every case that needs its constraint.
enum MarginNode {
    /// Whether `constraint` can be a row: an inequality on the first output alone.
    static func fits(_ constraint: LinearConstraint) -> Bool {
        constraint.relation != .equal
            && constraint.expression.terms.allSatisfy { $0.element.side == .output && $0.element.tensor == 0 }
    }

    /// Appends the node of `constraints` (each must `fit`) after the first output of `graph`, and returns it.
    static func append(_ constraints: [LinearConstraint], to graph: inout Graph) -> ValueID {
        let output = graph.outputs[0].value
        let width = graph[output].elementCount
        var values = [Double](repeating: 0, count: constraints.count * width)
        var bias = [Double](repeating: 0, count: constraints.count)
        for (row, constraint) in constraints.enumerated() {
            let sign = constraint.relation == .greaterEqual ? 1.0 : -1.0
            for term in constraint.expression.terms { values[row * width + term.element.element] += sign * term.coefficient }
            bias[row] = sign * constraint.expression.constant
        }
        let affine = Affine(weights: .dense(rows: constraints.count, columns: width, values: values), bias: bias)
        return graph.append(Node(operation: .affine(affine), operands: [output], shape: [1, constraints.count]))
    }
}
