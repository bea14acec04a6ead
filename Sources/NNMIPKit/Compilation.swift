import Foundation

/// The compile pipeline after the front end: input domain, passes, formulation.
public enum Compilation {
    /// A copy of `graph` with the spec's input domain on its input nodes and
    /// no bounds anywhere else (see `Graph.withInputDomain(of:)`).
    public static func withInputDomain(_ graph: Graph, spec: Spec) throws -> Graph {
        try graph.withInputDomain(of: spec)
    }

    /// A copy of `graph` with interval bounds on every node, from the spec's input domain (`-O0`).
    public static func bounded(_ graph: Graph, spec: Spec) throws -> Graph {
        var result = try graph.withInputDomain(of: spec)
        IntervalBounds.annotate(&result)
        return result
    }

    /// Runs `passes` on `graph` (its inputs bounded by the spec's domain when
    /// it gives one) and then bounds every node the passes left unbounded by
    /// interval arithmetic, so the result can be formulated.
    public static func optimized(_ graph: Graph, spec: Spec?, passes: PassManager, context: inout PassContext) throws -> Graph {
        var result = try spec.map { try graph.withInputDomain(of: $0) } ?? graph
        try passes.runCompletingBounds(on: &result, context: &context)
        return result
    }

    /// Bounds and formulates `graph` under `spec` in one step (interval bounds only).
    public static func formulate(_ graph: Graph, spec: Spec, disjuncts: DisjunctChoice = .any, name: String = "nnmip") throws -> Formulation {
        try Formulator.formulate(try bounded(graph, spec: spec), spec: spec, disjuncts: disjuncts, name: name)
    }
}
