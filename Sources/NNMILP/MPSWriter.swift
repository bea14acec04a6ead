import NNIR

/// Writes a model in MPS format.
///
/// The objective is always minimized: a maximization is written negated, with
/// a comment saying so, because GLPK refuses the OBJSENSE extension.
///
/// Free MPS (the default) separates fields by spaces and has no name or
/// number length limits; every number is printed so that it reads back as
/// the same Float64. Fixed MPS places fields in the columns of the original
/// IBM format (names up to 8 characters, numbers in 12-character fields), so
/// it needs short names, and a number that needs more than 12 characters is
/// rounded to fit: `roundedNumbers` reports how many were.
///
/// A user's model (`compile --model`) may bring what nnmip's formulation never
/// makes: ranged rows (written in RANGES: a G row at the lower end whose range
/// reaches the upper end, or an L row the other way when only that reads back
/// exactly) and an objective constant (the objective row's RHS, minus the
/// constant, as HiGHS, CBC, CPLEX and Gurobi read it; GLPK reads the opposite
/// sign). A name with a space cannot be written in free MPS and is refused.
public struct MPSWriter {
    /// Free or fixed layout.
    public enum Layout: Sendable { case free, fixed }

    /// The layout.
    public let layout: Layout
    /// Column and row names.
    public let naming: NamingStyle
    /// Comment lines written at the top (each is prefixed with `* `).
    public let comments: [String]

    /// A writer.
    public init(layout: Layout = .free, naming: NamingStyle = .readable, comments: [String] = []) {
        self.layout = layout
        self.naming = naming
        self.comments = comments
    }

    /// Writes `model` to `out`; returns how many numbers fixed MPS had to round.
    @discardableResult
    public func write(_ model: MILPModel, to out: OutputFile) throws -> Int {
        let columns = NameTable(model.columnNames(naming)), rows = NameTable(model.rowNames(naming))
        if layout == .fixed, max(columns.longest, rows.longest, model.objectiveName.utf8.count) > 8 {
            throw Diagnostic(.usage, "fixed MPS allows names of at most 8 characters", hint: OptionHint(option: "--short-names", "Use --short-names."))
        }
        try FileNameRules.check(model, naming: naming, format: "MPS", advice: "use --short-names", problem: FileNameRules.mpsProblem)
        var lines = LineWriter(out: out, layout: layout, objectiveName: model.objectiveName)
        for comment in comments { out.write("* \(comment)\n") }
        // MPS has no objective sense that every reader accepts (GLPK refuses OBJSENSE), so a
        // maximization is written as the minimization of the negated objective, and said so.
        let objectiveSign = model.sense == .maximize ? -1.0 : 1.0
        if model.sense == .maximize {
            out.write("* maximize: the objective row holds the NEGATED objective; the minimum is minus the maximum\n")
        }
        let name = model.name.isEmpty ? "nnmip" : String(model.name.prefix(layout == .fixed ? 8 : 255).map { $0 == " " ? "_" : $0 })
        // "FREE" after the name tells COIN-OR readers (CBC) not to guess the layout from the columns,
        // which misreads free lines whose names are exactly 8 characters long; other readers ignore it.
        lines.plain("NAME", layout == .free ? "\(name) FREE" : name)
        out.write("ROWS\n")
        lines.row(type: "N", name: model.objectiveName)
        for r in 0..<model.rowCount {
            let type: String
            switch model.rowSense[r] {
            case .lessEqual: type = "L"
            case .greaterEqual: type = "G"
            case .equal: type = "E"
            case .range: type = Self.range(of: model, r).fromLower ? "G" : "L"
            }
            lines.row(type: type, rowName: r, rows)
        }

        out.write("COLUMNS\n")
        let csc = model.columnMajor()
        var inIntegerBlock = false
        var markers = 0
        for c in 0..<model.columnCount {
            if model.columnIsInteger[c] != inIntegerBlock {
                inIntegerBlock.toggle()
                lines.marker(index: markers, start: inIntegerBlock)
                markers += 1
            }
            var pairs = 0
            if model.objective[c] != 0 {
                lines.entry(column: c, columns, rowName: nil, rows, value: objectiveSign * model.objective[c], first: true)
                pairs = 1
            }
            for e in csc.start[c]..<csc.start[c + 1] {
                lines.entry(column: c, columns, rowName: Int(csc.row[e]), rows, value: csc.value[e], first: pairs % 2 == 0)
                pairs += 1
            }
            if pairs == 0 {
                // A column in no row still has to be declared; a zero objective entry does that.
                lines.entry(column: c, columns, rowName: nil, rows, value: 0, first: true)
                pairs = 1
            }
            if pairs % 2 == 1 { lines.endLine() }
        }
        if inIntegerBlock { lines.marker(index: markers, start: false) }

        out.write("RHS\n")
        if model.objectiveOffset != 0 {
            lines.rhs(rowName: nil, rows, value: -objectiveSign * model.objectiveOffset)
        }
        for r in 0..<model.rowCount {
            let rhs = model.rowSense[r] == .range ? Self.range(of: model, r).rhs : model.rowRHS[r]
            if rhs != 0 { lines.rhs(rowName: r, rows, value: rhs) }
        }
        if !model.rangeLower.isEmpty {
            out.write("RANGES\n")
            for r in model.rangeLower.keys.sorted() {
                lines.rhs(rowName: r, rows, value: Self.range(of: model, r).width, set: "RNG")
            }
        }

        out.write("BOUNDS\n")
        for c in 0..<model.columnCount {
            let (lower, upper) = (model.columnLower[c], model.columnUpper[c])
            if lower == upper {
                lines.bound("FX", column: c, columns, value: lower)
            } else if lower == -.infinity && upper == .infinity {
                lines.bound("FR", column: c, columns, value: nil)
            } else {
                // Both ends are always written: readers differ on the defaults
                // (some make an integer column binary, or a negative upper bound's column free below).
                if lower == -.infinity { lines.bound("MI", column: c, columns, value: nil) } else { lines.bound("LO", column: c, columns, value: lower) }
                if upper == .infinity { lines.bound("PL", column: c, columns, value: nil) } else { lines.bound("UP", column: c, columns, value: upper) }
            }
        }
        out.write("ENDATA\n")
        return lines.rounded
    }

    /// How range row `r` is written: from its lower end (a G row) when `lower + width` gives the upper
    /// end back exactly, else from its upper end (an L row), with the RHS and the RANGES width.
    private static func range(of model: MILPModel, _ r: Int) -> (fromLower: Bool, rhs: Double, width: Double) {
        let (lower, upper) = model.rowBounds(r)
        let width = upper - lower
        return lower + width == upper ? (true, lower, width) : (false, upper, width)
    }
}

/// Formats MPS lines in the free or fixed layout.
private struct LineWriter {
    let out: OutputFile
    let layout: MPSWriter.Layout
    /// The objective row's name.
    let objectiveName: String
    /// Numbers fixed MPS had to round.
    var rounded = 0
    /// Column of the next byte on the current line.
    private var position = 0

    init(out: OutputFile, layout: MPSWriter.Layout, objectiveName: String) {
        self.out = out
        self.layout = layout
        self.objectiveName = objectiveName
    }

    mutating func plain(_ keyword: String, _ value: String) {
        out.write(layout == .fixed ? "\(keyword)          \(value)\n" : "\(keyword) \(value)\n")
    }

    mutating func row(type: String, name: String) {
        out.write(" \(type)  \(name)\n")
    }

    mutating func row(type: String, rowName r: Int, _ rows: NameTable) {
        let p = out.reserve(rows.length(r) + 5)
        p[0] = 0x20
        p[1] = type.utf8.first!
        p[2] = 0x20
        p[3] = 0x20
        let n = rows.copy(r, to: p + 4)
        p[4 + n] = 0x0A
        out.advance(n + 5)
    }

    mutating func marker(index: Int, start: Bool) {
        let name = "M\(index)"
        if layout == .fixed {
            out.write("    \(pad(name, 8))  'MARKER'                 '\(start ? "INTORG" : "INTEND")'\n")
        } else {
            out.write("    \(name)  'MARKER'  '\(start ? "INTORG" : "INTEND")'\n")
        }
    }

    /// One (row, value) pair of a column; `first` starts a new line, otherwise the pair completes the line.
    mutating func entry(column c: Int, _ columns: NameTable, rowName r: Int?, _ rows: NameTable, value: Double, first: Bool) {
        let p = out.reserve(columns.length(c) + (r.map(rows.length) ?? 3) + 64)
        // Fixed MPS: fields 2/3/4 start at columns 4/14/24 (0-based), fields 5/6 at 39/49.
        let start = first ? 0 : position
        var n = 0
        if first {
            n = field(p, 4) { columns.copy(c, to: $0) }
            n = padTo(p, n, layout == .fixed ? 14 : n + 2)
        } else {
            n = padTo(p, 0, layout == .fixed ? 39 - start : 2)
        }
        n += name(r, rows, to: p + n)
        n = padTo(p, n, layout == .fixed ? (first ? 24 : 49 - start) : n + 2)
        n += number(value, to: p + n)
        out.advance(n)
        if first { position = n } else { endLine() }
    }

    mutating func endLine() {
        let p = out.reserve(1)
        p[0] = 0x0A
        out.advance(1)
        position = 0
    }

    /// One value of the RHS section (`set` RHS) or of RANGES (`set` RNG) for row `r` (nil: the objective).
    mutating func rhs(rowName r: Int?, _ rows: NameTable, value: Double, set: String = "RHS") {
        let p = out.reserve((r.map(rows.length) ?? objectiveName.utf8.count) + 48)
        var n = field(p, 4) { _ in 0 }
        n += copyASCII(set, to: p + n)
        n = padTo(p, n, layout == .fixed ? 14 : n + 2)
        n += name(r, rows, to: p + n)
        n = padTo(p, n, layout == .fixed ? 24 : n + 2)
        n += number(value, to: p + n)
        p[n] = 0x0A
        out.advance(n + 1)
    }

    mutating func bound(_ type: String, column c: Int, _ columns: NameTable, value: Double?) {
        let p = out.reserve(columns.length(c) + 48)
        p[0] = 0x20
        var n = 1 + copyASCII(type, to: p + 1)
        n = padTo(p, n, 4)
        n += copyASCII("BND", to: p + n)
        n = padTo(p, n, layout == .fixed ? 14 : n + 2)
        n += columns.copy(c, to: p + n)
        if let value {
            n = padTo(p, n, layout == .fixed ? 24 : n + 2)
            n += number(value, to: p + n)
        }
        p[n] = 0x0A
        out.advance(n + 1)
    }

    private func name(_ r: Int?, _ rows: NameTable, to p: UnsafeMutablePointer<UInt8>) -> Int {
        guard let r else { return copyASCII(objectiveName, to: p) }
        return rows.copy(r, to: p)
    }

    /// Writes a number: shortest exact text (free), or text fitted to 12 characters (fixed).
    private mutating func number(_ value: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
        guard layout == .fixed else { return NumberText.write(value, to: p) }
        let (text, wasRounded) = NumberText.fitted(value, width: 12)
        if wasRounded { rounded += 1 }
        return copyASCII(text, to: p)
    }

    /// Four spaces, then what `body` writes.
    private func field(_ p: UnsafeMutablePointer<UInt8>, _ indent: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) -> Int {
        for i in 0..<indent { p[i] = 0x20 }
        return indent + body(p + indent)
    }

    /// Pads with spaces up to column `column` (0-based); at least one space is always written.
    private func padTo(_ p: UnsafeMutablePointer<UInt8>, _ n: Int, _ column: Int) -> Int {
        var n = n
        repeat {
            p[n] = 0x20
            n += 1
        } while n < column
        return n
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private func copyASCII(_ text: String, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for byte in text.utf8 {
            p[n] = byte
            n += 1
        }
        return n
    }
}
