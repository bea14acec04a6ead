import NNMILP
import Testing

@Suite struct MILPModelTests {
    @Test func repeatedColumnsInARowMergeAndZerosDisappear() {
        var model = MILPModel(name: "m")
        let x = model.addColumn("x", lower: 0, upper: 1)
        let y = model.addColumn("y", lower: 0, upper: 1, integer: true)
        model.addRow("r0", [(x, 1), (y, 2), (x, 0.5)], .lessEqual, 3)
        model.addRow("r1", [(x, 1), (y, 0), (x, -1)], .equal, 0)
        model.addRow("r2", [(y, -1)], .greaterEqual, -1)
        #expect(model.row(0).map(\.column) == [x, y])
        #expect(model.row(0).map(\.coefficient) == [1.5, 2])
        #expect(model.row(1).isEmpty)
        #expect(model.nonzeroCount == 3)
        #expect(model.integerCount == 1)
        let csc = model.columnMajor()
        #expect(csc.start == [0, 1, 3])
        #expect(csc.row == [0, 0, 2])
        #expect(csc.value == [1.5, 2, -1])
    }

    @Test func shortNamesFitEightCharacters() {
        var model = MILPModel(name: "m")
        for i in 0..<40 { model.addColumn("column_with_a_long_name_\(i)", lower: 0, upper: 1) }
        let names = model.columnNames(.short)
        #expect(names[0] == "C0")
        #expect(names[35] == "CZ")
        #expect(names[36] == "C10")
        #expect(names.allSatisfy { $0.count <= 8 })
    }
}
