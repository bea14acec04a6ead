import NNIR
import Testing

@Suite struct VerifierTests {
    @Test func sampleGraphIsValid() throws {
        try Verifier.verify(SampleGraphs.everyOperation())
    }

    /// Each mutation breaks one invariant; the verifier must name the node.
    @Test(arguments: [
        ("NaN weight", 7),
        ("wrong bias length", 7),
        ("weights wider than the operand", 7),
        ("lower bound above upper", 9),
        ("NaN bound", 9),
        ("gather index out of range", 13),
        ("reshape changes the size", 6),
        ("operand defined later", 5),
        ("conv output shape", 1),
    ])
    func brokenGraphsAreRejected(what: String, node: Int) {
        var g = SampleGraphs.everyOperation()
        switch what {
        case "NaN weight": g.nodes[7].operation = .affine(Affine(weights: .dense(rows: 2, columns: 4, values: [1, .nan, 0, 0, 0, 0, 0, 0]), bias: [0, 0]))
        case "wrong bias length": g.nodes[7].operation = .affine(Affine(weights: .dense(rows: 2, columns: 4, values: .init(repeating: 0, count: 8)), bias: [0]))
        case "weights wider than the operand": g.nodes[7].operation = .affine(Affine(weights: .dense(rows: 2, columns: 5, values: .init(repeating: 0, count: 10)), bias: [0, 0]))
        case "lower bound above upper": g.nodes[9].bounds = Bounds(lower: [1, 0], upper: [0, 0])
        case "NaN bound": g.nodes[9].bounds = Bounds(lower: [.nan, 0], upper: [0, 0])
        case "gather index out of range": g.nodes[13].operation = .gather(indices: [0, 1, 2])
        case "reshape changes the size": g.nodes[6].shape = [1, 5]
        case "operand defined later": g.nodes[5].operands = [ValueID(1), ValueID(6)]
        case "conv output shape": g.nodes[1].shape = [1, 1, 3, 3]
        default: Issue.record("unknown case")
        }
        let error = #expect(throws: Diagnostic.self) { try Verifier.verify(g) }
        #expect(error?.location?.hasPrefix("%\(node) ") == true, "\(what): \(String(describing: error))")
    }
}
