import NNIR
import Testing

@Suite struct EvaluatorTests {
    let image: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9]

    @Test func convolutionAndPoolingMatchHandComputedValues() throws {
        let graph = SampleGraphs.everyOperation()
        let values = try Evaluator(graph: graph).evaluateAll(inputs: [image])
        #expect(values[1] == [12.5, 16.5, 24.5, 28.5])  // 2x2 ones kernel + 0.5
        #expect(values[2] == [5, 6, 8, 9])  // 2x2 max, stride 1
        #expect(values[3] == [1, 2.5, 5.5, 7])  // padding excluded from the divisor
        #expect(values[4] == [0.25, 1.25, 2.75, 7])  // padding counted
    }

    @Test func denseAndSparseAffineAgreeAndTheChainIsExact() throws {
        let graph = SampleGraphs.everyOperation()
        let values = try Evaluator(graph: graph).evaluateAll(inputs: [image])
        let sum: [Double] = [17.5, 22.5, 32.5, 37.5]
        #expect(values[5] == sum)
        #expect(values[7] == [17.5 - 32.5, 0.5 * (17.5 + 22.5 + 32.5 + 37.5) - 30])  // dense
        #expect(values[8] == [17.5 - 32.5, 0.25 * 37.5 + 1e-300])  // sparse
        #expect(values[9] == [0, 25])
        #expect(values[10] == [-1.5, 0.25 * 37.5 + 1e-300])
        let both = [0 + -1.5, 25 + 0.25 * 37.5 + 1e-300]
        #expect(values[12] == [2 * both[0] + 0.1, -both[1] + 3])
        #expect(values[13] == [values[12][1], 0, values[12][0]])
    }

    @Test func wrongInputSizeIsAUsageError() {
        let graph = SampleGraphs.everyOperation()
        let error = #expect(throws: Diagnostic.self) { try Evaluator(graph: graph).evaluate(inputs: [[1, 2]]) }
        #expect(error?.kind == .usage, "\(String(describing: error))")
        #expect(error?.message.contains("2 values were given") == true, "\(String(describing: error))")
    }

    @Test func ceilModeWindowCountDropsWindowsStartingInThePadding() {
        let window = Window2D(kernel: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1], dilations: [1, 1])
        #expect(window.outputSize(axis: 0, inputSize: 5) == 2)
        #expect(window.outputSize(axis: 0, inputSize: 5, ceilMode: true) == 3)
        let tight = Window2D(kernel: [2, 2], strides: [2, 2], pads: [0, 0, 1, 1], dilations: [1, 1])
        // 4 + 1 padding: windows start at 0 and 2; a third would start at 4, inside the end padding.
        #expect(tight.outputSize(axis: 0, inputSize: 4, ceilMode: true) == 2)
    }
}
