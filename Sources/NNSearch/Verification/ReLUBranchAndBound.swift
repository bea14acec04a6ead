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
        guard bounded.outputs.count == 1, bounded.nodes.allSatisfy({ $0.bounds != nil }) else { return nil }
        var constraints: [LinearConstraint] = []
        var rowsOfCase: [[Int]] = []
        for verificationCase in cases {
            let rows = verificationCase.constraints.filter(MarginNode.fits)
            guard !rows.isEmpty else { return nil }
            rowsOfCase.append(Array(constraints.count..<constraints.count + rows.count))
            constraints += rows
        }
        var graph = bounded
        let margins = MarginNode.append(constraints, to: &graph)
        bounds = ReLUSplitBounds(graph: graph, margins: margins)
        guard !bounds.splittable.isEmpty else { return nil }
        self.rowsOfCase = rowsOfCase
    }

    /// A pending domain: its splits, the cases still open in it, and its parent's slopes and betas.
    private struct Domain {
        var splits: [ReLUSplit]
        var open: [Int]
        var warmStart: ReLUSplitBounds.WarmStart?
    }

    /// Searches until `deadline`; `check` judges candidates on the original network.
    /// `progress` hears the domains bounded and pending, now and then.
    func run(deadline: Deadline, check: CounterexampleCheck, progress: (Int, Int) -> Void = { _, _ in }) -> Outcome {
        var pending = [Domain(splits: [], open: Array(rowsOfCase.indices), warmStart: nil)]
        var stuck = Set<Int>()
        var explored = 0
        while let domain = pending.popLast() {
            guard !deadline.hasPassed else {
                pending.append(domain)
                break
            }
            let rows = domain.open.flatMap { rowsOfCase[$0] }
            let bound = bounds.bound(
                splits: domain.splits, warmStart: domain.warmStart,
                iterations: domain.splits.isEmpty ? Self.rootIterations : Self.iterations, deadline: deadline, open: rows
            ) { upper in domain.open.allSatisfy { isClosed($0, upper) } }
            explored += 1
            if explored % 100 == 0 { progress(explored, pending.count) }
            let open = domain.open.filter { !isClosed($0, bound.upper) }
            if open.isEmpty { continue }
            for c in open {
                for row in rowsOfCase[c] {
                    if let found = check.confirm(bound.corners[row]) { return .counterexample(found) }
                }
            }
            guard let (node, element) = bound.branching else {
                stuck.formUnion(open)
                continue
            }
            // The active side is explored first: it keeps the ReLU's path, where counterexamples tend to lie.
            for isActive in [false, true] {
                let split = ReLUSplit(node: node, element: element, isActive: isActive)
                pending.append(Domain(splits: domain.splits + [split], open: open, warmStart: bound.warmStart))
            }
        }
        if pending.isEmpty && stuck.isEmpty { return .refuted(domains: explored) }
        let open = stuck.union(pending.flatMap(\.open)).sorted()
        return .undecided(open: open, domains: explored, left: pending.count)
    }

    /// Whether a margin of case `c` is surely negative under `upper`.
    private func isClosed(_ c: Int, _ upper: [Double]) -> Bool {
        rowsOfCase[c].contains { upper[$0] < 0 }
    }
}
