import Foundation
import NNIR

/// The one judge of a surrogate search: every solution of every MILP (and every
/// sampled, polished or repaired point) is scored on the ORIGINAL networks by
/// `score`, which gives its objective there (NaN when it breaks a constraint
/// there) and the inputs it feeds them; the judge keeps the trace of
/// everything it saw and the best feasible point. `SurrogateSearch` judges
/// network points under a spec, `EmbeddedSurrogateSearch` repaired solutions
/// of a user's model.
///
/// A class, because the solver's callbacks that feed it are escaping closures,
/// which cannot capture an `inout` state. Members of the search that run on other threads
/// judge through it too: its record is behind a lock, and `score` must be safe to call from
/// any thread (it only reads the spec).
final class OriginalNetworkJudge<Point>: @unchecked Sendable {
    /// Whether larger objectives are better.
    let maximize: Bool
    /// The `MonotonicClock` time the trace's seconds count from.
    let start: Double
    /// What the judge has seen, behind `lock`.
    private var seenTrace: [SurrogateSearch.TraceEntry] = []
    private var seenBest: (point: Point, objective: Double, source: String)?
    private let lock = NSLock()
    /// A point's objective on the original networks (NaN when infeasible there) and its inputs.
    private let score: (Point) -> (objective: Double, inputs: [[Double]])

    /// Every judged point, in order.
    var trace: [SurrogateSearch.TraceEntry] { lock.withLock { seenTrace } }
    /// The best point that meets the constraints, its objective and its source.
    var best: (point: Point, objective: Double, source: String)? { lock.withLock { seenBest } }

    /// A judge that prefers larger objectives when `maximize`, scoring points by `score`, its trace
    /// timed from `start` (`MonotonicClock` seconds; now when nil).
    init(maximize: Bool, start: Double? = nil, score: @escaping (Point) -> (objective: Double, inputs: [[Double]])) {
        self.maximize = maximize
        self.start = start ?? MonotonicClock.now()
        self.score = score
    }

    /// Whether objective value `a` is better than `b` in the objective's sense.
    func isBetter(_ a: Double, than b: Double) -> Bool {
        maximize ? a > b : a < b
    }

    /// Whether a point of objective `value` on the original networks (NaN: infeasible there) would
    /// be the new best: what a member checks before it spends a judgement on a point.
    func improves(_ value: Double) -> Bool {
        lock.withLock { improves(value, on: seenBest) }
    }

    private func improves(_ value: Double, on best: (point: Point, objective: Double, source: String)?) -> Bool {
        !value.isNaN && (best.map { isBetter(value, than: $0.objective) } ?? true)
    }

    /// Scores `point` (which `source` found with MILP objective `milpObjective`) on the original
    /// networks, traces it at `time` (when it was found, by default now), and keeps it when it is the
    /// best feasible point so far.
    func judge(_ point: Point, _ milpObjective: Double, _ source: String, at time: Double = MonotonicClock.now()) {
        let (value, inputs) = score(point)
        lock.withLock {
            // Members on other threads may be judged in between, with earlier times: the trace stays in time order.
            let entry = SurrogateSearch.TraceEntry(seconds: time - start, source: source, surrogateObjective: milpObjective,
                                                   originalObjective: value, inputs: inputs)
            let position = seenTrace.lastIndex { $0.seconds <= entry.seconds }.map { $0 + 1 } ?? 0
            seenTrace.insert(entry, at: position)
            if improves(value, on: seenBest) { seenBest = (point, value, source) }
        }
    }
}
