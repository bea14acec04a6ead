import Foundation
import NNIR
import NNMILP
import NNPasses
import NNSolve

/// The range of columns of a user's model over its LP relaxation, solved by
/// the embedded HiGHS: the bounds of network inputs that a model bounds only
/// through its rows (wine blending defines its features by equalities of the
/// blend fractions). Valid for every point of the model, since its LP
/// relaxation holds them all; each optimum is widened by the solver's
/// tolerance (see `RelaxationRanges`).
public enum LinkedColumnRanges {
    /// The smallest and largest value of each of `columns` over the LP relaxation of `model`; nil
    /// where the relaxation is unbounded in that direction's LP (or it was not solved by `deadline`).
    /// The pairs of LPs are shared among up to `threads` HiGHS instances, one per thread.
    /// - Throws: `Diagnostic(.unsupported)` when the LP relaxation is infeasible: the model has no solution.
    public static func solve(_ model: MILPModel, columns: [Int], library: HiGHSLibrary, threads: Int,
                             deadline: Deadline) throws -> [(lower: Double, upper: Double)?] {
        var relaxation = model
        for c in 0..<relaxation.columnCount { relaxation.setObjective(c, 0) }
        relaxation.objectiveOffset = 0
        let first = try HiGHSSolver(library: library)
        try first.setOption("threads", 1)
        try first.passModel(relaxation, relaxIntegrality: true)
        try first.setTimeLimit(deadline.remaining)
        if try first.run() == .infeasible {
            throw Diagnostic(.unsupported, "the LP relaxation of the model is infeasible, so the model has no solution to embed networks in")
        }
        // A few LPs are not worth a second solver's start; one worker per 16 columns, at most one per core.
        let workers = max(1, min(threads, columns.count / 16))
        var solvers = [first]
        for _ in 1..<max(1, workers) {
            let solver = try HiGHSSolver(library: library)
            try solver.setOption("threads", 1)
            try solver.passModel(relaxation, relaxIntegrality: true)
            solvers.append(solver)
        }
        let relaxations: [any LinearRelaxation] = solvers.map { HiGHSRelaxation(solver: $0, outputColumns: columns) }
        return try RelaxationRanges.solve(elements: Array(columns.indices), relaxations: relaxations, deadline: deadline)
    }
}
