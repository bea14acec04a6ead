import NNIR

/// `pwl-approx`: replaces every smooth activation (sigmoid, tanh, ...) by a
/// piecewise-linear function of its bounded input, built from the IR's ReLU,
/// gather, scale-shift, affine and add nodes, so that every back end can
/// formulate it.
///
/// By default the replacement is the interpolant (`Interpolant`) with
/// `segments` pieces per neuron, breakpoints placed where the function bends:
/// a surrogate, whose points `solve` judges on the original smooth network.
/// With `enclosure=true` a `band` node follows it, widening the interpolant by
/// its certified error, so the result holds every value the smooth network can
/// take and a proof over it is a proof for the smooth network (`verify`).
///
/// Needs finite bounds on each smooth activation's input. The bounds of nodes
/// that read a replaced activation no longer hold for the interpolant and are
/// removed (the enclosure keeps them: they hold for every smooth value it
/// contains); the pass leaves interval bounds everywhere, which a later bounds
/// pass tightens.
public struct PiecewiseLinearApproximationPass: Pass {
    public static let name = "pwl-approx"
    public static let summary = "replace each smooth activation by a piecewise-linear interpolant (or, with enclosure=true, a sound enclosure) over its input bounds; changes the network"
    public static let preservesFunction = false
    /// Pieces per neuron.
    public static let segments = PassOption("segments", default: 8, "linear pieces per neuron (each inner breakpoint costs one binary), 1 to 64")
    /// Whether to widen the interpolant into a sound enclosure.
    public static let enclosure = PassOption("enclosure", default: false, "widen each interpolant by its certified error into a sound enclosure (for proofs)")
    public static let options: [any PassOptionDeclaration] = [segments, enclosure]

    /// The largest `segments` accepted.
    public static let segmentLimit = 64

    let segmentCount: Int
    let encloses: Bool

    public init(options: PassOptionValues) throws {
        segmentCount = options[Self.segments]
        encloses = options[Self.enclosure]
        guard (1...Self.segmentLimit).contains(segmentCount) else {
            throw Diagnostic(.usage, location: "pwl-approx", "segments=\(segmentCount): it must be between 1 and \(Self.segmentLimit)")
        }
    }

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        _ = graph.removeDeadNodes()
        guard graph.hasSmoothActivations else {
            context.remark("no smooth activations")
            return
        }
        guard graph.canBound(context: &context) else {
            throw Diagnostic(.usage, location: "pwl-approx", "smooth activations need bounded inputs to be approximated; give an input domain")
        }
        IntervalBounds.annotate(&graph)
        var result = Graph()
        var newID: [ValueID] = []
        var stale = [Bool](repeating: false, count: graph.nodes.count)
        var replaced = 0
        for (index, node) in graph.nodes.enumerated() {
            var copy = node
            copy.operands = node.operands.map { newID[$0.index] }
            stale[index] = node.operands.contains { stale[$0.index] }
            guard case .smooth(let function) = node.operation else {
                // The surrogate computes other values downstream; the enclosure holds the smooth
                // network's values, so its bounds stay valid (and tighten the enclosure).
                if stale[index] && !encloses { copy.bounds = nil }
                newID.append(result.append(copy))
                continue
            }
            let x = graph[node.operands[0]]
            let location = node.location ?? "%\(index)"
            let bounds = x.bounds!  // IntervalBounds.annotate above bounded every node
            var interpolants: [Interpolant] = []
            for k in 0..<x.elementCount {
                let (l, u) = (bounds.lower[k], bounds.upper[k])
                guard l.isFinite, u.isFinite else {
                    throw Diagnostic(.unsupported, location: location,
                                     "\(function.name) input \(k) is unbounded ([\(l), \(u)]), so it has no piecewise-linear approximation; bound the network's inputs")
                }
                interpolants.append(Interpolant(function, lower: l, upper: u, segments: segmentCount))
            }
            let replacement = Self.append(interpolants, of: copy.operands[0], shape: node.shape, encloses: encloses, location: location, to: &result)
            // The activation's own range holds every value of its enclosure that the network can take.
            if encloses { result[replacement].bounds = node.bounds }
            newID.append(replacement)
            stale[index] = true
            replaced += 1
            let kinks = interpolants.reduce(0) { $0 + $1.kinks.count }
            let error = interpolants.map(\.largestError).max() ?? 0
            context.remark("%\(index) \(function.name) (\(location)): \(node.elementCount) neurons, \(kinks) breakpoints, largest error \(Self.describe(error))"
                           + (encloses ? ", enclosed" : ""), node: index)
        }
        result.outputs = graph.outputs.map { GraphOutput(name: $0.name, value: newID[$0.value.index]) }
        IntervalBounds.annotate(&result)
        graph = result
        context.remark("replaced \(replaced) smooth activation\(replaced == 1 ? "" : "s") by \(segmentCount)-piece \(encloses ? "enclosures" : "interpolants")")
    }

    /// Appends `P(x) = constant + slope · x + Σ change · relu(x − at)` for every
    /// element (and its band when `encloses`); returns the value that replaces the activation.
    private static func append(_ interpolants: [Interpolant], of x: ValueID, shape: [Int], encloses: Bool, location: String, to graph: inout Graph) -> ValueID {
        let n = interpolants.count
        let at = location + "/pwl"
        var linear = graph.append(Node(operation: .scaleShift(scale: interpolants.map(\.slope), shift: interpolants.map(\.constant)),
                                       operands: [x], shape: shape, location: at))
        var sources: [Int] = [], offsets: [Double] = [], entries: [(Int, Int, Double)] = []
        for (k, p) in interpolants.enumerated() {
            for kink in p.kinks {
                entries.append((k, sources.count, kink.change))
                sources.append(k)
                offsets.append(-kink.at)
            }
        }
        if !sources.isEmpty {
            let m = sources.count
            let copies = graph.append(Node(operation: .gather(indices: sources), operands: [x], shape: [m], location: at))
            let shifted = graph.append(Node(operation: .scaleShift(scale: Array(repeating: 1, count: m), shift: offsets),
                                            operands: [copies], shape: [m], location: at))
            let hinges = graph.append(Node(operation: .relu, operands: [shifted], shape: [m], location: at))
            let bends = graph.append(Node(operation: .affine(Affine(weights: .sparse(SparseMatrix(rows: n, columns: m, rowOrderedEntries: entries)),
                                                                    bias: Array(repeating: 0, count: n))),
                                          operands: [hinges], shape: [n], location: at))
            linear = graph.append(Node(operation: .add, operands: [linear, bends], shape: shape, location: at))
        }
        guard encloses else { return linear }
        return graph.append(Node(operation: .band(below: interpolants.map(\.error.lower), above: interpolants.map(\.error.upper)),
                                 operands: [linear], shape: shape, location: location + "/enclosure"))
    }

    private static func describe(_ error: Double) -> String {
        error == 0 ? "0" : String(format: "%.3g", error)
    }
}
