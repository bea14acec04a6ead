import NNIR

extension PassManager {
    /// Runs the pipeline on `graph`, then bounds by interval arithmetic every
    /// node the passes left unbounded (when the inputs are bounded), so that the
    /// result can be formulated.
    public func runCompletingBounds(on graph: inout Graph, context: inout PassContext) throws {
        try run(on: &graph, context: &context)
        if graph.inputs.allSatisfy({ graph[$0].bounds != nil }) { IntervalBounds.annotate(&graph) }
    }
}
