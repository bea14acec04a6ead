import Foundation
import NNIR
import NNPasses
import NNSpec

/// Branch and bound over ReLU splits, in the style of beta-CROWN, for the open
/// cases of a property at once: a domain fixes some unstable ReLUs active or
/// inactive, and `ReLUSplitBounds` bounds the margin of every constraint of
/// the cases still open in it (alpha-CROWN slopes, split constraints through
/// their multipliers beta, warm-started from the parent). A case is closed in a
/// domain when one of its margins is surely negative there; a domain where
/// every case is closed is dropped; otherwise the inputs at which the bounds'
/// relaxation peaks are judged on the network, and the domain is split on the
/// ReLU with the best BaBSR score. Domains are explored depth first (memory
/// stays small, and splits reach leaves where the relaxation is tight).
///
/// A case is refuted only when every domain closed it with a sound bound; a
/// domain with no ReLU left to split that the bounds cannot close stays open.
struct ReLUBranchAndBound {
    /// What the search established.
    enum Outcome {
        /// A checked counterexample.
        case counterexample(Counterexample)
        /// Every domain closed every case; `domains` were bounded.
        case refuted(domains: Int)
        /// The indices of the cases still open in some domain when the budget ran out
        /// (or in a domain with nothing left to split), after `domains` and with `left` pending.
        case undecided(open: [Int], domains: Int, left: Int)
    }

    /// The updates of the root's slopes (from CROWN's), and of each other domain's (from its parent's).
    static let rootIterations = 40
    static let iterations = 12

    private let bounds: ReLUSplitBounds
    /// The margin rows of each case.
    private let rowsOfCase: [[Int]]

    /// The search over the cases of `bounded` (a network with bounds on every node and one output),
    /// or nil when some case has no constraint a margin row can carry (`MarginNode.fits`), or the
    /// network has no ReLU left to split.
    init?(bounded: Graph, cases: [VerificationCase]) {
        guard let (constraints, rowsOfCase) = Self.marginRows(bounded, cases: cases) else { return nil }
        var graph = bounded
        let margins = MarginNode.append(constraints, to: &graph)
        bounds = ReLUSplitBounds(graph: graph, margins: margins)
        guard !bounds.splittable.isEmpty else { return nil }
        self.rowsOfCase = rowsOfCase
    }

    /// Whether `verify` gives the cases of `network` (bounded as `bounded`) to this search: it has
    /// more inputs than input splitting takes, or several input tensors, which it does not take
    /// (input splitting suits a few inputs better), and the search fits.
    static func applies(to network: Graph, bounded: Graph, cases: [VerificationCase]) -> Bool {
        let splitsInputs = network.inputs.count == 1 && network[network.inputs[0]].elementCount <= InputSplitting.maximumInputs
        return !splitsInputs && marginRows(bounded, cases: cases) != nil
    }

    /// The margin rows of `cases` on `bounded` and each case's rows among them, or nil when the search
    /// does not apply (see `init`).
    static func marginRows(_ bounded: Graph, cases: [VerificationCase]) -> (constraints: [LinearConstraint], rowsOfCase: [[Int]])? {
        guard bounded.outputs.count == 1, bounded.nodes.allSatisfy({ $0.bounds != nil }) else { return nil }
        var constraints: [LinearConstraint] = []
        var rowsOfCase: [[Int]] = []
        for verificationCase in cases {
            let rows = verificationCase.constraints.filter(MarginNode.fits)
            guard !rows.isEmpty else { return nil }
            rowsOfCase.append(Array(constraints.count..<constraints.count + rows.count))
            constraints += rows
        }
        return (constraints, rowsOfCase)
    }

    /// A pending domain: its splits, the cases still open in it, and its parent's slopes and betas.
    fileprivate struct Domain {
        var splits: [ReLUSplit]
        var open: [Int]
        var warmStart: ReLUSplitBounds.WarmStart?
    }

    /// Searches until `deadline` with `workers` threads (the caller's among them) sharing the
    /// pending domains; `check` judges candidates on the original network. `progress` hears the
    /// domains bounded and pending every few seconds (from any worker, one call at a time).
    func run(deadline: Deadline, workers: Int = 1, check: CounterexampleCheck,
             progress: (Int, Int) -> Void = { _, _ in }) -> Outcome {
        // The workers are done when `concurrentPerform` returns, so `progress` does not outlive the call.
        withoutActuallyEscaping(progress) { progress in
            let pool = DomainPool(root: Domain(splits: [], open: Array(rowsOfCase.indices), warmStart: nil), progress: progress)
            let search = SharedSearch(self, check)
            DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
                while let domain = pool.take(deadline: deadline) {
                    let (children, stuck, found) = search.value.branch(domain, deadline: deadline, check: search.check)
                    pool.finish(children: children, stuck: stuck, found: found)
                }
            }
            return pool.outcome
        }
    }

    /// Bounds `domain`: its children (none when every case closed in it), the cases left open in a
    /// domain with nothing to split, or a counterexample among the relaxation's peaks.
    private func branch(_ domain: Domain, deadline: Deadline, check: CounterexampleCheck)
        -> (children: [Domain], stuck: [Int], found: Counterexample?) {
        let rows = domain.open.flatMap { rowsOfCase[$0] }
        let bound = bounds.bound(
            splits: domain.splits, warmStart: domain.warmStart,
            iterations: domain.splits.isEmpty ? Self.rootIterations : Self.iterations, deadline: deadline, open: rows
        ) { upper in domain.open.allSatisfy { isClosed($0, upper) } }
        let open = domain.open.filter { !isClosed($0, bound.upper) }
        if open.isEmpty { return ([], [], nil) }
        for c in open {
            for row in rowsOfCase[c] {
                if let found = check.confirm(bound.corners[row]) { return ([], [], found) }
            }
        }
        guard let (node, element) = bound.branching else { return ([], open, nil) }
        // The inactive side is pushed first, so the active side (which keeps the ReLU's path) is taken next.
        let children = [false, true].map { isActive in
            Domain(splits: domain.splits + [ReLUSplit(node: node, element: element, isActive: isActive)], open: open,
                   warmStart: bound.warmStart)
        }
        return (children, [], nil)
    }

    /// Whether a margin of case `c` is surely negative under `upper`.
    private func isClosed(_ c: Int, _ upper: [Double]) -> Bool {
        rowsOfCase[c].contains { upper[$0] < 0 }
    }
}

/// The search and its judge, read (never written) by every worker.
private final class SharedSearch: @unchecked Sendable {
    let value: ReLUBranchAndBound
    let check: CounterexampleCheck

    init(_ value: ReLUBranchAndBound, _ check: CounterexampleCheck) {
        self.value = value
        self.check = check
    }
}

/// The pending domains of `ReLUBranchAndBound.run`, a stack shared by its workers: a worker takes
/// the last domain, waits while the stack is empty and another worker may still push children,
/// and stops at the deadline, at a counterexample, or when no domain is left.
private final class DomainPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [ReLUBranchAndBound.Domain]
    private var stuck = Set<Int>()
    private var explored = 0
    private var busy = 0
    private var found: Counterexample?
    private var stopped = false
    /// Called under the lock, so one call at a time, every `reportInterval` seconds.
    private let progress: (Int, Int) -> Void
    private var lastReport = MonotonicClock.now()
    private static let reportInterval = 5.0

    init(root: ReLUBranchAndBound.Domain, progress: @escaping (Int, Int) -> Void) {
        pending = [root]
        self.progress = progress
    }

    /// The next domain to bound, or nil when the search is over.
    func take(deadline: Deadline) -> ReLUBranchAndBound.Domain? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && busy > 0 && !stopped { condition.wait() }
        if deadline.hasPassed { stopped = true }
        guard !stopped, let domain = pending.popLast() else {
            condition.broadcast()
            return nil
        }
        busy += 1
        return domain
    }

    /// What bounding a taken domain gave.
    func finish(children: [ReLUBranchAndBound.Domain], stuck open: [Int], found counterexample: Counterexample?) {
        condition.lock()
        defer { condition.unlock() }
        busy -= 1
        explored += 1
        pending += children
        stuck.formUnion(open)
        if let counterexample, found == nil {
            found = counterexample
            stopped = true
        }
        let now = MonotonicClock.now()
        if now - lastReport >= Self.reportInterval {
            lastReport = now
            progress(explored, pending.count)
        }
        condition.broadcast()
    }

    /// The outcome once every worker has returned.
    var outcome: ReLUBranchAndBound.Outcome {
        condition.lock()
        defer { condition.unlock() }
        if let found { return .counterexample(found) }
        if pending.isEmpty && stuck.isEmpty { return .refuted(domains: explored) }
        return .undecided(open: stuck.union(pending.flatMap(\.open)).sorted(), domains: explored, left: pending.count)
    }
}
