import NNIR

/// The matrix edits that canonicalization and dead-neuron elimination make.
/// The edits keep the storage kind (dense stays dense, sparse stays sparse),
/// except `composed(after:)`, which stores the product sparse when fewer than
/// half of its coefficients are nonzero and dense otherwise.
extension WeightMatrix {
    /// Calls `body(column, value)` for each stored coefficient of row `row`.
    @inline(__always)
    func forEachEntry(row: Int, _ body: (Int, Double) -> Void) {
        switch self {
        case .dense(_, let columns, let values):
            for c in 0..<columns { body(c, values[row * columns + c]) }
        case .sparse(let m):
            for e in m.rowStart[row]..<m.rowStart[row + 1] { body(m.columnIndex[e], m.values[e]) }
        }
    }

    /// Whether the matrix is stored sparse.
    private var isSparse: Bool {
        if case .sparse = self { true } else { false }
    }

    /// A matrix of the same storage kind from `rows` lists of `(column, value)`.
    private func rebuilt(columns: Int, _ rows: [[(Int, Double)]]) -> WeightMatrix {
        Self.build(sparse: isSparse, columns: columns, rows)
    }

    /// A dense or sparse matrix from `rows` lists of `(column, value)`.
    private static func build(sparse: Bool, columns: Int, _ rows: [[(Int, Double)]]) -> WeightMatrix {
        switch sparse {
        case false:
            var values = [Double](repeating: 0, count: rows.count * columns)
            for (r, entries) in rows.enumerated() {
                for (c, v) in entries { values[r * columns + c] += v }
            }
            return .dense(rows: rows.count, columns: columns, values: values)
        case true:
            var triples: [(Int, Int, Double)] = []
            for (r, entries) in rows.enumerated() {
                for (c, v) in entries.sorted(by: { $0.0 < $1.0 }) where v != 0 { triples.append((r, c, v)) }
            }
            return .sparse(SparseMatrix(rows: rows.count, columns: columns, rowOrderedEntries: triples))
        }
    }

    /// The rows as lists of `(column, value)`.
    private var rowLists: [[(Int, Double)]] {
        (0..<rows).map { r in
            var entries: [(Int, Double)] = []
            forEachEntry(row: r) { entries.append(($0, $1)) }
            return entries
        }
    }

    /// `W · diag(scale)`: column `c` multiplied by `scale[c]`.
    func scalingColumns(by scale: [Double]) -> WeightMatrix {
        rebuilt(columns: columns, rowLists.map { $0.map { ($0.0, $0.1 * scale[$0.0]) } })
    }

    /// `diag(scale) · W`: row `r` multiplied by `scale[r]`.
    func scalingRows(by scale: [Double]) -> WeightMatrix {
        rebuilt(columns: columns, rowLists.enumerated().map { r, entries in entries.map { ($0.0, $0.1 * scale[r]) } })
    }

    /// `W · v`.
    func times(_ v: [Double]) -> [Double] {
        apply(v, bias: Array(repeating: 0, count: rows))
    }

    /// The matrix with only the rows `keptRows` and the columns `keptColumns`, in their order.
    func selecting(rows keptRows: [Int], columns keptColumns: [Int]) -> WeightMatrix {
        var newIndex = [Int](repeating: -1, count: columns)
        for (i, c) in keptColumns.enumerated() { newIndex[c] = i }
        let lists = rowLists
        return rebuilt(columns: keptColumns.count, keptRows.map { r in
            lists[r].compactMap { newIndex[$0.0] >= 0 ? (newIndex[$0.0], $0.1) : nil }
        })
    }

    /// For each column, whether it holds a nonzero coefficient.
    var columnsWithNonzeros: [Bool] {
        var result = [Bool](repeating: false, count: columns)
        for r in 0..<rows { forEachEntry(row: r) { c, value in if value != 0 { result[c] = true } } }
        return result
    }

    /// Adds `W · v` to `bias` term by term (in stored order, skipping zero terms): for a `v`
    /// that is mostly zero, as the constant neurons folded into the next layer are.
    func accumulateProduct(_ v: [Double], into bias: inout [Double]) {
        for r in 0..<rows {
            forEachEntry(row: r) { c, w in if w != 0 && v[c] != 0 { bias[r] += w * v[c] } }
        }
    }

    /// Whether row `r` has no nonzero coefficient.
    func rowIsZero(_ r: Int) -> Bool {
        var zero = true
        forEachEntry(row: r) { if $1 != 0 { zero = false } }
        return zero
    }

    /// The number of nonzero coefficients.
    var nonzeroCount: Int {
        var count = 0
        for r in 0..<rows { forEachEntry(row: r) { if $1 != 0 { count += 1 } } }
        return count
    }

    /// `self · inner` (this layer after `inner`), sparse when that is smaller.
    func composed(after inner: WeightMatrix) -> WeightMatrix {
        let innerRows = inner.rowLists
        var product: [[(Int, Double)]] = []
        product.reserveCapacity(rows)
        var accumulator = [Double](repeating: 0, count: inner.columns)
        var touched: [Int] = []
        var isTouched = [Bool](repeating: false, count: inner.columns)
        for r in 0..<rows {
            forEachEntry(row: r) { k, w in
                guard w != 0 else { return }
                for (c, v) in innerRows[k] {
                    if !isTouched[c] {
                        isTouched[c] = true
                        touched.append(c)
                    }
                    accumulator[c] += w * v
                }
            }
            product.append(touched.sorted().compactMap { c in accumulator[c] != 0 ? (c, accumulator[c]) : nil })
            for c in touched {
                accumulator[c] = 0
                isTouched[c] = false
            }
            touched.removeAll(keepingCapacity: true)
        }
        let nonzeros = product.reduce(0) { $0 + $1.count }
        return Self.build(sparse: 2 * nonzeros < rows * inner.columns, columns: inner.columns, product)
    }
}
