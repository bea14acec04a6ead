import Foundation
import NNIR

/// The smallest and largest value of elements over an LP relaxation, each LP
/// pair solved by one of several relaxations (one per thread) at the same
/// time: `bounds-lp` bounds neurons with it, and an embedding bounds the
/// network inputs its model's columns feed.
public enum RelaxationRanges {
    /// The range of each of `elements`, worker `w` of `relaxations.count` taking elements `w`,
    /// `w + count`, ...; nil where an LP was not solved to optimality (or the deadline came first).
    /// Each optimum is widened by `Tolerance.feasibility` relative to its magnitude (at least 1),
    /// for the solver's feasibility and optimality tolerances, and rounded outward. `step` is
    /// called after each element, from the worker's thread.
    public static func solve(elements: [Int], relaxations: [any LinearRelaxation], deadline: Deadline,
                             step: @escaping @Sendable () -> Void = {}) throws -> [(lower: Double, upper: Double)?] {
        let workers = min(relaxations.count, elements.count)
        guard workers > 0 else { return Array(repeating: nil, count: elements.count) }
        let pool = RelaxationPool(relaxations)
        let results = ResultSlots(count: elements.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let relaxation = pool.members[worker]
            for slot in stride(from: worker, to: elements.count, by: workers) {
                guard !deadline.hasPassed else { return }
                do {
                    guard let low = try relaxation.optimize(element: elements[slot], maximize: false, timeLimit: deadline.remaining),
                          let high = try relaxation.optimize(element: elements[slot], maximize: true, timeLimit: deadline.remaining)
                    else { continue }
                    results.set(slot, ((low - Tolerance.feasibility * max(1, abs(low))).nextDown,
                                       (high + Tolerance.feasibility * max(1, abs(high))).nextUp))
                } catch {
                    results.fail(error)
                    return
                }
                step()
            }
        }
        if let error = results.error { throw error }
        return results.values
    }
}

/// One relaxation per worker thread; each thread only touches its own.
private final class RelaxationPool: @unchecked Sendable {
    let members: [any LinearRelaxation]

    init(_ members: [any LinearRelaxation]) { self.members = members }
}

/// Results written by the worker threads, each to its own slot.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [(lower: Double, upper: Double)?]
    private(set) var error: (any Error)?

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ slot: Int, _ value: (Double, Double)) { lock.withLock { values[slot] = value } }
    func fail(_ error: any Error) { lock.withLock { if self.error == nil { self.error = error } } }
}
