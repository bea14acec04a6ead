import NNIR
import NNMILP
import NNPasses
import NNSolve
import NNSpec

/// The LP relaxations `bounds-lp` solves, built by the formulation (the exact
/// MILP with integrality dropped) and solved by the embedded HiGHS.
public struct HiGHSLinearRelaxations: LinearRelaxationOracle {
    /// The loaded HiGHS.
    public let library: HiGHSLibrary

    /// Uses `library` for every relaxation.
    public init(library: HiGHSLibrary) {
        self.library = library
    }

    public func relaxation(of graph: Graph) throws -> any LinearRelaxation {
        var spec = Spec(inputCount: graph.inputs.count)
        spec.inputBounds = graph.inputs.map { graph[$0].bounds! }
        let formulation = try Formulator.formulate(graph, spec: spec, name: "relaxation")
        let solver = try HiGHSSolver(library: library)
        try solver.setOption("threads", 1)
        try solver.passModel(formulation.model, relaxIntegrality: true)
        return HiGHSRelaxation(solver: solver, outputColumns: formulation.names.outputs[0].columns)
    }
}

/// One LP relaxation in one HiGHS instance; only the objective changes between
/// calls, so HiGHS re-solves from the previous basis.
final class HiGHSRelaxation: LinearRelaxation {
    private let solver: HiGHSSolver
    private let outputColumns: [Int]

    init(solver: HiGHSSolver, outputColumns: [Int]) {
        self.solver = solver
        self.outputColumns = outputColumns
    }

    func optimize(element: Int, maximize: Bool, timeLimit: Double) throws -> Double? {
        try solver.setTimeLimit(timeLimit)
        try solver.setObjective([(outputColumns[element], 1)], sense: maximize ? .maximize : .minimize)
        guard try solver.run() == .optimal else { return nil }
        return solver.objectiveValue
    }
}
