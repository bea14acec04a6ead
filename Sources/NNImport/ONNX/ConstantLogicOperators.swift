import NNIR

/// Comparisons and selections on constants, which exporters emit for shape arithmetic (PyTorch's
/// TorchScript exporter computes an `Expand` target with `Equal` and `Where`): folded with NumPy
/// broadcasting. On values computed from the input they would be discontinuous, so they are refused,
/// but for PyTorch's thresholded Softplus (`isSoftplusThreshold`), which reads as Softplus.
extension ONNXImporter {
    /// `Equal`, `Less`, `Greater`, `LessOrEqual`, `GreaterOrEqual`, `And`, `Or`, `Xor` and `Not`
    /// (booleans as 0 and 1), and `Where` (condition, then the values where it holds, else the others).
    mutating func lowerConstantLogic(_ n: NodeContext) throws -> Symbol {
        let op = n.node.opType
        if try isSoftplusThreshold(n) {
            // Its only reader, the Where, takes the Softplus branch (see below); this value is never read.
            softplusThresholds.insert(n.node.outputs[0])
            return .constant(ConstantTensor(shape: [], values: [0], isInteger: true))
        }
        if op == "Where", softplusThresholds.contains(n.node.inputs[0]) { return try n.input(2) }
        guard n.allConstant else {
            throw n.unsupported("\(op) of values computed from the input is not continuous, so no exact MILP encoding exists; only constant shape arithmetic is folded")
        }
        let operands = try n.inputs.indices.filter(n.has).map { try n.constant($0, "input \($0)") }
        guard operands.count == (op == "Not" ? 1 : op == "Where" ? 3 : 2) else { throw n.fail("\(op) has \(operands.count) inputs") }
        let outShape = try n.broadcastShape(operands.map(\.shape))
        guard Shape.elementCount(outShape, limit: ONNXTensorRef.elementLimit) != nil else { throw n.fail("result is too large") }
        let spread = operands.map { operand in IndexMaps.broadcast(from: operand.shape, to: outShape).map { operand.values[$0] } }
        let truth = { (b: Bool) in b ? 1.0 : 0.0 }
        let values = spread[0].indices.map { i -> Double in
            let a = spread[0][i], b = spread.count > 1 ? spread[1][i] : 0
            switch op {
            case "Equal": return truth(a == b)
            case "Less": return truth(a < b)
            case "Greater": return truth(a > b)
            case "LessOrEqual": return truth(a <= b)
            case "GreaterOrEqual": return truth(a >= b)
            case "And": return truth(a != 0 && b != 0)
            case "Or": return truth(a != 0 || b != 0)
            case "Xor": return truth((a != 0) != (b != 0))
            case "Not": return truth(a == 0)
            default: return a != 0 ? b : spread[2][i]  // Where
            }
        }
        let integer = op != "Where" || operands.dropFirst().allSatisfy(\.isInteger)
        return .constant(ConstantTensor(shape: outShape, values: values, isInteger: integer))
    }
}
