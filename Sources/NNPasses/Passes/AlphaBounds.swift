import Foundation
import NNBLAS
import NNIR

/// The lower-relaxation slopes of one ReLU or Leaky ReLU node, chosen row by row
/// of a backward pass (one row per bounded neuron), for its lower-bound and its
/// upper-bound multipliers.
struct RowSlopes {
    /// Whether the element is unstable, so that its lower relaxation is a line
    /// through 0 whose slope may lie anywhere in `[least, 1]`.
    var adjustable: [Bool]
    /// The smallest sound slope: the Leaky ReLU's own (0 for a ReLU).
    var least: Double
    /// `rows x elements` slopes used where a lower bound's multiplier is positive.
    var lower: [Double]
    /// `rows x elements` slopes used where an upper bound's multiplier is negative.
    var upper: [Double]
}

/// Optimised linear bounds (alpha-CROWN, Xu et al., "Fast and Complete", ICLR
/// 2021): the backward pass of `SymbolicBounds`, in which the lower relaxation
/// `s·x <= max(x, a·x)` of every unstable ReLU takes, for each bounded neuron
/// separately, the slope `s` in `[a, 1]` that tightens that neuron's bound most,
/// found by projected gradient steps (Adam).
///
/// Every line through 0 with such a slope lies below the function on the whole
/// real line, so every iterate's bound is a sound CROWN bound, computed by the
/// same pass with the same rounding allowance (the relaxed steps' magnitudes
/// are widened to slope 1). A neuron keeps the tightest of its iterates and of
/// its bounds before the pass, so the pass is never looser than `bounds-symbolic`.
///
/// The gradient of a bound with respect to the slopes comes from one forward
/// sweep per iteration: the bound is `Σ Λ_input · corner + constants`, and the
/// derivative of the bound with respect to a node's multipliers is the value of
/// that node when the chosen relaxations are evaluated forward from the corner
/// of the input box the bound picked. A slope's derivative is then its
/// multiplier times its operand's value in that sweep.
enum AlphaBounds {
    /// Adam's step size on the slopes, and its decay per iteration (auto_LiRPA's defaults for alpha).
    static let learningRate = 0.1
    static let decay = 0.98

    /// Tightens the bounds of `graph`'s unstable ReLU operands and outputs (which
    /// must be bounded already, as `bounds-symbolic` leaves them). Returns how many
    /// neurons were optimised, how many were not reached before `deadline` (their
    /// bounds stay, sound), and how many of the optimised got tighter bounds.
    static func annotate(_ graph: inout Graph, iterations: Int, deadline: Deadline) -> (optimized: Int, notReached: Int, tightened: Int) {
        // The sweep keeps every relaxed node's multipliers and values for its rows at once.
        let result = SymbolicBounds.boundTargets(
            &graph, deadline: deadline, entriesPerRow: { graph, index in 4 * graph.nodes[0...index].reduce(0) { $0 + $1.elementCount } },
            step: { index, graph in widened(BackwardStep.of(nodeAt: index, in: graph), nodeAt: index, in: graph) }
        ) { graph, steps, target, rows, termLimit in
            optimize(graph, steps: steps, target: target, rows: rows, termLimit: termLimit, iterations: iterations, deadline: deadline)
        }
        return (result.bounded, result.notReached, result.tightened)
    }

    /// A ReLU's or Leaky ReLU's step with each unstable element's rounding
    /// magnitude covering any slope in `[a, 1]`; other steps as they are.
    static func widened(_ step: BackwardStep?, nodeAt index: Int, in graph: Graph) -> BackwardStep? {
        guard case .relaxed(let lower, let upper, var magnitude) = step, let least = leastSlope(graph.nodes[index].operation) else { return step }
        let operand = graph[graph.nodes[index].operands[0]].bounds!
        let m = operand.magnitudes
        for k in magnitude.indices where isAdjustable(operand, k) {
            magnitude[k] = max(magnitude[k], max(1, abs(least)) * m[k])
        }
        return .relaxed(lower: lower, upper: upper, magnitude: magnitude)
    }

    /// Whether element `k` of a ReLU's operand is unstable on finite bounds, so that
    /// its lower relaxation is a line through 0 (`BackwardStep`'s tangent) whose slope may move.
    static func isAdjustable(_ operand: Bounds, _ k: Int) -> Bool {
        operand.lower[k] < 0 && operand.upper[k] > 0 && operand.lower[k].isFinite && operand.upper[k].isFinite
    }

    /// The least slope of the lower relaxation of a ReLU or a convex Leaky ReLU; nil for other operations.
    static func leastSlope(_ operation: NNIR.Operation) -> Double? {
        switch operation {
        case .relu: 0
        case .leakyRelu(let alpha) where alpha <= 1: alpha
        default: nil
        }
    }

    /// The slopes of the relaxed nodes before `target`, each row starting from the
    /// pass's own choice (CROWN's adaptive slope).
    static func initialSlopes(_ graph: Graph, steps: [BackwardStep?], target: Int, rows: Int) -> [Int: RowSlopes] {
        var slopes: [Int: RowSlopes] = [:]
        for index in 0..<target {
            guard let least = leastSlope(graph.nodes[index].operation), case .relaxed(let lowerTerms, _, _) = steps[index] else { continue }
            let operand = graph[graph.nodes[index].operands[0]].bounds!
            let adjustable = operand.lower.indices.map { isAdjustable(operand, $0) }
            guard adjustable.contains(true) else { continue }
            let row = lowerTerms.map(\.slope)
            let all = Array([[Double]](repeating: row, count: rows).joined())
            slopes[index] = RowSlopes(adjustable: adjustable, least: least, lower: all, upper: all)
        }
        return slopes
    }

    /// The tightest sound bounds of `rows` of `target` over `iterations` slope updates.
    private static func optimize(_ graph: Graph, steps: [BackwardStep?], target: Int, rows: [Int], termLimit: Int,
                                 iterations: Int, deadline: Deadline) -> ([Double], [Double]) {
        let r = rows.count
        var slopes = initialSlopes(graph, steps: steps, target: target, rows: r)
        var bestLower = [Double](repeating: -.infinity, count: r), bestUpper = [Double](repeating: .infinity, count: r)
        var adam = slopes.mapValues { AdamState(count: $0.lower.count) }
        for iteration in 0..<max(1, iterations) {
            var multipliers: [Int: ([Double], [Double])] = [:]
            let (lower, upper) = SymbolicBounds.propagate(graph, steps: steps, target: target, rows: rows, termLimit: termLimit,
                                                          slopes: slopes) { index, lower, upper in
                if steps[index] == nil || isRelaxed(steps[index]) { multipliers[index] = (lower, upper) }
            }
            for k in 0..<r {
                bestLower[k] = max(bestLower[k], lower[k])
                bestUpper[k] = min(bestUpper[k], upper[k])
            }
            guard !slopes.isEmpty, iteration + 1 < iterations, !deadline.hasPassed else { break }
            let gradients = sweep(graph, steps: steps, slopes: slopes, multipliers: multipliers, target: target, rows: r).gradients
            let rate = learningRate * pow(decay, Double(iteration))
            for (index, gradient) in gradients {
                var s = slopes[index]!
                adam[index]!.step(&s.lower, gradient.lower, rate: rate, ascending: true, within: s.least...1, adjustable: s.adjustable)
                adam[index]!.step(&s.upper, gradient.upper, rate: rate, ascending: false, within: s.least...1, adjustable: s.adjustable)
                slopes[index] = s
            }
        }
        return (bestLower, bestUpper)
    }

    static func isRelaxed(_ step: BackwardStep?) -> Bool {
        if case .relaxed = step { return true }
        return false
    }

    /// The forward sweep described on the type: every node's value per row in the
    /// lower-bound and in the upper-bound sweep (`values`, the input's being the
    /// corner its bound picked), and the derivative of each row's lower and upper
    /// bound with respect to every slope (`gradients`).
    static func sweep(_ graph: Graph, steps: [BackwardStep?], slopes: [Int: RowSlopes], multipliers: [Int: ([Double], [Double])],
                      target: Int, rows: Int) -> (gradients: [Int: (lower: [Double], upper: [Double])], values: [Int: ([Double], [Double])]) {
        // `values[i]`: node i's value per row in the lower-bound sweep and in the upper-bound sweep.
        var values: [Int: ([Double], [Double])] = [:]
        var gradients: [Int: (lower: [Double], upper: [Double])] = [:]
        for index in 0..<target {
            let node = graph.nodes[index]
            let width = node.elementCount
            guard let step = steps[index] else {
                let (lambdaLower, lambdaUpper) = multipliers[index] ?? ([], [])
                guard !lambdaLower.isEmpty else { continue }
                let b = node.bounds!
                var low = [Double](repeating: 0, count: rows * width), high = low
                for k in 0..<rows {
                    for j in 0..<width {
                        low[k * width + j] = lambdaLower[k * width + j] > 0 ? b.lower[j] : b.upper[j]
                        high[k * width + j] = lambdaUpper[k * width + j] > 0 ? b.upper[j] : b.lower[j]
                    }
                }
                values[index] = (low, high)
                continue
            }
            let operands = node.operands.map(\.index)
            guard operands.allSatisfy({ values[$0] != nil }) else { continue }
            switch step {
            case .linear(let sparse, let dense, let constant, _):
                var low = Array([[Double]](repeating: constant, count: rows).joined()), high = low
                if let dense {
                    let (xl, xh) = values[operands[0]]!
                    let w = RowMajorMatrix(rows: width, columns: dense.columns, values: dense.values)
                    DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: dense.columns, values: xl), transposed: false, w, transposed: true, into: &low)
                    DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: dense.columns, values: xh), transposed: false, w, transposed: true, into: &high)
                }
                for (t, a) in sparse.enumerated() {
                    let (xl, xh) = values[operands[t]]!
                    let operandWidth = graph.nodes[operands[t]].elementCount
                    for k in 0..<rows {
                        for e in 0..<width {
                            var sl = 0.0, sh = 0.0
                            for entry in a.rowStart[e]..<a.rowStart[e + 1] {
                                sl += a.coefficient[entry] * xl[k * operandWidth + a.position[entry]]
                                sh += a.coefficient[entry] * xh[k * operandWidth + a.position[entry]]
                            }
                            low[k * width + e] += sl
                            high[k * width + e] += sh
                        }
                    }
                }
                values[index] = (low, high)
            case .relaxed(let lowerTerms, let upperTerms, _):
                guard let (lambdaLower, lambdaUpper) = multipliers[index] else { continue }
                let (xl, xh) = values[operands[0]]!
                let operandWidth = graph.nodes[operands[0]].elementCount
                let s = slopes[index]
                var low = [Double](repeating: 0, count: rows * width), high = low
                var gradientLower = s.map { _ in [Double](repeating: 0, count: rows * width) }, gradientUpper = gradientLower
                for k in 0..<rows {
                    for e in 0..<width {
                        let at = k * width + e
                        let (cl, cu) = (lambdaLower[at], lambdaUpper[at])
                        var termLower = cl >= 0 ? lowerTerms[e] : upperTerms[e]
                        var termUpper = cu > 0 ? upperTerms[e] : lowerTerms[e]
                        if let s, s.adjustable[e] {
                            if cl >= 0 { termLower.slope = s.lower[at] }
                            if cu <= 0 { termUpper.slope = s.upper[at] }
                            let (vl, vh) = (xl[k * operandWidth + e], xh[k * operandWidth + e])
                            if cl > 0, vl.isFinite { gradientLower![at] = cl * vl }
                            if cu < 0, vh.isFinite { gradientUpper![at] = cu * vh }
                        }
                        low[at] = termLower.intercept + (termLower.position >= 0 ? termLower.slope * xl[k * operandWidth + termLower.position] : 0)
                        high[at] = termUpper.intercept + (termUpper.position >= 0 ? termUpper.slope * xh[k * operandWidth + termUpper.position] : 0)
                    }
                }
                values[index] = (low, high)
                if let gradientLower, let gradientUpper { gradients[index] = (gradientLower, gradientUpper) }
            }
        }
        return (gradients, values)
    }

    /// Adam's moments for one matrix of slopes (or of split multipliers).
    struct AdamState {
        var first: [Double]
        var second: [Double]
        var steps = 0

        init(count: Int) {
            first = Array(repeating: 0, count: count)
            second = first
        }

        /// One step along (or against) `gradient`, projected onto `range`, on the adjustable columns.
        mutating func step(_ slopes: inout [Double], _ gradient: [Double], rate: Double, ascending: Bool,
                           within range: ClosedRange<Double>, adjustable: [Bool]) {
            let (beta1, beta2) = (0.9, 0.999)
            steps += 1
            let correction1 = 1 - pow(beta1, Double(steps)), correction2 = 1 - pow(beta2, Double(steps))
            let width = adjustable.count
            for i in slopes.indices where adjustable[i % width] {
                let g = gradient[i]
                first[i] = beta1 * first[i] + (1 - beta1) * g
                second[i] = beta2 * second[i] + (1 - beta2) * g * g
                let move = rate * (first[i] / correction1) / ((second[i] / correction2).squareRoot() + 1e-8)
                slopes[i] = min(range.upperBound, max(range.lowerBound, slopes[i] + (ascending ? move : -move)))
            }
        }
    }
}
