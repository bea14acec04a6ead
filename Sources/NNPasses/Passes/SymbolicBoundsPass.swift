import NNIR

/// `bounds-symbolic`: linear-relaxation bounds propagated backward through the
/// network (see `SymbolicBounds`); never looser than `bounds-ia`.
public struct SymbolicBoundsPass: Pass {
    public static let name = "bounds-symbolic"
    public static let summary = "symbolic bounds (CROWN / DeepPoly): each neuron bounded by a linear function of the inputs; never looser than bounds-ia"
    public static let options: [any PassOptionDeclaration] = []

    public init(options: PassOptionValues) {}

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        guard graph.canBound(context: &context) else { return }
        let count = SymbolicBounds.annotate(&graph)
        context.remark("bounded \(count) neurons symbolically; \(graph.reluCensus)")
    }
}
