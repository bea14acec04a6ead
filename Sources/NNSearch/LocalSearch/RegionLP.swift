import NNIR
import NNMILP
import NNSolve
import NNSpec

/// The LPs over the linear regions of one network, in one HiGHS instance: the big-M MILP of the
/// network (interval bounds over the spec's domain) with each unstable ReLU's 0/1 phase column fixed
/// by its bounds to the phase a pattern gives it. With the phase fixed, the big-M rows say exactly
/// what the ReLU computes on that side (output = pre-activation ≥ 0, or output 0 and
/// pre-activation ≤ 0), so the LP is exact for the network on the region. A new pattern changes only
/// the bounds of the phases that differ, and HiGHS re-solves from the last basis; this is what makes
/// a walk's many neighbouring LPs cheap (polishing through `LinearRegion` formulates each region anew).
final class RegionLP {
    /// The ReLUs that can take either phase over the domain (operand node, element), each with its phase column.
    let switchable: [ActivationPattern.Neuron: Int]
    private let original: Graph
    private let spec: Spec
    private let formulation: Formulation
    private let solver: HiGHSSolver
    private let evaluator: Evaluator
    private let isMIP: Bool
    /// The phase each phase column is fixed to now (nil: free, as passed).
    private var fixed: [Int: Bool] = [:]
    private var solvedOnce = false
    /// A solve that switches more than one in this many phases starts from scratch. On a random
    /// 1000-100-100-100-1 network the interior point method solved the first region (300 phases) in
    /// 0.3 s, the simplex took 2.1 s from the last basis after 113 switches, and 5 to 170 ms after a step's 2 to 40.
    private static let switchShareForScratch = 10

    /// The LPs of `original` under `spec`, the MILP made by `formulate` from the network with its interval
    /// bounds (its rows and objective: the spec's, or a verification case's margin), solved with `settings`'
    /// threads option (nil: HiGHS's default, which a thread other than the one that set a count needs).
    init(original: Graph, spec: Spec, library: HiGHSLibrary, settings: SolverSettings,
         formulate: (Graph) throws -> Formulation) throws {
        let bounded = try BoundedNetwork.intervalBounded(original, spec: spec)
        formulation = try formulate(bounded)
        var switchable: [ActivationPattern.Neuron: Int] = [:]
        for (column, entry) in formulation.names.entries.enumerated() where entry.role == .reluIndicator || entry.role == .leakyReluIndicator {
            switchable[ActivationPattern.Neuron(node: original.nodes[entry.node].operands[0].index, element: entry.element)] = column
        }
        self.switchable = switchable
        // Only max pooling's selectors stay integer: with them the "LP" is a small MILP, still exact on the region.
        let phaseColumns = Set(switchable.values)
        let integer = formulation.model.columnIsInteger
        isMIP = integer.indices.contains { integer[$0] && !phaseColumns.contains($0) }
        solver = try HiGHSSolver(library: library)
        if let threads = settings.threads { try solver.setThreads(threads) }
        try solver.passModel(formulation.model, relaxIntegrality: !isMIP)
        self.original = original
        self.spec = spec
        evaluator = Evaluator(graph: original)
    }

    /// The optimum over the region of `pattern` by `deadline` (its inputs' network outputs by the
    /// reference evaluator) and the LP's objective there; nil when the region holds no point that
    /// meets the spec's constraints, or HiGHS found none in time.
    func optimum(over pattern: ActivationPattern, deadline: Deadline) throws -> (point: NetworkPoint, lpObjective: Double)? {
        var changes: [(column: Int, lower: Double, upper: Double)] = []
        for (neuron, column) in switchable {
            guard let active = pattern.active[neuron.node]?[neuron.element], fixed[column] != active else { continue }
            fixed[column] = active
            changes.append((column, active ? 1 : 0, active ? 1 : 0))
        }
        try solver.setColumnBounds(changes)
        let remaining = deadline.remaining
        guard remaining > 0 else { return nil }
        if remaining.isFinite { try solver.setTimeLimit(remaining) }
        // From scratch, the dual simplex can stall on these degenerate LPs (see `DenseRelaxationPoint`):
        // the first solve, and one after many switches (a new start), is HiGHS's interior point method
        // with crossover; a step to a neighbour starts the simplex from the last basis (milliseconds).
        let fromScratch = !solvedOnce || changes.count * Self.switchShareForScratch > switchable.count
        try solver.setOption("solver", fromScratch ? "ipm" : "simplex")
        solvedOnce = true
        let status = try solver.run()
        guard status == .optimal || (isMIP && solver.hasFeasibleSolution) else { return nil }
        let values = HiGHSRun.clamped(try solver.columnValues(), to: formulation.model)
        guard values.allSatisfy({ $0.isFinite }) else { return nil }
        return (try NetworkPoint(columnValues: values, names: formulation.names, evaluator: evaluator), solver.objectiveValue)
    }
}
