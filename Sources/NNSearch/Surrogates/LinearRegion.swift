import NNIR
import NNPasses
import NNSpec

/// The linear region of a ReLU network that holds one input point.
///
/// Fixing every ReLU and Leaky ReLU to its phase at the point (its
/// pre-activation bounded to the side it is on) leaves a network that is
/// affine over a polyhedron; formulated, it is an LP with no binaries (max
/// pooling aside) that is exact for the original network on that region.
/// Polishing a point found by a surrogate solves this LP.
enum LinearRegion {
    /// `graph` bounded over `spec`'s domain, with every ReLU fixed to its phase at `inputs`.
    static func fixed(_ graph: Graph, spec: Spec, at inputs: [[Double]]) throws -> Graph {
        let values = try Evaluator(graph: graph).evaluateAll(inputs: inputs)
        return fixed(try BoundedNetwork.intervalBounded(graph, spec: spec), pattern: ActivationPattern(graph: graph, values: values))
    }

    /// `bounded` (a graph with interval bounds over the spec's domain, `BoundedNetwork.intervalBounded`)
    /// with every ReLU's pre-activation bounded to the side `pattern` gives it.
    static func fixed(_ bounded: Graph, pattern: ActivationPattern) -> Graph {
        var bounded = bounded
        for (operand, phases) in pattern.active {
            guard var bounds = bounded.nodes[operand].bounds else { continue }
            for (k, active) in phases.enumerated() {
                if active { bounds.lower[k] = max(bounds.lower[k], 0) } else { bounds.upper[k] = min(bounds.upper[k], 0) }
            }
            bounded.nodes[operand].bounds = bounds
        }
        var region = Self.columnBacked(bounded)
        IntervalBounds.annotate(&region)
        return region
    }

    /// The formulation turns node bounds into column bounds only for nodes that have columns (affine,
    /// convolution, pooling, add, inputs); index maps and scale_shift pass their operand's terms through.
    /// A phase-fixed ReLU operand of that kind gets an identity affine node in between, whose column
    /// bounds then enforce the phase.
    private static func columnBacked(_ graph: Graph) -> Graph {
        var result = Graph()
        var newID: [Int] = []
        for node in graph.nodes {
            var copy = node
            copy.operands = node.operands.map { ValueID(newID[$0.index]) }
            switch node.operation {
            case .relu, .leakyRelu:
                let operand = graph.nodes[node.operands[0].index]
                switch operand.operation {
                case .gather, .reshape, .scaleShift:
                    let n = operand.elementCount
                    let identity = SparseMatrix(rows: n, columns: n, rowOrderedEntries: (0..<n).map { ($0, $0, 1.0) })
                    let pinned = result.append(Node(operation: .affine(Affine(weights: .sparse(identity), bias: Array(repeating: 0, count: n))),
                                                    operands: [copy.operands[0]], shape: operand.shape, location: operand.location, bounds: operand.bounds))
                    copy.operands = [pinned]
                default:
                    break
                }
            default:
                break
            }
            newID.append(result.append(copy).index)
        }
        result.outputs = graph.outputs.map { GraphOutput(name: $0.name, value: ValueID(newID[$0.value.index])) }
        return result
    }
}
