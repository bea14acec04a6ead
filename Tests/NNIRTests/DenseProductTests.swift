import NNBLAS
import NNIR
import Testing

/// BLAS's products against plain loops on seeded random matrices. Both compute each entry as a sum of
/// `n + 1` terms (its `n` products and the value it accumulates into), each within `gamma(n + 1)` times
/// the terms' magnitude sum `M` of the exact sum (Higham §3.1, any order, FMA or not), so they agree
/// within `2 gamma(n + 1) M`. `M` itself is computed in Float64, a sum of nonnegative terms that comes out
/// at least `(1 - gamma(n + 1)) M`; the bound divides by that. A wrong transpose, stride or accumulation
/// is off by the size of the entries, far beyond it.
@Suite struct DenseProductTests {
    /// Seeded entries in [-1, 1), some exactly 0 (as ReLU adjoints and pruned weights are).
    static func random(_ count: Int, _ generator: inout SplitMix64) -> [Double] {
        (0..<count).map { _ in generator.nextUnit() < 0.1 ? 0 : generator.nextUnit() * 2 - 1 }
    }

    /// `|a - b| <= 2 gamma(n + 1) M / (1 - gamma(n + 1))`.
    static func agree(_ a: Double, _ b: Double, terms n: Int, magnitude: Double) -> Bool {
        let gamma = Rounding.gamma(n + 1)
        return abs(a - b) <= 2 * gamma * magnitude / (1 - gamma)
    }

    static let shapes = [(1, 1, 1), (3, 5, 2), (17, 33, 9), (64, 200, 31), (128, 784, 10)]

    @Test(arguments: shapes)
    func matrixVectorProductsMatchTheLoops(_ shape: (Int, Int, Int)) {
        let (rows, columns, _) = shape
        var generator = SplitMix64(seed: UInt64(rows * 1000 + columns))
        let a = RowMajorMatrix(rows: rows, columns: columns, values: Self.random(rows * columns, &generator))
        for transposed in [false, true] {
            let (outputs, inputs) = transposed ? (columns, rows) : (rows, columns)
            let x = Self.random(inputs, &generator), start = Self.random(outputs, &generator)
            var y = start
            DenseProducts.multiplyAdd(a, transposed: transposed, x, into: &y)
            for o in 0..<outputs {
                var sum = start[o], magnitude = abs(start[o])
                for i in 0..<inputs {
                    let term = (transposed ? a.values[i * columns + o] : a.values[o * columns + i]) * x[i]
                    sum += term
                    magnitude += abs(term)
                }
                #expect(Self.agree(y[o], sum, terms: inputs, magnitude: magnitude), "\(rows)x\(columns) transposed \(transposed) [\(o)]: \(y[o]) vs \(sum)")
            }
        }
    }

    @Test(arguments: shapes)
    func matrixMatrixProductsMatchTheLoops(_ shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var generator = SplitMix64(seed: UInt64(m * 7 + k * 13 + n))
        for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = RowMajorMatrix(rows: transposeA ? k : m, columns: transposeA ? m : k, values: Self.random(m * k, &generator))
            let b = RowMajorMatrix(rows: transposeB ? n : k, columns: transposeB ? k : n, values: Self.random(k * n, &generator))
            let start = Self.random(m * n, &generator)
            var c = start
            DenseProducts.multiplyAdd(a, transposed: transposeA, b, transposed: transposeB, into: &c)
            func entryA(_ i: Int, _ j: Int) -> Double { transposeA ? a.values[j * m + i] : a.values[i * k + j] }
            func entryB(_ i: Int, _ j: Int) -> Double { transposeB ? b.values[j * k + i] : b.values[i * n + j] }
            var worst = 0
            for i in 0..<m {
                for j in 0..<n {
                    var sum = start[i * n + j], magnitude = abs(sum)
                    for l in 0..<k {
                        let term = entryA(i, l) * entryB(l, j)
                        sum += term
                        magnitude += abs(term)
                    }
                    if !Self.agree(c[i * n + j], sum, terms: k, magnitude: magnitude) { worst += 1 }
                }
            }
            #expect(worst == 0, "\(m)x\(k)x\(n), transposes \(transposeA) \(transposeB): \(worst) entries off the loops' sums")
        }
    }

    /// The weight matrix's batch product equals `apply` point by point (within the bound), its
    /// transposed product the loop over the rows; a sparse matrix gives the same values as its dense form.
    @Test func weightMatrixProductsMatchTheReferenceProduct() {
        var generator = SplitMix64(seed: 11)
        let (rows, columns, count) = (23, 57, 6)
        let values = Self.random(rows * columns, &generator)
        let dense = WeightMatrix.dense(rows: rows, columns: columns, values: values)
        var entries: [(Int, Int, Double)] = []
        for r in 0..<rows { for c in 0..<columns where values[r * columns + c] != 0 { entries.append((r, c, values[r * columns + c])) } }
        let sparse = WeightMatrix.sparse(SparseMatrix(rows: rows, columns: columns, rowOrderedEntries: entries))
        let bias = Self.random(rows, &generator)
        for points in [1, count] {
            let x = Self.random(points * columns, &generator)
            let batch = dense.applyBatch(x, count: points, bias: bias)
            var pointByPoint: [Double] = []
            for p in 0..<points { pointByPoint += sparse.apply(Array(x[p * columns..<(p + 1) * columns]), bias: bias) }
            #expect(sparse.applyBatch(x, count: points, bias: bias) == pointByPoint)
            for p in 0..<points {
                let point = Array(x[p * columns..<(p + 1) * columns])
                let reference = dense.apply(point, bias: bias)
                for r in 0..<rows {
                    let magnitude = (0..<columns).reduce(abs(bias[r])) { $0 + abs(values[r * columns + $1] * point[$1]) }
                    #expect(Self.agree(batch[p * rows + r], reference[r], terms: columns, magnitude: magnitude))
                }
            }
        }
        let g = Self.random(rows, &generator)
        let transposed = dense.applyTransposed(g)
        for c in 0..<columns {
            let terms = (0..<rows).map { values[$0 * columns + c] * g[$0] }
            #expect(Self.agree(transposed[c], terms.reduce(0, +), terms: rows, magnitude: terms.reduce(0) { $0 + abs($1) }))
            #expect(Self.agree(sparse.applyTransposed(g)[c], transposed[c], terms: rows, magnitude: terms.reduce(0) { $0 + abs($1) }))
        }
    }

    /// The products run in the calling thread, one per call: the same product gives the same bits again,
    /// also from two threads at once.
    @Test func productsRepeatBitForBitAcrossThreads() async {
        var generator = SplitMix64(seed: 5)
        let a = RowMajorMatrix(rows: 300, columns: 400, values: Self.random(300 * 400, &generator))
        let b = RowMajorMatrix(rows: 400, columns: 200, values: Self.random(400 * 200, &generator))
        func product() -> [Double] {
            var c = [Double](repeating: 0, count: 300 * 200)
            DenseProducts.multiplyAdd(a, b, into: &c)
            return c
        }
        let first = product()
        async let left = product()
        async let right = product()
        let (l, r) = await (left, right)
        #expect(l == first && r == first)
    }
}
