import NNBLAS
import NNIR
import TestSupport
import Testing

/// The batch evaluator against the reference, point by point: on every fixture network, every node's
/// values at every point of a batch equal `Evaluator.apply` on the batch's own operand values, exactly
/// for every operation but a dense affine layer, and for one within the bound of `DenseProductTests`
/// (two sums of the same terms in different orders); on a network whose arithmetic is exact, the whole
/// evaluation equals the reference's bit for bit.
@Suite struct BatchEvaluatorTests {
    @Test func everyNodeOfEveryFixtureIsTheReferenceOperationOnTheBatchOperands() throws {
        var checked = 0
        for item in try NetworkCase.fixtures() {
            let graph = item.graph
            var generator = SplitMix64(seed: 17)
            let count = 7
            let points = (0..<count).map { _ in item.box.map { b in zip(b.lower, b.upper).map { $0 + ($1 - $0) * generator.nextUnit() } } }
            let batch = graph.inputs.indices.map { t in points.flatMap { $0[t] } }
            let values = try BatchEvaluator(graph: graph).evaluateAll(batch: batch, count: count)
            for (index, node) in graph.nodes.enumerated() {
                let n = node.elementCount
                #expect(values[index].count == count * n, "\(item.name) %\(index)")
                if case .input = node.operation { continue }
                for p in 0..<count {
                    let operands = node.operands.map { id in
                        let m = graph[id].elementCount
                        return Array(values[id.index][p * m..<(p + 1) * m])
                    }
                    let reference = Evaluator.apply(node, operands: operands, operandShapes: node.operands.map { graph[$0].shape })
                    let got = Array(values[index][p * n..<(p + 1) * n])
                    if case .affine(let affine) = node.operation, case .dense(_, let columns, let w) = affine.weights {
                        for r in 0..<n {
                            let magnitude = (0..<columns).reduce(abs(affine.bias[r])) { $0 + abs(w[r * columns + $1] * operands[0][$1]) }
                            #expect(DenseProductTests.agree(got[r], reference[r], terms: columns, magnitude: magnitude),
                                    "\(item.name) %\(index)[\(r)] at point \(p): \(got[r]) vs \(reference[r])")
                        }
                    } else {
                        #expect(got == reference, "\(item.name) %\(index) at point \(p)")
                    }
                }
            }
            // The outputs per point are the batch's values of the output nodes.
            let outputs = try BatchEvaluator(graph: graph).evaluate(points: points)
            for p in 0..<count {
                for (o, output) in graph.outputs.enumerated() {
                    let n = graph[output.value].elementCount
                    #expect(outputs[p][o] == Array(values[output.value.index][p * n..<(p + 1) * n]))
                }
            }
            checked += 1
        }
        #expect(checked >= 20, "only \(checked) fixtures")
    }

    /// Small integer weights and inputs: every sum is exact in Float64 in any order, so the batch (one
    /// BLAS product per layer) and the reference (one loop per row) give the same bits.
    @Test func exactArithmeticGivesTheReferenceBitForBit() throws {
        var generator = SplitMix64(seed: 29)
        func integers(_ count: Int) -> [Double] { (0..<count).map { _ in Double(Int(generator.next() % 7) - 3) } }
        var g = Graph()
        var x = g.append(Node(operation: .input(name: "x"), operands: [], shape: [1, 40]))
        var width = 40
        for next in [64, 48, 5] {
            let affine = g.append(Node(operation: .affine(Affine(weights: .dense(rows: next, columns: width, values: integers(next * width)), bias: integers(next))),
                                       operands: [x], shape: [1, next]))
            x = next == 5 ? affine : g.append(Node(operation: .relu, operands: [affine], shape: [1, next]))
            width = next
        }
        g.outputs = [GraphOutput(name: "y", value: x)]
        let points = (0..<12).map { _ in [integers(40)] }
        let reference = Evaluator(graph: g)
        let batch = try BatchEvaluator(graph: g).evaluate(points: points)
        for (point, outputs) in zip(points, batch) {
            #expect(outputs == (try reference.evaluate(inputs: point)))
            #expect(try BatchEvaluator(graph: g).evaluateAll(inputs: point) == reference.evaluateAll(inputs: point))
        }
    }

    @Test func aPointOfTheWrongSizeIsAUsageError() throws {
        let item = try #require(try NetworkCase.fixtures().first)
        let sizes = item.graph.inputs.map { item.graph[$0].elementCount }
        let wrong = sizes.map { [Double](repeating: 0, count: $0 + 1) }
        #expect(throws: Diagnostic.self) { try BatchEvaluator(graph: item.graph).evaluate(points: [wrong]) }
        #expect(throws: Diagnostic.self) { try BatchEvaluator(graph: item.graph).evaluateAll(batch: sizes.map { [Double](repeating: 0, count: $0) }, count: 2) }
    }
}
