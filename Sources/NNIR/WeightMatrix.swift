/// The weight matrix of an affine layer: `rows` outputs by `columns` inputs,
/// acting on the flattened input tensor.
///
/// Dense matrices are row-major. Sparse ones are in compressed sparse row
/// form, so that pruned or structurally sparse layers (transposes, batched
/// matrix products) never materialize their zeros.
public enum WeightMatrix: Equatable, Sendable {
    /// A row-major dense matrix; `values.count == rows * columns`.
    case dense(rows: Int, columns: Int, values: [Double])
    /// A compressed-sparse-row matrix.
    case sparse(SparseMatrix)

    /// The number of rows (outputs).
    public var rows: Int {
        switch self {
        case .dense(let rows, _, _): rows
        case .sparse(let m): m.rows
        }
    }

    /// The number of columns (inputs).
    public var columns: Int {
        switch self {
        case .dense(_, let columns, _): columns
        case .sparse(let m): m.columns
        }
    }

    /// The number of stored coefficients (all of them for a dense matrix).
    public var storedCount: Int {
        switch self {
        case .dense(_, _, let values): values.count
        case .sparse(let m): m.values.count
        }
    }

    /// `W x + b` in Float64.
    public func apply(_ x: [Double], bias: [Double]) -> [Double] {
        var y = bias
        switch self {
        case .dense(let rows, let columns, let values):
            values.withUnsafeBufferPointer { w in
                x.withUnsafeBufferPointer { xv in
                    for r in 0..<rows {
                        var sum = 0.0
                        let base = r * columns
                        for c in 0..<columns { sum += w[base + c] * xv[c] }
                        y[r] += sum
                    }
                }
            }
        case .sparse(let m):
            for r in 0..<m.rows {
                var sum = 0.0
                for k in m.rowStart[r]..<m.rowStart[r + 1] { sum += m.values[k] * x[m.columnIndex[k]] }
                y[r] += sum
            }
        }
        return y
    }
}

/// A matrix in compressed sparse row form: the entries of row `r` are
/// `columnIndex[rowStart[r]..<rowStart[r+1]]` with `values` alongside.
public struct SparseMatrix: Equatable, Sendable {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var columns: Int
    /// `rows + 1` offsets into `columnIndex` and `values`.
    public var rowStart: [Int]
    /// Column of each stored entry, increasing within a row.
    public var columnIndex: [Int]
    /// Value of each stored entry.
    public var values: [Double]

    /// Creates a CSR matrix from its arrays (checked later by the verifier).
    public init(rows: Int, columns: Int, rowStart: [Int], columnIndex: [Int], values: [Double]) {
        self.rows = rows
        self.columns = columns
        self.rowStart = rowStart
        self.columnIndex = columnIndex
        self.values = values
    }

    /// Builds a CSR matrix from `(row, column, value)` triples given in row order.
    public init(rows: Int, columns: Int, rowOrderedEntries: [(Int, Int, Double)]) {
        var rowStart = [Int](repeating: 0, count: rows + 1)
        for (r, _, _) in rowOrderedEntries { rowStart[r + 1] += 1 }
        for r in 0..<rows { rowStart[r + 1] += rowStart[r] }
        self.init(rows: rows, columns: columns, rowStart: rowStart,
                  columnIndex: rowOrderedEntries.map { $0.1 }, values: rowOrderedEntries.map { $0.2 })
    }
}
