import Foundation
import NNIR

/// A ReLU (or convex Leaky ReLU) element fixed to one side of zero in a domain
/// of branch and bound: its operand is at least 0 (active: the element is the
/// identity there) or at most 0 (inactive: the element is its negative slope
/// times the operand, 0 for a ReLU).
public struct ReLUSplit: Hashable, Sendable, CustomStringConvertible {
    /// The ReLU node's index in the graph.
    public var node: Int
    /// The element of that node.
    public var element: Int
    /// Whether the operand is at least 0 in the domain (else at most 0).
    public var isActive: Bool

    /// The split of `element` of node `node` to the side `isActive` names.
    public init(node: Int, element: Int, isActive: Bool) {
        self.node = node
        self.element = element
        self.isActive = isActive
    }

    /// "%5[17] >= 0" or "%5[17] <= 0": the operand's side, in the IR's node numbering.
    public var description: String { "%\(node)[\(element)] \(isActive ? ">=" : "<=") 0" }
}

/// Upper bounds of linear functions of a network's values over the input box
/// and a domain of ReLU splits, as beta-CROWN computes them (Wang et al.,
/// "Beta-CROWN", NeurIPS 2021): the rows of one node of the graph (a margin
/// node) are bounded by `SymbolicBounds`' backward pass, in which
///
/// - a split element takes its exact linear piece (identity when active, its
///   negative slope when inactive) instead of the relaxation;
/// - each split constraint `s·z ≥ 0` on the element's operand `z` (s = +1 when
///   active, -1 when inactive) joins with a multiplier β ≥ 0 per row: the pass
///   bounds `f + Σ β·s·z`, which is at least `f` wherever the splits hold, so
///   its upper bound is one of `f` over the domain;
/// - the lower slopes of the other unstable elements are alpha-CROWN's, per row.
///
/// Slopes and betas are tuned together by Adam on the bound, their gradients
/// from `AlphaBounds.sweep` (a β's derivative is `s` times its operand's value
/// in the upper sweep). Every iterate is a sound bound, with the pass's rounding
/// allowance (rounding is monotone, so a computed multiplier plus `β·s` moves
/// from the multiplier in the direction of `s`); each row keeps its tightest.
/// The intermediate bounds are the graph's own, valid in every domain.
public struct ReLUSplitBounds {
    /// What one domain's bounding established.
    public struct Bound {
        /// A sound upper bound of each row over the domain.
        public var upper: [Double]
        /// Per row, the network inputs (one array per graph input) at which the last
        /// iterate's relaxation reaches its bound: candidates worth judging on the network
        /// (empty arrays when the bounds settled at the first iterate).
        public var corners: [[[Double]]]
        /// The unstable, unsplit element whose split is estimated to tighten the open
        /// rows most (the intercept its relaxation adds, weighted by its multipliers,
        /// as BaBSR scores it), or nil when none is left or the bounds settled.
        public var branching: (node: Int, element: Int)?
        /// The slopes and betas reached, from which the domain's children start.
        public var warmStart: WarmStart
    }

    /// The slopes and split multipliers a domain's optimisation ended with.
    public struct WarmStart {
        fileprivate var slopes: [Int: RowSlopes]
        fileprivate var betas: [ReLUSplit: [Double]]
    }

    /// Adam's step size on the betas (auto_LiRPA's default), and on the slopes.
    static let betaRate = 0.05
    static let slopeRate = 0.1

    /// The network with its bounds, and the margin node last.
    private let graph: Graph
    /// The margin node's index.
    private let target: Int
    /// Its element count: the rows bounded.
    public let rows: Int
    /// Every node's backward step on the graph's bounds (the relaxed ones widened to any slope in `[a, 1]`).
    private let steps: [BackwardStep?]
    private let termLimit: Int
    /// The elements that may be split: per ReLU node, those unstable on finite bounds.
    public let splittable: [Int: [Int]]

    /// Bounds the rows of `margins`, a node of `graph` whose every earlier node is bounded.
    public init(graph: Graph, margins: ValueID) {
        self.graph = graph
        target = margins.index
        rows = graph[margins].elementCount
        steps = graph.nodes.indices.map { index in
            index > margins.index ? nil : AlphaBounds.widened(BackwardStep.of(nodeAt: index, in: graph), nodeAt: index, in: graph)
        }
        termLimit = SymbolicBounds.termLimit(of: graph)
        var splittable: [Int: [Int]] = [:]
        for index in 0..<target where AlphaBounds.leastSlope(graph.nodes[index].operation) != nil {
            let operand = graph[graph.nodes[index].operands[0]].bounds!
            let elements = operand.lower.indices.filter { AlphaBounds.isAdjustable(operand, $0) }
            if !elements.isEmpty { splittable[index] = elements }
        }
        self.splittable = splittable
    }

    /// The bounds of the rows over the domain `splits` (each of a `splittable`
    /// element), from `warmStart` (a parent's) or CROWN's slopes and zero betas,
    /// over at most `iterations` updates; it stops early when `isSettled` holds
    /// for the best bounds so far (then the domain needs no candidates, so the
    /// forward sweep and the branching score are skipped), or at `deadline`.
    /// `open` names the rows whose bounds the branching score weighs.
    public func bound(splits: [ReLUSplit], warmStart: WarmStart?, iterations: Int, deadline: Deadline,
                      open: [Int], isSettled: ([Double]) -> Bool) -> Bound {
        var steps = self.steps
        var slopes = warmStart?.slopes ?? AlphaBounds.initialSlopes(graph, steps: steps, target: target, rows: rows)
        // Where each split's constraint enters: its operand's node, the element, and the sign s.
        var constraintsAt: [Int: [(split: Int, element: Int, sign: Double)]] = [:]
        for (i, split) in splits.enumerated() {
            guard case .relaxed(var lower, var upper, let magnitude) = steps[split.node],
                  let least = AlphaBounds.leastSlope(graph.nodes[split.node].operation) else { continue }
            let piece = BackwardStep.Term(position: split.element, slope: split.isActive ? 1 : least, intercept: 0)
            lower[split.element] = piece
            upper[split.element] = piece
            steps[split.node] = .relaxed(lower: lower, upper: upper, magnitude: magnitude)
            slopes[split.node]?.adjustable[split.element] = false
            constraintsAt[graph.nodes[split.node].operands[0].index, default: []].append((i, split.element, split.isActive ? 1 : -1))
        }
        var betas = [Double](repeating: 0, count: rows * splits.count)
        for (i, split) in splits.enumerated() {
            guard let parent = warmStart?.betas[split] else { continue }
            for r in 0..<rows { betas[r * splits.count + i] = parent[r] }
        }
        var slopeAdam = slopes.mapValues { AlphaBounds.AdamState(count: $0.upper.count) }
        var betaAdam = AlphaBounds.AdamState(count: betas.count)
        let zeros = [Double](repeating: 0, count: rows * rows)
        var identity = zeros
        for r in 0..<rows { identity[r * rows + r] = 1 }

        var best = [Double](repeating: .infinity, count: rows)
        var corners = [[[Double]]](repeating: graph.inputs.map { _ in [] }, count: rows)
        var multipliers: [Int: ([Double], [Double])] = [:]
        var settled = false
        for iteration in 0..<max(1, iterations) {
            multipliers = [:]
            let (_, upper) = SymbolicBounds.propagate(graph, steps: steps, target: target, seed: (zeros, identity), rows: rows,
                                                      termLimit: termLimit, slopes: slopes) { index, lower, upper in
                let width = graph.nodes[index].elementCount
                for (i, element, sign) in constraintsAt[index] ?? [] {
                    for r in 0..<rows { upper[r * width + element] += betas[r * splits.count + i] * sign }
                }
                if steps[index] == nil || AlphaBounds.isRelaxed(steps[index]) { multipliers[index] = (lower, upper) }
            }
            for r in 0..<rows { best[r] = min(best[r], upper[r]) }
            settled = isSettled(best)
            if settled { break }
            let last = iteration + 1 >= iterations || deadline.hasPassed
            let (gradients, values) = AlphaBounds.sweep(graph, steps: steps, slopes: slopes, multipliers: multipliers,
                                                        target: target, rows: rows)
            for (t, input) in graph.inputs.enumerated() {
                guard let (_, high) = values[input.index] else { continue }
                let width = graph[input].elementCount
                for r in 0..<rows { corners[r][t] = Array(high[r * width..<(r + 1) * width]) }
            }
            if last { break }
            let rate = pow(AlphaBounds.decay, Double(iteration))
            for (index, gradient) in gradients {
                guard var s = slopes[index] else { continue }
                slopeAdam[index]!.step(&s.upper, gradient.upper, rate: Self.slopeRate * rate, ascending: false,
                                       within: s.least...1, adjustable: s.adjustable)
                slopes[index] = s
            }
            if !splits.isEmpty {
                var gradient = [Double](repeating: 0, count: betas.count)
                for (operand, entries) in constraintsAt {
                    guard let (_, high) = values[operand] else { continue }
                    let width = graph.nodes[operand].elementCount
                    for (i, element, sign) in entries {
                        for r in 0..<rows where high[r * width + element].isFinite {
                            gradient[r * splits.count + i] = sign * high[r * width + element]
                        }
                    }
                }
                betaAdam.step(&betas, gradient, rate: Self.betaRate * rate, ascending: false, within: 0...Double.greatestFiniteMagnitude,
                              adjustable: [Bool](repeating: true, count: betas.count))
            }
        }
        var reached: [ReLUSplit: [Double]] = [:]
        for (i, split) in splits.enumerated() { reached[split] = (0..<rows).map { betas[$0 * splits.count + i] } }
        return Bound(upper: best, corners: corners,
                     branching: settled ? nil : branching(splits: splits, multipliers: multipliers, open: open),
                     warmStart: WarmStart(slopes: slopes, betas: reached))
    }

    /// BaBSR's intercept score: an unstable element whose upper relaxation (the chord,
    /// intercept `-u·l/(u-l)`) a positive multiplier `λ` uses adds `λ · intercept` to
    /// the bound, which a split removes. The element with the largest sum over the open
    /// rows (the first in the graph's order among equals), or, when no multiplier uses a
    /// chord, the widest unsplit element.
    private func branching(splits: [ReLUSplit], multipliers: [Int: ([Double], [Double])], open: [Int]) -> (node: Int, element: Int)? {
        let taken = Set(splits.map { [$0.node, $0.element] })
        var best: (node: Int, element: Int, score: Double)?
        var widest: (node: Int, element: Int, width: Double)?
        for node in splittable.keys.sorted() {
            let operand = graph[graph.nodes[node].operands[0]].bounds!
            let width = graph.nodes[node].elementCount
            let upper = multipliers[node]?.1
            for element in splittable[node]! where !taken.contains([node, element]) {
                let (l, u) = (operand.lower[element], operand.upper[element])
                let intercept = -u * l / (u - l)
                var score = 0.0
                if let upper { for r in open where upper[r * width + element] > 0 { score += upper[r * width + element] * intercept } }
                if score > 0, best == nil || score > best!.score { best = (node, element, score) }
                if widest == nil || u - l > widest!.width { widest = (node, element, u - l) }
            }
        }
        if let best { return (best.node, best.element) }
        return widest.map { ($0.node, $0.element) }
    }
}
