import NNIR
import NNSpec

/// The one judge of a surrogate search: every solution of every MILP (and every
/// sampled or polished point) is scored by the objective on the ORIGINAL
/// network, after its output constraints are re-checked there; the judge keeps
/// the trace of everything it saw and the best feasible point.
///
/// A class, because the solver's callbacks that feed it are escaping closures,
/// which cannot capture an `inout` state.
final class OriginalNetworkJudge {
    /// The spec whose constraints a point must meet on the original network.
    let spec: Spec
    /// The objective it is scored by.
    let objective: Objective
    /// When the search began, for the trace's times.
    let start = MonotonicClock.now()
    /// Every judged point, in order.
    private(set) var trace: [SurrogateSearch.TraceEntry] = []
    /// The best point that meets the constraints, its objective and its source.
    private(set) var best: (point: NetworkPoint, objective: Double, source: String)?

    /// A judge for `spec` scoring by `objective`.
    init(spec: Spec, objective: Objective) {
        self.spec = spec
        self.objective = objective
    }

    /// Whether objective value `a` is better than `b` in the objective's sense.
    func isBetter(_ a: Double, than b: Double) -> Bool {
        objective.sense == .maximize ? a > b : a < b
    }

    /// Scores `point` (which `source` found with MILP objective `milpObjective`) on the original
    /// network, traces it, and keeps it when it is the best feasible point so far.
    func judge(_ point: NetworkPoint, _ milpObjective: Double, _ source: String) {
        let feasible = spec.constraintViolation(inputs: point.inputs, outputs: point.networkOutputs) <= Tolerance.feasibility
        let value = feasible ? objective.expression.value(inputs: point.inputs, outputs: point.networkOutputs) : .nan
        trace.append(SurrogateSearch.TraceEntry(seconds: MonotonicClock.now() - start, source: source, surrogateObjective: milpObjective,
                                                originalObjective: value, inputs: point.inputs))
        if feasible, best.map({ isBetter(value, than: $0.objective) }) ?? true { best = (point, value, source) }
    }
}
