import COpenBLAS

/// A row-major dense matrix: `values[r * columns + c]` is entry `(r, c)`.
public struct RowMajorMatrix: Sendable, Equatable {
    /// Number of rows.
    public var rows: Int
    /// Number of columns.
    public var columns: Int
    /// The entries, row after row; `values.count == rows * columns`.
    public var values: [Double]

    /// A matrix over `values` (row-major).
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns, "a \(rows) x \(columns) matrix needs \(rows * columns) values, not \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }
}

/// The dense products nnmip needs, through OpenBLAS's CBLAS (`cblas_dgemv`, `cblas_dgemm`), in Float64.
///
/// Every product accumulates into its result (`y += A x`, `C += A B`, BLAS's `beta = 1`, `alpha = 1`),
/// so a bias or an earlier partial sum goes in first. Each result entry is the exact sum of its terms
/// (the products and the entry's previous value) up to rounding: OpenBLAS sums them in an order of its
/// own (blocked, several accumulators, fused multiply-adds), but every order is a binary tree over the
/// `n + 1` terms in which each term meets at most `n + 1` roundings (one product, at most `n` additions;
/// an FMA merges two into one; `alpha = beta = 1` scale exactly). So the error is at most
/// `gamma(n + 1) * Σ|terms|` with `gamma(m) = m·u / (1 − m·u)`, `u = 2⁻⁵³` (Higham, Accuracy and Stability
/// of Numerical Algorithms, §3.1), the same bound as a plain loop's; `Rounding.gamma` computes it.
///
/// OpenBLAS runs one thread per call here (see `singleThreaded`).
public enum DenseProducts {
    /// `y += A x`, or `y += Aᵀ x` when `transposed` (`cblas_dgemv`).
    public static func multiplyAdd(_ a: RowMajorMatrix, transposed: Bool = false, _ x: [Double], into y: inout [Double]) {
        let (outputs, inputs) = transposed ? (a.columns, a.rows) : (a.rows, a.columns)
        precondition(x.count == inputs && y.count == outputs, "a \(outputs) x \(inputs) product of a vector of \(x.count) into one of \(y.count)")
        guard outputs > 0, inputs > 0 else { return }
        _ = singleThreaded
        a.values.withUnsafeBufferPointer { av in
            x.withUnsafeBufferPointer { xv in
                y.withUnsafeMutableBufferPointer { yv in
                    cblas_dgemv(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, blasInt(a.rows), blasInt(a.columns),
                                1, av.baseAddress, blasInt(max(1, a.columns)), xv.baseAddress, 1, 1, yv.baseAddress, 1)
                }
            }
        }
    }

    /// `C += op(A) op(B)`, `op` the transpose where asked (`cblas_dgemm`); `c` holds the row-major
    /// `rows(op(A)) x columns(op(B))` result.
    public static func multiplyAdd(_ a: RowMajorMatrix, transposed transposeA: Bool = false,
                                   _ b: RowMajorMatrix, transposed transposeB: Bool = false, into c: inout [Double]) {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb && c.count == m * n, "a (\(m) x \(k)) (\(kb) x \(n)) product into \(c.count) values")
        guard m > 0, n > 0, k > 0 else { return }
        _ = singleThreaded
        a.values.withUnsafeBufferPointer { av in
            b.values.withUnsafeBufferPointer { bv in
                c.withUnsafeMutableBufferPointer { cv in
                    cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                blasInt(m), blasInt(n), blasInt(k), 1, av.baseAddress, blasInt(max(1, a.columns)),
                                bv.baseAddress, blasInt(max(1, b.columns)), 1, cv.baseAddress, blasInt(max(1, n)))
                }
            }
        }
    }

    /// CBLAS takes 32-bit dimensions (Debian's OpenBLAS is built without 64-bit integers).
    private static func blasInt(_ n: Int) -> blasint {
        precondition(n <= Int(blasint.max), "a matrix dimension of \(n) is beyond OpenBLAS's 32-bit indices")
        return blasint(n)
    }

    /// Debian's libopenblas0-pthread starts a pool of one thread per core and splits large products across
    /// it. nnmip already runs its own threads on every core (the portfolio's members, the gradient restarts
    /// beside HiGHS), so a product spread over the cores would contend with them; one thread per call keeps
    /// each member on its own core and makes each product's summation order, and so its result, repeat.
    private static let singleThreaded: Void = openblas_set_num_threads(1)
}

/// Rounding bounds of sums in Float64.
public enum Rounding {
    /// `gamma(n) = n·u / (1 − n·u)`, `u = 2⁻⁵³`: a sum of `n` terms (each possibly a rounded product) computed
    /// in any order is within `gamma(n) * Σ|terms|` of the exact sum (infinite once `n·u ≥ 1`).
    public static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * (Double.ulpOfOne / 2)
        return nu < 1 ? nu / (1 - nu) : .infinity
    }
}
