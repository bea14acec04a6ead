/// The linear region of a ReLU network that holds one input point.
///
/// Fixing every ReLU and Leaky ReLU to its phase at the point (its
/// pre-activation bounded to the side it is on) leaves a network that is
/// affine over a polyhedron; formulated, it is an LP with no binaries that is
/// exact for the original network on that region. Polishing a point found by
/// a surrogate solves this LP.
enum LinearRegion {
    /// `graph` bounded over `spec`'s domain, with every ReLU fixed to its phase at `inputs`.
    static func fixed(_ graph: Graph, spec: Spec, at inputs: [[Double]]) throws -> Graph {
        var region = try Compilation.bounded(graph, spec: spec)
        let values = try Evaluator(graph: graph).evaluateAll(inputs: inputs)
        for node in region.nodes {
            switch node.operation {
            case .relu, .leakyRelu:
                let operand = node.operands[0].index
                guard var bounds = region.nodes[operand].bounds else { continue }
                for (k, value) in values[operand].enumerated() {
                    if value >= 0 { bounds.lower[k] = max(bounds.lower[k], 0) } else { bounds.upper[k] = min(bounds.upper[k], 0) }
                }
                region.nodes[operand].bounds = bounds
            default:
                continue
            }
        }
        IntervalBounds.annotate(&region)
        return region
    }
}
