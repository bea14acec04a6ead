import NNBLAS
import NNIR

/// Symbolic bounds, of the CROWN / DeepPoly family: each selected neuron is
/// bounded by a linear function of the network inputs, found by propagating
/// the identity backward through the graph, with every ReLU, Leaky ReLU and
/// max pooling replaced by linear relaxations on its operand's bounds.
///
/// Bounds are computed in topological order, so each relaxation uses the
/// tightest bounds already known; every node is also bounded by interval
/// arithmetic and keeps the intersection, so it is never looser than
/// `IntervalBounds`. Floating-point rounding is accounted for: each step adds
/// the magnitudes of the products it computes, and the final bound is widened
/// by γ(N) times their sum (N the number of terms a sum can hold). The dense
/// products go through BLAS (`DenseProducts`), which sums in an order of its own;
/// the allowance does not depend on the order (see `propagate`).
enum SymbolicBounds {
    /// The most matrix entries one pending multiplier may hold; targets with more
    /// rows are processed in blocks, so memory stays bounded on large layers (by
    /// this many entries per block, and as many blocks at once as threads run).
    static let blockEntries = 1 << 22

    /// Tightens the bounds of every node of `graph` (inputs must be bounded), with
    /// up to `threads` blocks of rows bounded at once.
    /// Returns how many neurons were bounded symbolically, and how many kept
    /// their interval bounds because `deadline` had passed (interval bounds are
    /// sound on their own, so the pass stops early without a wrong bound).
    @discardableResult
    static func annotate(_ graph: inout Graph, deadline: Deadline = .none, threads: Int = 1) -> (bounded: Int, leftToIntervals: Int) {
        let result = boundTargets(&graph, deadline: deadline, threads: threads,
                                  entriesPerRow: { graph, index in widestNode(graph, upTo: index) },
                                  step: { index, graph in BackwardStep.of(nodeAt: index, in: graph) }) { graph, steps, target, rows, termLimit in
            propagate(graph, steps: steps, target: target, rows: rows, termLimit: termLimit)
        }
        return (result.bounded, result.notReached)
    }

    /// The driver that `bounds-symbolic` and `bounds-alpha` share. In topological
    /// order, each node gets its interval bounds and its backward `step` (built
    /// from its operands' bounds, final by then); then the rows of a target node
    /// (`targetNodes`: every element, or only the unstable ones) are bounded by
    /// `bound`, in blocks of at most `blockRows` and `blockEntries / entriesPerRow(graph, node)`
    /// rows, and intersected with the bounds they had; with `threads` above 1, that
    /// many blocks at a time run concurrently (`bound` must then be safe to call so).
    /// The blocks do not depend on `threads`, so neither do the bounds. Rows not
    /// reached before `deadline` keep their bounds. Returns the rows bounded, the
    /// rows not reached, and the rows whose bounds got tighter.
    static func boundTargets(_ graph: inout Graph, deadline: Deadline, threads: Int = 1, entriesPerRow: (Graph, Int) -> Int,
                             step: (Int, Graph) -> BackwardStep?,
                             bound: (Graph, [BackwardStep?], _ target: Int, _ rows: [Int], _ termLimit: Int) -> ([Double], [Double]))
        -> (bounded: Int, notReached: Int, tightened: Int) {
        let targets = targetNodes(graph)
        var steps = [BackwardStep?](repeating: nil, count: graph.nodes.count)
        let termLimit = termLimit(of: graph)
        var bounded = 0, notReached = 0, tightened = 0
        for index in graph.nodes.indices {
            if case .input = graph.nodes[index].operation { continue }
            IntervalBounds.tighten(nodeAt: index, in: &graph)
            steps[index] = step(index, graph)
            guard let wantsAll = targets[index] else { continue }
            let current = graph.nodes[index].bounds!
            let rows = wantsAll ? Array(current.lower.indices)
                : current.lower.indices.filter { current.lower[$0] < 0 && current.upper[$0] > 0 }
            let rowsPerBlock = max(1, min(blockRows, blockEntries / max(1, entriesPerRow(graph, index))))
            let blocks = stride(from: 0, to: rows.count, by: rowsPerBlock).map { Array(rows[$0..<min(rows.count, $0 + rowsPerBlock)]) }
            var next = 0
            while next < blocks.count {
                guard !deadline.hasPassed else {
                    notReached += blocks[next...].reduce(0) { $0 + $1.count }
                    break
                }
                let group = Array(blocks[next..<min(blocks.count, next + max(1, threads))])
                let results = ParallelMap.map(count: group.count) { bound(graph, steps, index, group[$0], termLimit) }
                for (block, (lower, upper)) in zip(group, results) {
                    for (r, element) in block.enumerated() {
                        let (l, u) = (current.lower[element], current.upper[element])
                        if lower[r] > l || upper[r] < u { tightened += 1 }
                        graph.nodes[index].bounds!.lower[element] = max(l, lower[r])
                        graph.nodes[index].bounds!.upper[element] = min(u, upper[r])
                    }
                    bounded += block.count
                }
                next += group.count
            }
        }
        return (bounded, notReached, tightened)
    }

    /// The most rows of one block: small enough that a 1,024-wide layer's rows
    /// spread over two cores, large enough that each block is one efficient product.
    static let blockRows = 256

    /// Nodes whose bounds decide the MILP: operands of ReLU and Leaky ReLU
    /// (false: only their unstable elements matter) and of max pooling, smooth
    /// activations (their range sets the relaxation and the surrogate) and the
    /// outputs (true: every element).
    private static func targetNodes(_ graph: Graph) -> [Int: Bool] {
        var targets: [Int: Bool] = [:]
        for node in graph.nodes {
            switch node.operation {
            case .relu, .leakyRelu: targets[node.operands[0].index] = targets[node.operands[0].index] ?? false
            case .maxPool, .smooth: targets[node.operands[0].index] = true
            default: continue
            }
        }
        for output in graph.outputs { targets[output.value.index] = true }
        for input in graph.inputs { targets[input.index] = nil }
        return targets
    }

    private static func widestNode(_ graph: Graph, upTo index: Int) -> Int {
        graph.nodes[0...index].reduce(1) { max($0, $1.elementCount) }
    }

    /// The most terms a sum of a backward pass over `graph` can hold, for its rounding allowance.
    static func termLimit(of graph: Graph) -> Int {
        graph.nodes.reduce(2) { $0 + $1.elementCount } + maxRowLength(graph)
    }

    private static func maxRowLength(_ graph: Graph) -> Int {
        graph.nodes.reduce(1) { result, node in
            switch node.operation {
            case .affine(let affine): max(result, affine.weights.columns)
            case .convolution(let conv): max(result, conv.weights.count / max(1, conv.outChannels))
            case .averagePool(let pool, _), .maxPool(let pool): max(result, pool.window.kernel.reduce(1, *))
            default: max(result, 2)
            }
        }
    }

    /// One target's backward pass for elements `rows`: lower and upper bounds.
    /// `slopes` replaces, row by row, the lower relaxation's slope of the ReLUs
    /// it names (`AlphaBounds`); `visit` sees, and may add to, each node's lower
    /// and upper multipliers (`rows x elements`) as the pass reaches it: what it
    /// adds is bounded as part of the function (`ReLUSplitBounds` adds its split
    /// constraints' multipliers there).
    static func propagate(_ graph: Graph, steps: [BackwardStep?], target: Int, rows: [Int], termLimit: Int,
                          slopes: [Int: RowSlopes] = [:],
                          visit: ((Int, inout [Double], inout [Double]) -> Void)? = nil) -> ([Double], [Double]) {
        let width = graph.nodes[target].elementCount
        var identity = [Double](repeating: 0, count: rows.count * width)
        for (row, element) in rows.enumerated() { identity[row * width + element] = 1 }
        return propagate(graph, steps: steps, target: target, seed: (identity, identity), rows: rows.count, termLimit: termLimit,
                         slopes: slopes, visit: visit)
    }

    /// The backward pass from `seed`, the `rows x elements` multipliers of `target`
    /// for the lower and the upper bounds: bounds of `seed.lower · target` from
    /// below and of `seed.upper · target` from above, row by row. A side seeded
    /// with zeros costs almost nothing.
    static func propagate(_ graph: Graph, steps: [BackwardStep?], target: Int, seed: (lower: [Double], upper: [Double]),
                          rows r: Int, termLimit: Int, slopes: [Int: RowSlopes] = [:],
                          visit: ((Int, inout [Double], inout [Double]) -> Void)? = nil) -> ([Double], [Double]) {
        var state = Multipliers(rows: r)
        state.pendingLower[target] = seed.lower
        state.pendingUpper[target] = seed.upper
        for index in stride(from: target, through: 0, by: -1) {
            guard var lower = state.pendingLower.removeValue(forKey: index), var upper = state.pendingUpper.removeValue(forKey: index) else { continue }
            let node = graph.nodes[index]
            visit?(index, &lower, &upper)
            guard let step = steps[index] else {
                // An input: the bound of the linear function over the box.
                state.concretize(lower: lower, upper: upper, bounds: node.bounds!)
                continue
            }
            switch step {
            case .linear(let sparse, let dense, let constant, let magnitude):
                state.addMagnitudes(lower, upper, magnitude)
                state.addConstants(lower, upper, constant)
                if let dense {
                    state.backDense(lower, upper, dense, into: node.operands[0].index, width: graph[node.operands[0]].elementCount)
                }
                for (t, rowsOfOperand) in sparse.enumerated() {
                    state.backSparse(lower, upper, rowsOfOperand, into: node.operands[t].index, width: graph[node.operands[t]].elementCount)
                }
            case .relaxed(let lowerTerms, let upperTerms, let magnitude):
                state.addMagnitudes(lower, upper, magnitude)
                state.backRelaxed(lower, upper, lowerTerms, upperTerms, slopes: slopes[index],
                                  into: node.operands[0].index, width: graph[node.operands[0]].elementCount)
            }
        }
        // Every value of the pass is a sum of products computed in some order (the loops' own, or BLAS's
        // blocked order with fused multiply-adds): any such order is a binary tree over the sum's terms in
        // which a term meets one rounding per product and per addition above it, so at most as many as
        // the terms of all the sums on its way to the bound, N = termLimit, and an FMA only merges two
        // roundings into one. So each term is off by a factor within (1 ± γ(N)) whatever the order, and
        // the error is at most γ(N) times the sum of the terms' magnitudes M. That sum is computed in
        // Float64 too, so it may come out as low as M·(1 − γ(N)); γ(N)/(1 − γ(N)) ≤ γ(2N) covers both.
        let gamma = Rounding.gamma(2 * termLimit)
        let lower = (0..<r).map { k -> Double in
            let value = state.constantLower[k] - gamma * state.magnitudeLower[k]
            return value.isNaN ? -.infinity : value.nextDown
        }
        let upper = (0..<r).map { k -> Double in
            let value = state.constantUpper[k] + gamma * state.magnitudeUpper[k]
            return value.isNaN ? .infinity : value.nextUp
        }
        return (lower, upper)
    }

    /// The multipliers of one backward pass: for each node still to visit, a
    /// `rows x elements` matrix for the lower and for the upper bound; and per
    /// row the constant collected so far and the magnitude sum for rounding.
    private struct Multipliers {
        let rows: Int
        var pendingLower: [Int: [Double]] = [:]
        var pendingUpper: [Int: [Double]] = [:]
        var constantLower: [Double]
        var constantUpper: [Double]
        var magnitudeLower: [Double]
        var magnitudeUpper: [Double]

        init(rows: Int) {
            self.rows = rows
            constantLower = Array(repeating: 0, count: rows)
            constantUpper = constantLower
            magnitudeLower = constantLower
            magnitudeUpper = constantLower
        }

        /// Adds `Σ |Λ[r, k]| · magnitude[k]` to each row's rounding budget, over the nonzero `Λ[r, k]`: an
        /// infinite magnitude (a relaxation on an unbounded operand) makes the budget infinite only in the
        /// rows that use it (a product with BLAS would turn its `0 · ∞` into NaN in every row).
        mutating func addMagnitudes(_ lower: [Double], _ upper: [Double], _ magnitude: [Double]) {
            let n = magnitude.count
            let infinite = magnitude.indices.filter { !magnitude[$0].isFinite }
            let finite = infinite.isEmpty ? magnitude : magnitude.map { $0.isFinite ? $0 : 0 }
            DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: n, values: lower.map(abs)), finite, into: &magnitudeLower)
            DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: n, values: upper.map(abs)), finite, into: &magnitudeUpper)
            for k in infinite {
                for r in 0..<rows {
                    if lower[r * n + k] != 0 { magnitudeLower[r] = .infinity }
                    if upper[r * n + k] != 0 { magnitudeUpper[r] = .infinity }
                }
            }
        }

        /// Adds `Λ · constant` to each row's constant.
        mutating func addConstants(_ lower: [Double], _ upper: [Double], _ constant: [Double]) {
            guard constant.contains(where: { $0 != 0 }) else { return }
            let n = constant.count
            DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: n, values: lower), constant, into: &constantLower)
            DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: n, values: upper), constant, into: &constantUpper)
        }

        private mutating func matrices(for node: Int, width: Int) -> ([Double], [Double]) {
            let empty = [Double](repeating: 0, count: rows * width)
            return (pendingLower.removeValue(forKey: node) ?? empty, pendingUpper.removeValue(forKey: node) ?? empty)
        }

        /// `Λ_x += Λ_y · W` for a dense `W`.
        mutating func backDense(_ lower: [Double], _ upper: [Double], _ w: BackwardStep.Dense, into node: Int, width: Int) {
            var (xl, xu) = matrices(for: node, width: width)
            Self.accumulate(lower, w, into: &xl, rows: rows, width: width)
            Self.accumulate(upper, w, into: &xu, rows: rows, width: width)
            pendingLower[node] = xl
            pendingUpper[node] = xu
        }

        /// `x += y · W`. Rows of `y` with one nonzero each (a target's identity seed) only pick scaled rows
        /// of `W`: a loop over the nonzeros. Otherwise one BLAS product over the columns of `y` that hold a
        /// nonzero (a stably inactive ReLU zeroes its column in every row), gathered with `W`'s rows when
        /// some column is all zero.
        private static func accumulate(_ y: [Double], _ w: BackwardStep.Dense, into x: inout [Double], rows: Int, width: Int) {
            let outputs = w.values.count / max(1, w.columns)
            var used = [Bool](repeating: false, count: outputs)
            var nonzeros = 0
            for r in 0..<rows {
                for k in 0..<outputs where y[r * outputs + k] != 0 {
                    used[k] = true
                    nonzeros += 1
                }
            }
            if nonzeros <= rows {
                selectRows(y, w, into: &x, rows: rows, width: width)
                return
            }
            let kept = used.indices.filter { used[$0] }
            if kept.count == outputs {
                DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: outputs, values: y),
                                          RowMajorMatrix(rows: outputs, columns: w.columns, values: w.values), into: &x)
                return
            }
            var ySub = [Double](), wSub = [Double]()
            ySub.reserveCapacity(rows * kept.count)
            wSub.reserveCapacity(kept.count * w.columns)
            for r in 0..<rows { for k in kept { ySub.append(y[r * outputs + k]) } }
            for k in kept { wSub.append(contentsOf: w.values[k * w.columns..<(k + 1) * w.columns]) }
            DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: kept.count, values: ySub),
                                      RowMajorMatrix(rows: kept.count, columns: w.columns, values: wSub), into: &x)
        }

        /// `x += y · W` row by row: each nonzero multiplier adds a scaled row of `W`.
        private static func selectRows(_ y: [Double], _ w: BackwardStep.Dense, into x: inout [Double], rows: Int, width: Int) {
            let outputs = w.values.count / max(1, w.columns)
            let columns = w.columns
            y.withUnsafeBufferPointer { yb in
                w.values.withUnsafeBufferPointer { wb in
                    x.withUnsafeMutableBufferPointer { xb in
                        for r in 0..<rows {
                            let target = xb.baseAddress! + r * width
                            for k in 0..<outputs {
                                let a = yb[r * outputs + k]
                                if a == 0 { continue }
                                let row = wb.baseAddress! + k * columns
                                for j in 0..<columns { target[j] += a * row[j] }
                            }
                        }
                    }
                }
            }
        }

        /// `Λ_x += Λ_y · A` for a sparse `A`.
        mutating func backSparse(_ lower: [Double], _ upper: [Double], _ a: BackwardStep.Rows, into node: Int, width: Int) {
            var (xl, xu) = matrices(for: node, width: width)
            let outputs = a.rowStart.count - 1
            for r in 0..<rows {
                for k in 0..<outputs {
                    let (cl, cu) = (lower[r * outputs + k], upper[r * outputs + k])
                    if cl == 0 && cu == 0 { continue }
                    for e in a.rowStart[k]..<a.rowStart[k + 1] {
                        xl[r * width + a.position[e]] += cl * a.coefficient[e]
                        xu[r * width + a.position[e]] += cu * a.coefficient[e]
                    }
                }
            }
            pendingLower[node] = xl
            pendingUpper[node] = xu
        }

        /// Through a relaxed node: for a lower bound a positive multiplier takes
        /// the lower relaxation and a negative one the upper; the reverse for an upper bound.
        /// Where `slopes` adjusts an element, its lower relaxation takes the row's slope.
        mutating func backRelaxed(_ lower: [Double], _ upper: [Double], _ lowerTerms: [BackwardStep.Term],
                                  _ upperTerms: [BackwardStep.Term], slopes: RowSlopes?, into node: Int, width: Int) {
            var (xl, xu) = matrices(for: node, width: width)
            let outputs = lowerTerms.count
            for r in 0..<rows {
                for k in 0..<outputs {
                    let cl = lower[r * outputs + k]
                    if cl != 0 {
                        var term = cl > 0 ? lowerTerms[k] : upperTerms[k]
                        if cl > 0, let slopes, slopes.adjustable[k] { term.slope = slopes.lower[r * outputs + k] }
                        if term.position >= 0 { xl[r * width + term.position] += cl * term.slope }
                        if term.intercept != 0 { constantLower[r] += cl * term.intercept }
                    }
                    let cu = upper[r * outputs + k]
                    if cu != 0 {
                        var term = cu > 0 ? upperTerms[k] : lowerTerms[k]
                        if cu < 0, let slopes, slopes.adjustable[k] { term.slope = slopes.upper[r * outputs + k] }
                        if term.position >= 0 { xu[r * width + term.position] += cu * term.slope }
                        if term.intercept != 0 { constantUpper[r] += cu * term.intercept }
                    }
                }
            }
            pendingLower[node] = xl
            pendingUpper[node] = xu
        }

        /// Bounds `Λ · x + c` over the box of an input.
        mutating func concretize(lower: [Double], upper: [Double], bounds: Bounds) {
            let n = bounds.lower.count
            let m = bounds.magnitudes
            for r in 0..<rows {
                var low = 0.0, high = 0.0, ml = 0.0, mu = 0.0
                for j in 0..<n {
                    let a = lower[r * n + j], b = upper[r * n + j]
                    if a != 0 {
                        low += a * (a > 0 ? bounds.lower[j] : bounds.upper[j])
                        ml += abs(a) * m[j]
                    }
                    if b != 0 {
                        high += b * (b > 0 ? bounds.upper[j] : bounds.lower[j])
                        mu += abs(b) * m[j]
                    }
                }
                constantLower[r] += low
                constantUpper[r] += high
                magnitudeLower[r] += ml + abs(constantLower[r])
                magnitudeUpper[r] += mu + abs(constantUpper[r])
            }
        }
    }
}
