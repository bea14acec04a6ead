/// A mixed-integer linear program, independent of any solver or file format.
///
/// Columns (variables) have bounds, an objective coefficient and an
/// integrality flag; rows (constraints) are stored row-wise (CSR) with a
/// sense and a right-hand side. Writers and the embedded solver read it;
/// the formulation builds it, and a user's model read from a file fills it.
public struct MILPModel: Sendable {
    /// How a row compares with its right-hand side.
    public enum RowSense: Sendable {
        case lessEqual, greaterEqual, equal
        /// `lower <= row <= rhs` with both ends finite and `lower < rhs` (MPS's RANGES), the lower end
        /// in `rangeLower`. nnmip's own formulation never makes one; a user's model may have them.
        case range
    }

    /// Whether the objective is maximized or minimized.
    public enum Sense: Sendable {
        case minimize, maximize
    }

    /// The model's name (written on MPS's NAME line).
    public var name: String
    /// Objective direction.
    public var sense: Sense = .minimize
    /// The objective's constant term (a user's model may have one; nnmip's formulation never does).
    public var objectiveOffset = 0.0
    /// The objective row's name in MPS and LP files.
    public var objectiveName = "obj"

    /// Column names, one per column.
    public private(set) var columnNames: [String] = []
    /// Column lower bounds (may be -infinity).
    public private(set) var columnLower: [Double] = []
    /// Column upper bounds (may be +infinity).
    public private(set) var columnUpper: [Double] = []
    /// Whether each column must take an integer value.
    public private(set) var columnIsInteger: [Bool] = []
    /// Objective coefficient of each column.
    public private(set) var objective: [Double] = []

    /// Row names, one per row.
    public private(set) var rowNames: [String] = []
    /// Sense of each row.
    public private(set) var rowSense: [RowSense] = []
    /// Right-hand side of each row.
    public private(set) var rowRHS: [Double] = []
    /// Row `r`'s entries are at positions `rowStart[r] ..< rowStart[r + 1]`.
    public private(set) var rowStart: [Int] = [0]
    /// Column of each entry.
    public private(set) var entryColumn: [Int32] = []
    /// Coefficient of each entry (never zero).
    public private(set) var entryValue: [Double] = []
    /// The lower end of every `.range` row, by row.
    public private(set) var rangeLower: [Int: Double] = [:]

    /// Marks the columns seen in the row being built, to merge repeated columns.
    private var lastRowOfColumn: [Int32] = []
    /// Where each column's entry sits in the row being built.
    private var positionInRow: [Int] = []

    /// An empty model.
    public init(name: String) {
        self.name = name
    }

    /// The number of columns.
    public var columnCount: Int { columnNames.count }
    /// The number of rows.
    public var rowCount: Int { rowNames.count }
    /// The number of nonzero coefficients in the rows.
    public var nonzeroCount: Int { entryValue.count }
    /// The number of integer columns.
    public var integerCount: Int { columnIsInteger.lazy.filter { $0 }.count }

    /// Adds a column and returns its index.
    @discardableResult
    public mutating func addColumn(_ name: String, lower: Double, upper: Double, integer: Bool = false) -> Int {
        columnNames.append(name)
        columnLower.append(lower)
        columnUpper.append(upper)
        columnIsInteger.append(integer)
        objective.append(0)
        lastRowOfColumn.append(-1)
        positionInRow.append(0)
        return columnNames.count - 1
    }

    /// Changes a column's bounds (to fix an input, say).
    public mutating func setBounds(_ column: Int, lower: Double, upper: Double) {
        columnLower[column] = lower
        columnUpper[column] = upper
    }

    /// Sets a column's objective coefficient.
    public mutating func setObjective(_ column: Int, _ coefficient: Double) {
        objective[column] = coefficient
    }

    /// Adds `coefficient` to the entry of `column` in the row being built
    /// (started implicitly; finished by `finishRow`).
    public mutating func addEntry(_ column: Int, _ coefficient: Double) {
        let row = Int32(rowNames.count)
        if lastRowOfColumn[column] == row {
            entryValue[positionInRow[column]] += coefficient
        } else {
            lastRowOfColumn[column] = row
            positionInRow[column] = entryValue.count
            entryColumn.append(Int32(column))
            entryValue.append(coefficient)
        }
    }

    /// Finishes the row whose entries were added since the last row,
    /// dropping entries that are zero, and returns its index.
    @discardableResult
    public mutating func finishRow(_ name: String, _ sense: RowSense, _ rhs: Double) -> Int {
        let start = rowStart[rowStart.count - 1]
        var kept = start
        for e in start..<entryValue.count where entryValue[e] != 0 {
            entryColumn[kept] = entryColumn[e]
            entryValue[kept] = entryValue[e]
            kept += 1
        }
        entryColumn.removeLast(entryColumn.count - kept)
        entryValue.removeLast(entryValue.count - kept)
        rowNames.append(name)
        rowSense.append(sense)
        rowRHS.append(rhs)
        rowStart.append(kept)
        return rowNames.count - 1
    }

    /// Finishes the row being built as `lower <= row <= upper` (see `finishRow`): a `.range` row when both
    /// ends are finite and differ, otherwise the one-sided or equality row they amount to.
    /// - Precondition: `lower <= upper`, and at least one of them is finite.
    @discardableResult
    public mutating func finishRow(_ name: String, lower: Double, upper: Double) -> Int {
        precondition(lower <= upper && (lower.isFinite || upper.isFinite), "row \(name): bounds [\(lower), \(upper)]")
        if lower == upper { return finishRow(name, .equal, upper) }
        if lower == -.infinity { return finishRow(name, .lessEqual, upper) }
        if upper == .infinity { return finishRow(name, .greaterEqual, lower) }
        let row = finishRow(name, .range, upper)
        rangeLower[row] = lower
        return row
    }

    /// The bounds `lower <= row <= upper` of row `row` (infinite where it has no end).
    public func rowBounds(_ row: Int) -> (lower: Double, upper: Double) {
        switch rowSense[row] {
        case .lessEqual: (-.infinity, rowRHS[row])
        case .greaterEqual: (rowRHS[row], .infinity)
        case .equal: (rowRHS[row], rowRHS[row])
        case .range: (rangeLower[row] ?? -.infinity, rowRHS[row])
        }
    }

    /// Adds a whole row from `(column, coefficient)` pairs.
    @discardableResult
    public mutating func addRow(_ name: String, _ entries: [(Int, Double)], _ sense: RowSense, _ rhs: Double) -> Int {
        for (column, coefficient) in entries { addEntry(column, coefficient) }
        return finishRow(name, sense, rhs)
    }

    /// The entries of row `row`.
    public func row(_ row: Int) -> [(column: Int, coefficient: Double)] {
        (rowStart[row]..<rowStart[row + 1]).map { (Int(entryColumn[$0]), entryValue[$0]) }
    }

    /// The same coefficients stored column-wise (CSC), rows ascending within a column.
    public func columnMajor() -> (start: [Int], row: [Int32], value: [Double]) {
        var start = [Int](repeating: 0, count: columnCount + 1)
        for c in entryColumn { start[Int(c) + 1] += 1 }
        for c in 0..<columnCount { start[c + 1] += start[c] }
        var next = start
        var rows = [Int32](repeating: 0, count: entryValue.count)
        var values = [Double](repeating: 0, count: entryValue.count)
        for r in 0..<rowCount {
            for e in rowStart[r]..<rowStart[r + 1] {
                let c = Int(entryColumn[e])
                rows[next[c]] = Int32(r)
                values[next[c]] = entryValue[e]
                next[c] += 1
            }
        }
        return (start, rows, values)
    }
}
