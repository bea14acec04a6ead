import NNBLAS

/// The products of a weight matrix that the searches and the gradient use, where speed matters more than
/// the reference's summation order: a dense matrix through BLAS (`DenseProducts`), a sparse one by the
/// plain loops over its entries. The reference evaluator's own product is `apply(_:bias:)`.
extension WeightMatrix {
    /// `W xᵢ + b` for each of `count` points, `x` holding them one after another (`count x columns`); the
    /// result holds the `count x rows` values likewise. Dense: one BLAS product over the batch (`dgemm`,
    /// `dgemv` for one point); each value is within `gamma(columns + 1)` times its terms' magnitude sum of
    /// the exact one, as `apply`'s own is.
    public func applyBatch(_ x: [Double], count: Int, bias: [Double]) -> [Double] {
        precondition(x.count == count * columns && bias.count == rows)
        switch self {
        case .dense(let rows, let columns, let values):
            var y = [Double]()
            y.reserveCapacity(count * rows)
            for _ in 0..<count { y.append(contentsOf: bias) }
            let w = RowMajorMatrix(rows: rows, columns: columns, values: values)
            if count == 1 {
                DenseProducts.multiplyAdd(w, x, into: &y)
            } else {
                DenseProducts.multiplyAdd(RowMajorMatrix(rows: count, columns: columns, values: x), transposed: false, w, transposed: true, into: &y)
            }
            return y
        case .sparse:
            var y = [Double]()
            y.reserveCapacity(count * rows)
            for point in 0..<count { y += apply(Array(x[point * columns..<(point + 1) * columns]), bias: bias) }
            return y
        }
    }

    /// `Wᵀ g` in Float64: the adjoint of the layer's input from the adjoint `g` of its output (dense: `dgemv`).
    public func applyTransposed(_ g: [Double]) -> [Double] {
        precondition(g.count == rows)
        var x = [Double](repeating: 0, count: columns)
        switch self {
        case .dense(let rows, let columns, let values):
            DenseProducts.multiplyAdd(RowMajorMatrix(rows: rows, columns: columns, values: values), transposed: true, g, into: &x)
        case .sparse(let m):
            for r in 0..<m.rows where g[r] != 0 {
                for k in m.rowStart[r]..<m.rowStart[r + 1] { x[m.columnIndex[k]] += m.values[k] * g[r] }
            }
        }
        return x
    }
}
