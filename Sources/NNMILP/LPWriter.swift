import NNIR

/// Writes a model in the CPLEX LP format, which HiGHS, CBC, GLPK, SCIP and
/// Gurobi all read. Long rows are wrapped so no line exceeds about 250
/// characters (some readers limit line length); every number reads back as
/// the same Float64.
///
/// A user's model (`compile --model`) may bring what the format cannot carry
/// in every reader: a ranged row (HiGHS's LP reader refuses `lo <= expr <= hi`,
/// CBC's drops an end) or a name that a reader cuts short or takes for a
/// keyword (see `FileNameRules`); the writer then refuses and says to write
/// MPS. An objective constant is written as a constant term (HiGHS and CBC
/// read it; GLPK refuses it).
public struct LPWriter {
    /// Column and row names.
    public let naming: NamingStyle
    /// Comment lines written at the top (each is prefixed with `\ `).
    public let comments: [String]

    /// Where a line is broken.
    static let lineWidth = 250

    /// A writer.
    public init(naming: NamingStyle = .readable, comments: [String] = []) {
        self.naming = naming
        self.comments = comments
    }

    /// Writes `model` to `out`.
    /// - Throws: `Diagnostic(.usage)` for a ranged row or a name the format cannot carry.
    public func write(_ model: MILPModel, to out: OutputFile) throws {
        if let r = model.rangeLower.keys.min() {
            throw Diagnostic(.usage, location: "row '\(model.rowNames[r])'",
                             "has both a lower and an upper end, which not every LP reader reads back (HiGHS refuses it); write MPS")
        }
        try FileNameRules.check(model, naming: naming, format: "the LP format", advice: "write MPS (-o FILE.mps)",
                                problem: FileNameRules.lpProblem)
        let columns = NameTable(model.columnNames(naming)), rows = NameTable(model.rowNames(naming))
        for comment in comments { out.write("\\ \(comment)\n") }
        out.write(model.sense == .maximize ? "Maximize\n" : "Minimize\n")
        var line = Line(out: out)
        line.text(" \(model.objectiveName):")
        // A column that is in no row must still appear somewhere other than Bounds (CBC refuses it
        // otherwise), so it gets a zero objective term; so does the first column of an empty objective.
        var inSomeRow = [Bool](repeating: false, count: model.columnCount)
        for c in model.entryColumn { inSomeRow[Int(c)] = true }
        var anyTerm = false
        for c in 0..<model.columnCount where model.objective[c] != 0 || !inSomeRow[c] {
            line.term(model.objective[c], column: c, columns)
            anyTerm = true
        }
        if !anyTerm, model.columnCount > 0 { line.term(0, column: 0, columns) }
        if model.objectiveOffset != 0 {
            line.text(model.objectiveOffset < 0 ? " - " : " + ")
            line.number(abs(model.objectiveOffset))
        }
        line.end()

        out.write("Subject To\n")
        if model.rowCount == 0, model.columnCount > 0 {
            // GLPK and CBC refuse an empty constraints section; this row holds for every point.
            line.text(" no_rows:")
            line.term(0, column: 0, columns)
            line.text(" >= 0")
            line.end()
        }
        for r in 0..<model.rowCount {
            line.text(" ")
            line.name(r, rows)
            line.text(":")
            if model.rowStart[r] == model.rowStart[r + 1] {
                line.term(0, column: 0, columns)
            }
            for e in model.rowStart[r]..<model.rowStart[r + 1] {
                line.term(model.entryValue[e], column: Int(model.entryColumn[e]), columns)
            }
            switch model.rowSense[r] {
            case .lessEqual: line.text(" <= ")
            case .greaterEqual: line.text(" >= ")
            case .equal: line.text(" = ")
            case .range: preconditionFailure("ranged rows are refused above")
            }
            line.number(model.rowRHS[r])
            line.end()
        }

        out.write("Bounds\n")
        for c in 0..<model.columnCount {
            let (lower, upper) = (model.columnLower[c], model.columnUpper[c])
            line.text(" ")
            if lower == upper {
                line.name(c, columns)
                line.text(" = ")
                line.number(lower)
            } else if lower == -.infinity && upper == .infinity {
                line.name(c, columns)
                line.text(" free")
            } else {
                if lower == -.infinity { line.text("-inf") } else { line.number(lower) }
                line.text(" <= ")
                line.name(c, columns)
                line.text(" <= ")
                if upper == .infinity { line.text("+inf") } else { line.number(upper) }
            }
            line.end()
        }

        let integers = (0..<model.columnCount).filter { model.columnIsInteger[$0] }
        let binaries = integers.filter { model.columnLower[$0] == 0 && model.columnUpper[$0] == 1 }
        let generals = integers.filter { !(model.columnLower[$0] == 0 && model.columnUpper[$0] == 1) }
        for (heading, list) in [("Binaries", binaries), ("Generals", generals)] where !list.isEmpty {
            out.write("\(heading)\n")
            for c in list {
                line.text(" ")
                line.name(c, columns)
                line.end()
            }
        }
        out.write("End\n")
    }
}

/// One logical LP line, wrapped onto continuation lines when it grows long.
private struct Line {
    let out: OutputFile
    private var width = 0

    init(out: OutputFile) {
        self.out = out
    }

    mutating func text(_ text: String) {
        out.write(text)
        width += text.utf8.count
    }

    mutating func name(_ i: Int, _ table: NameTable) {
        let p = out.reserve(table.length(i))
        let n = table.copy(i, to: p)
        out.advance(n)
        width += n
    }

    mutating func number(_ value: Double) {
        let p = out.reserve(NumberText.maximumLength)
        let n = NumberText.write(value, to: p)
        out.advance(n)
        width += n
    }

    /// ` + c name` or ` - c name`, breaking the line first if it is long.
    mutating func term(_ coefficient: Double, column: Int, _ columns: NameTable) {
        if width > LPWriter.lineWidth {
            out.write("\n   ")
            width = 3
        }
        let sign: UInt8 = coefficient < 0 || (coefficient == 0 && coefficient.sign == .minus) ? 0x2D : 0x2B
        let p = out.reserve(NumberText.maximumLength + columns.length(column) + 4)
        p[0] = 0x20
        p[1] = sign
        p[2] = 0x20
        var n = 3 + NumberText.write(abs(coefficient), to: p + 3)
        p[n] = 0x20
        n += 1
        n += columns.copy(column, to: p + n)
        out.advance(n)
        width += n
    }

    mutating func end() {
        out.write("\n")
        width = 0
    }
}
