@testable import NNImport
import Testing

/// The ONNX operator table is the one list of what the importer reads: the
/// supported-operator list (in errors) is its keys, and no operator is both
/// lowered and refused as not piecewise linear.
@Suite struct OperatorTableTests {
    @Test func theSupportedOperatorsAreTheTablesKeysInOrder() {
        let supported = ONNXImporter.supportedOperators
        #expect(Set(supported) == Set(ONNXImporter.operatorTable.keys))
        #expect(supported == supported.sorted())
        #expect(supported.count == ONNXImporter.operatorTable.count)
    }

    @Test func noOperatorIsBothLoweredAndRefusedAsNonlinear() {
        #expect(ONNXImporter.nonlinearOperators.isDisjoint(with: ONNXImporter.operatorTable.keys))
    }

    @Test func theCommonOperatorsOfRealExportsAreInTheTable() {
        // The ones the architecture notes name as what other importers reject.
        for op in ["Gemm", "MatMul", "Relu", "Conv", "Flatten", "Sub", "Div", "Constant", "Cast", "BatchNormalization"] {
            #expect(ONNXImporter.operatorTable[op] != nil, "\(op)")
        }
    }
}
