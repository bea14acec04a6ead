import NNIR
import NNMILP
import NNPasses
import NNSolve
import NNSpec

/// The networks of an embedding, each instance bounded over its inputs, run
/// through a pass pipeline and formulated by the `Formulator`, then joined to
/// the user's model (`EmbeddingJoin`): the exact MILP with the networks as
/// given, or a surrogate's with pruned ones.
public struct EmbeddedFormulation: Sendable {
    /// The combined MILP.
    public var embedded: EmbeddedModel
    /// Each instance's network after its passes, bounded, as formulated.
    public var formulated: [Graph]
    /// Each instance's formulation, before the join.
    public var formulations: [Formulation]
    /// Each instance's input domain (its inputs' bounds).
    public var specs: [Spec]

    /// Formulates instance `i` of `plan` from `graphs[i]` (unbounded; the caller canonicalized it)
    /// with its inputs in `inputBounds[i]` (flattened) after `pipeline`, whose passes with a time budget
    /// (bounds-lp) solve their LPs with `library` by `deadline`; a diagnostic of instance `i` names
    /// the file `paths[i]`.
    public static func build(_ plan: EmbeddingPlan, graphs: [Graph], inputBounds: [Bounds], paths: [String], pipeline: Pipeline,
                             library: HiGHSLibrary, deadline: Deadline) throws -> EmbeddedFormulation {
        let specs = zip(graphs, inputBounds).map { inputSpec($0, bounds: $1) }
        let bounded = try zip(graphs, specs).enumerated().map { i, pair -> Graph in
            var context = PassContext(linearRelaxations: HiGHSLinearRelaxations(library: library), deadline: deadline)
            do {
                var graph = try pair.0.withInputDomain(of: pair.1)
                try PassManager(pipeline: pipeline).runCompletingBounds(on: &graph, context: &context)
                return graph
            } catch let diagnostic as Diagnostic {
                throw diagnostic.inFile(paths[i])
            }
        }
        return try join(plan, bounded: bounded, specs: specs, paths: paths)
    }

    /// Formulates `bounded[i]` (every node bounded already, such as a linear region) under `specs[i]`
    /// for each instance `i` of `plan`, and joins the formulations to the user's model.
    public static func join(_ plan: EmbeddingPlan, bounded: [Graph], specs: [Spec], paths: [String]) throws -> EmbeddedFormulation {
        let formulations = try plan.instances.enumerated().map { i, instance in
            do {
                return try Formulator.formulate(bounded[i], spec: specs[i], name: instance.name)
            } catch let diagnostic as Diagnostic {
                throw diagnostic.inFile(paths[i])
            }
        }
        return EmbeddedFormulation(embedded: try EmbeddingJoin.join(plan, formulations: formulations), formulated: bounded,
                                   formulations: formulations, specs: specs)
    }

    /// The spec that bounds `graph`'s inputs by `bounds` (flattened over all its inputs, in order).
    public static func inputSpec(_ graph: Graph, bounds: Bounds) -> Spec {
        var spec = Spec(inputCount: graph.inputs.count)
        spec.inputBounds = zip(graph.inputTensors(fromFlat: bounds.lower), graph.inputTensors(fromFlat: bounds.upper)).map(Bounds.init)
        return spec
    }

    /// A value for every column of `embedded.model` from `values` (one per column of the plan's
    /// `base`): the networks' columns computed by evaluating each formulated network at the inputs
    /// those values feed it, for a MIP start.
    public func startColumns(_ plan: EmbeddingPlan, values: [Double]) throws -> [Double] {
        var start = [Double](repeating: 0, count: embedded.model.columnCount)
        for (c, value) in values.enumerated() { start[c] = value }
        for (i, instance) in embedded.instances.enumerated() {
            let inputs = instance.inputs.map { source -> Double in
                switch source {
                case .column(let c): values[c]
                case .constant(let value): value
                }
            }
            let columns = try StartColumns(graph: formulated[i], spec: specs[i], formulation: formulations[i])
                .values(at: formulated[i].inputTensors(fromFlat: inputs))
            for (f, value) in columns.enumerated() {
                if let c = instance.columnOfFormulation[f], c >= plan.base.columnCount { start[c] = value }
            }
        }
        return start
    }
}
