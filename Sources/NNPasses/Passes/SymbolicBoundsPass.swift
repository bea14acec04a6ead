import NNIR

/// `bounds-symbolic`: linear-relaxation bounds propagated backward through the
/// network (see `SymbolicBounds`); never looser than `bounds-ia`. Once the
/// command's time limit has passed, the neurons not reached keep their interval
/// bounds (sound on their own), so that building a surrogate of a 10^4-wide
/// network stays within the limit.
public struct SymbolicBoundsPass: Pass {
    public static let name = "bounds-symbolic"
    public static let summary = "symbolic bounds (CROWN / DeepPoly): each neuron bounded by a linear function of the inputs; never looser than bounds-ia"
    public static let options: [any PassOptionDeclaration] = []

    public init(options: PassOptionValues) {}

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        guard graph.canBound(context: &context) else { return }
        let (count, leftToIntervals) = SymbolicBounds.annotate(&graph, deadline: context.deadline, threads: context.threads)
        let stopped = leftToIntervals > 0 ? " (the time limit ran out: \(leftToIntervals) more keep their interval bounds)" : ""
        context.remark("bounded \(count) neurons symbolically\(stopped); \(graph.reluCensus)")
    }
}
