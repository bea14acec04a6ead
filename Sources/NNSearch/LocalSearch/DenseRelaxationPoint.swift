import NNIR
import NNMILP
import NNPasses
import NNSolve
import NNSpec

/// The warm start of Relax-and-Walk (arXiv 2401.03451): the input point of the dense MILP's LP
/// relaxation (integrality dropped), which leans towards where the relaxation's objective is best.
/// The relaxation's outputs are not the network's there; its inputs are a point of the domain that
/// the original network is then evaluated and polished at.
enum DenseRelaxationPoint {
    /// The relaxation's optimal input point (projected onto the domain, which HiGHS meets only
    /// within its tolerances) and its LP objective, after `passes` bound the dense network; nil
    /// when the LP has no solution by `deadline`.
    static func solve(original: Graph, spec: Spec, passes: Pipeline, library: HiGHSLibrary, settings: SolverSettings,
                      deadline: Deadline) throws -> (inputs: [[Double]], lpObjective: Double)? {
        let dense = try BoundedNetwork.optimized(original, spec: spec, pipeline: passes, library: library, deadline: deadline)
        guard !deadline.hasPassed else { return nil }
        let formulation = try Formulator.formulate(dense, spec: spec, name: "relaxation")
        var solve = settings
        solve.deadline = deadline
        solve.start = nil
        let run = try HiGHSRun(model: formulation.model, settings: solve, library: library, relaxIntegrality: true)
        // The dual simplex stalls on these degenerate LPs: on a random 1000-100-100-100-1 network HiGHS 1.15
        // was still at it after 60 s, where its interior point method (with crossover, so a vertex) took 0.6 s.
        try run.solver.setOption("solver", "ipm")
        let ending = try run.run()
        guard let values = ending.values, let lpObjective = ending.objective else { return nil }
        let inputs = formulation.names.inputs.map { $0.columns.map { values[$0] } }
        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: original))
        return (projection.project(inputs), lpObjective)
    }
}
