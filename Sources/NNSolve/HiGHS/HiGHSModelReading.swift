/// A model as HiGHS holds it, copied out with `Highs_getLp` and the name
/// functions: the raw arrays, with HiGHS's own codes, for `UserModelReader`
/// to check and turn into a `MILPModel`.
public struct HiGHSStoredModel: Sendable {
    /// `kHighsObjSenseMinimize` (1) or `kHighsObjSenseMaximize` (-1); anything else is unknown.
    public var sense: Int32
    /// The objective's constant term.
    public var offset: Double
    /// Each column's objective coefficient, lower and upper bound.
    public var columnCost: [Double], columnLower: [Double], columnUpper: [Double]
    /// Each row's lower and upper bound (infinite where it has no end).
    public var rowLower: [Double], rowUpper: [Double]
    /// The matrix column-wise: column `c`'s entries are at `columnStart[c] ..< columnStart[c + 1]`.
    public var columnStart: [Int], rowIndex: [Int32], value: [Double]
    /// Each column's `kHighsVarType` code (see `HiGHSSolver.VariableType`).
    public var integrality: [Int32]
    /// The column and row names.
    public var columnNames: [String], rowNames: [String]
    /// The number of nonzeros of the objective's Hessian: above zero for a quadratic objective.
    public var hessianNonzeros: Int

    /// The number of columns.
    public var columnCount: Int { columnCost.count }
    /// The number of rows.
    public var rowCount: Int { rowLower.count }
}

extension HiGHSSolver {
    /// The `kHighsVarType` codes of `highs_c_api.h`.
    public enum VariableType {
        public static let continuous: Int32 = 0
        public static let integer: Int32 = 1
        public static let semiContinuous: Int32 = 2
        public static let semiInteger: Int32 = 3
        /// Integer in every solution although not declared so (presolve's finding).
        public static let implicitInteger: Int32 = 4
    }

    /// `kHighsMaximumStringLength`: the size of the buffer the name functions write into.
    static let maximumNameLength = 512
    /// `kHighsMatrixFormatColwise`.
    private static let matrixFormatColumnwise: Int32 = 1

    /// Replaces this instance's model by the one in the file at `path` (`Highs_readModel`): MPS or
    /// LP by the name's extension, gzipped when it ends in `.gz`. HiGHS says why it failed in its log
    /// only (see `writeLog(to:)`).
    public func readModel(_ path: String) throws {
        let status = library.readModel(handle, path)
        try check(status, "Highs_readModel", "file \(path)")
        columnCount = Int(library.getNumCol(handle))
    }

    /// The model this instance holds (`Highs_getNumCol`, `Highs_getNumRow`, `Highs_getNumNz`,
    /// `Highs_getHessianNumNz`, `Highs_getLp` column-wise, `Highs_getColName`, `Highs_getRowName`).
    public func storedModel() throws -> HiGHSStoredModel {
        let columns = Int(library.getNumCol(handle)), rows = Int(library.getNumRow(handle)), nonzeros = Int(library.getNumNz(handle))
        var numCol: Int32 = 0, numRow: Int32 = 0, numNz: Int32 = 0, sense: Int32 = 0
        var offset = 0.0
        var cost = [Double](repeating: 0, count: columns), columnLower = cost, columnUpper = cost
        var rowLower = [Double](repeating: 0, count: rows), rowUpper = rowLower
        // Column-wise, a_start has num_col entries (no closing one); the extra slot is filled below.
        var start = [Int32](repeating: 0, count: columns + 1)
        var index = [Int32](repeating: 0, count: nonzeros)
        var value = [Double](repeating: 0, count: nonzeros)
        // HiGHS writes the integrality only for a model that has integer columns, so it starts continuous.
        var integrality = [Int32](repeating: VariableType.continuous, count: columns)
        let status = library.getLp(handle, Self.matrixFormatColumnwise, &numCol, &numRow, &numNz, &sense, &offset,
                                   &cost, &columnLower, &columnUpper, &rowLower, &rowUpper, &start, &index, &value, &integrality)
        try check(status, "Highs_getLp", "a model of \(columns) columns, \(rows) rows and \(nonzeros) nonzeros")
        guard Int(numCol) == columns, Int(numRow) == rows, Int(numNz) == nonzeros else {
            throw HiGHSError(function: "Highs_getLp", status: status,
                             context: "it gave \(numCol) columns, \(numRow) rows and \(numNz) nonzeros after announcing \(columns), \(rows) and \(nonzeros)")
        }
        start[columns] = Int32(nonzeros)
        return HiGHSStoredModel(
            sense: sense, offset: offset, columnCost: cost, columnLower: columnLower, columnUpper: columnUpper,
            rowLower: rowLower, rowUpper: rowUpper, columnStart: start.map(Int.init), rowIndex: index, value: value,
            integrality: integrality,
            columnNames: try (0..<columns).map { try name(library.getColName, $0, "Highs_getColName") },
            rowNames: try (0..<rows).map { try name(library.getRowName, $0, "Highs_getRowName") },
            hessianNonzeros: Int(library.getHessianNumNz(handle)))
    }

    /// The name of column or row `index`, read by `function` into a buffer of `maximumNameLength` bytes.
    private func name(_ function: @convention(c) (UnsafeRawPointer?, Int32, UnsafeMutablePointer<CChar>?) -> Int32,
                      _ index: Int, _ functionName: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Self.maximumNameLength + 1)
        let status = function(handle, Int32(index), &buffer)
        try check(status, functionName, "index \(index)")
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
