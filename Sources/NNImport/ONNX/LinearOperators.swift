import NNIR

/// `Gemm` and `MatMul`: products of a network value with a constant matrix
/// become affine layers; products of two constants are folded.
extension ONNXImporter {
    /// `Gemm`: `Y = alpha * A' * B' + beta * C`, with the spec's defaults
    /// (alpha = beta = 1, no transposes, C optional).
    mutating func lowerGemm(_ n: NodeContext) throws -> Symbol {
        let alpha = try n.float("alpha", default: 1)
        let beta = try n.float("beta", default: 1)
        let transA = try n.int("transA", default: 0) != 0
        let transB = try n.int("transB", default: 0) != 0
        var a = try n.input(0)
        var b = try n.input(1)
        for (symbol, role) in [(a, "A"), (b, "B")] where shape(of: symbol).count != 2 {
            throw n.fail("Gemm input \(role) must be 2-D, got \(Shape.describe(shape(of: symbol)))")
        }
        if transA { a = transposed2D(a, at: n.node) }
        // The common PyTorch layout (one value row times B stored [N, K] with transB=1) is already
        // an affine layer's weight layout: use B as it is, without transposing it twice.
        if transB, case .value(let x) = a, graph[x].shape[0] == 1, case .constant(let w) = b, w.shape[1] == graph[x].shape[1] {
            let bias = try gemmBias(n, rows: 1, columns: w.shape[0], beta: beta)
            let values = alpha == 1 ? w.values : w.values.map { alpha * $0 }
            let affine = Affine(weights: .dense(rows: w.shape[0], columns: w.shape[1], values: values), bias: bias)
            return .value(emit(.affine(affine), [x], shape: [1, w.shape[0]], at: n.node))
        }
        if transB { b = transposed2D(b, at: n.node) }
        let (m, k) = (shape(of: a)[0], shape(of: a)[1])
        let (k2, cols) = (shape(of: b)[0], shape(of: b)[1])
        guard m > 0, k > 0, cols > 0 else { throw n.unsupported("Gemm of empty matrices") }
        guard k == k2 else {
            throw n.fail("A' is \(m)x\(k) but B' is \(k2)x\(cols): the inner dimensions differ (is transB set correctly?)")
        }
        return try product(a, b, scale: alpha, bias: try gemmBias(n, rows: m, columns: cols, beta: beta), n)
    }

    /// `beta * C` broadcast to the `rows x columns` result (zeros without C).
    private func gemmBias(_ n: NodeContext, rows: Int, columns: Int, beta: Double) throws -> [Double] {
        guard let c = try n.optionalConstant(2, "the bias C") else { return [Double](repeating: 0, count: rows * columns) }
        guard let target = IndexMaps.broadcastShape(c.shape, [rows, columns]), target == [rows, columns] else {
            throw n.fail("bias C of shape \(Shape.describe(c.shape)) does not broadcast to \(Shape.describe([rows, columns]))")
        }
        return IndexMaps.broadcast(from: c.shape, to: [rows, columns]).map { beta * c.values[$0] }
    }

    /// `MatMul` with NumPy semantics for a 1-D or 2-D constant operand on either side.
    mutating func lowerMatMul(_ n: NodeContext) throws -> Symbol {
        var a = try n.input(0)
        var b = try n.input(1)
        let (aShape, bShape) = (shape(of: a), shape(of: b))
        guard !aShape.isEmpty, !bShape.isEmpty else { throw n.fail("MatMul operands must not be scalars") }
        // A 1-D operand is a row (left) or column (right) vector; the added axis is dropped from the result.
        var resultShape: [Int]
        if aShape.count == 1 { a = reshaped(a, to: [1, aShape[0]], at: n.node) }
        if bShape.count == 1 { b = reshaped(b, to: [bShape[0], 1], at: n.node) }
        let (sa, sb) = (shape(of: a), shape(of: b))
        guard (sa + sb).allSatisfy({ $0 > 0 }) else { throw n.unsupported("MatMul of empty tensors (\(Shape.describe(aShape)) by \(Shape.describe(bShape)))") }
        guard sa[sa.count - 1] == sb[sb.count - 2] else {
            throw n.fail("MatMul of \(Shape.describe(aShape)) by \(Shape.describe(bShape)): the inner dimensions differ")
        }
        resultShape = Array(sa.dropLast()) + [sb[sb.count - 1]]
        if sb.count > 2 { resultShape = Array(sb.dropLast(2)) + [sa[sa.count - 2], sb[sb.count - 1]] }
        if aShape.count == 1 { resultShape.remove(at: resultShape.count - 2) }
        if bShape.count == 1 { resultShape.removeLast() }
        let result = try product(a, b, scale: 1, bias: nil, n)
        return reshaped(result, to: resultShape, at: n.node)
    }

    /// `scale * a @ b + bias` where at most one side is a network value and the
    /// constant side is 2-D; batched (leading) axes belong to the value side.
    private mutating func product(_ a: Symbol, _ b: Symbol, scale: Double, bias: [Double]?, _ n: NodeContext) throws -> Symbol {
        switch (a, b) {
        case (.constant(let x), .constant(let w)):
            guard x.shape.count == 2, w.shape.count == 2 else { throw n.unsupported("batched products of constants are not supported") }
            let (m, k, cols) = (x.shape[0], x.shape[1], w.shape[1])
            var values = bias ?? [Double](repeating: 0, count: m * cols)
            for i in 0..<m { for j in 0..<cols { for t in 0..<k { values[i * cols + j] += scale * x.values[i * k + t] * w.values[t * cols + j] } } }
            return .constant(ConstantTensor(shape: [m, cols], values: values, isInteger: false))
        case (.value(let x), .constant(let w)):
            guard w.shape.count == 2 else { throw n.unsupported("the constant operand must be 2-D, got \(Shape.describe(w.shape))") }
            let xShape = graph[x].shape
            let (k, cols) = (w.shape[0], w.shape[1])
            let rows = graph[x].elementCount / k  // all leading positions (batch and matrix rows)
            let weights: WeightMatrix
            if rows == 1 {
                // y[j] = sum_t x[t] * w[t, j]: the weight matrix is w transposed.
                var values = [Double](repeating: 0, count: cols * k)
                for t in 0..<k { for j in 0..<cols { values[j * k + t] = scale * w.values[t * cols + j] } }
                weights = .dense(rows: cols, columns: k, values: values)
            } else {
                try checkCoefficientCount(rows * cols * k, n)
                var entries: [(Int, Int, Double)] = []
                entries.reserveCapacity(rows * cols * k)
                for r in 0..<rows { for j in 0..<cols { for t in 0..<k { entries.append((r * cols + j, r * k + t, scale * w.values[t * cols + j])) } } }
                weights = .sparse(SparseMatrix(rows: rows * cols, columns: rows * k, rowOrderedEntries: entries))
            }
            let outShape = Array(xShape.dropLast()) + [cols]
            let affine = Affine(weights: weights, bias: bias ?? [Double](repeating: 0, count: rows * cols))
            return .value(emit(.affine(affine), [x], shape: outShape, at: n.node))
        case (.constant(let w), .value(let x)):
            guard w.shape.count == 2 else { throw n.unsupported("the constant operand must be 2-D, got \(Shape.describe(w.shape))") }
            let xShape = graph[x].shape
            let (m, k) = (w.shape[0], w.shape[1])
            let cols = xShape[xShape.count - 1]
            let batches = graph[x].elementCount / (k * cols)
            let weights: WeightMatrix
            if batches * cols == 1 {
                weights = .dense(rows: m, columns: k, values: w.values.map { scale * $0 })
            } else {
                try checkCoefficientCount(batches * m * cols * k, n)
                var entries: [(Int, Int, Double)] = []
                entries.reserveCapacity(batches * m * cols * k)
                for bt in 0..<batches { for i in 0..<m { for j in 0..<cols { for t in 0..<k {
                    entries.append(((bt * m + i) * cols + j, (bt * k + t) * cols + j, scale * w.values[i * k + t]))
                } } } }
                weights = .sparse(SparseMatrix(rows: batches * m * cols, columns: batches * k * cols, rowOrderedEntries: entries))
            }
            let outShape = Array(xShape.dropLast(2)) + [m, cols]
            let affine = Affine(weights: weights, bias: bias ?? [Double](repeating: 0, count: batches * m * cols))
            return .value(emit(.affine(affine), [x], shape: outShape, at: n.node))
        case (.value, .value):
            throw n.unsupported("the product of two values computed from the input is not linear; nnmip needs one operand to be a constant")
        }
    }

    /// Refuses batched products whose sparse expansion would be unreasonably large.
    private func checkCoefficientCount(_ count: Int, _ n: NodeContext) throws {
        guard count <= ONNXTensorRef.elementLimit else {
            throw n.unsupported("the batched product expands to \(count) coefficients, more than nnmip's limit of \(ONNXTensorRef.elementLimit)")
        }
    }

    /// The transpose of a 2-D symbol.
    private mutating func transposed2D(_ symbol: Symbol, at node: ONNXNode) -> Symbol {
        let map = IndexMaps.transpose(shape(of: symbol), perm: [1, 0])
        return gathered(symbol, indices: map.indices, shape: map.shape, at: node)
    }
}
