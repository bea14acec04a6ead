import NNIR
import NNPasses
import NNSolve
import NNSpec

/// The network as the search's MILPs and LPs see it: the spec's input domain
/// on its inputs, then a pass pipeline (with `bounds-lp` solved by the
/// embedded HiGHS), then interval bounds wherever the passes left none.
enum BoundedNetwork {
    /// `graph` under `spec`'s input domain after `pipeline`, whose passes end by `deadline`.
    static func optimized(_ graph: Graph, spec: Spec, pipeline: Pipeline, library: HiGHSLibrary, deadline: Deadline) throws -> Graph {
        try refined(try graph.withInputDomain(of: spec), pipeline: pipeline, library: library, deadline: deadline)
    }

    /// `graph` (bounded already, by `optimized`) after more passes, which start from its bounds and end by `deadline`.
    static func refined(_ graph: Graph, pipeline: Pipeline, library: HiGHSLibrary, deadline: Deadline) throws -> Graph {
        var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library), deadline: deadline)
        var result = graph
        try PassManager(pipeline: pipeline).runCompletingBounds(on: &result, context: &context)
        return result
    }

    /// `graph` under `spec`'s input domain with interval bounds only (as `-O0`).
    static func intervalBounded(_ graph: Graph, spec: Spec) throws -> Graph {
        var result = try graph.withInputDomain(of: spec)
        IntervalBounds.annotate(&result)
        return result
    }
}
