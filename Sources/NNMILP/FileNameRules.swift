import NNIR

/// Which column and row names the MPS and LP writers can put in a file so that
/// solvers read them back as the same names.
///
/// nnmip's own names (`h_l1_n0`, `C1A`) always pass; a user's model read from
/// a file (`compile --model`) may have names that one format cannot carry, and
/// the writer then refuses rather than write a file that reads back otherwise.
enum FileNameRules {
    /// The bytes besides letters and digits that the LP readers of HiGHS and CBC
    /// keep inside a name. The others end a name or mean something there
    /// (`+ - * / : < = > [ ] ^ \ |`); HiGHS's reader stops a name at `[`, `-` and `/`.
    private static let lpPunctuation = Set("!\"#$%&'(),.;?@_`{}~".utf8)

    /// The words the LP format reserves (compared ignoring case): a column or row
    /// so named is read as a section keyword or as infinity.
    private static let lpKeywords: Set<String> = [
        "min", "minimize", "minimum", "max", "maximize", "maximum", "st", "s.t.", "subject", "such", "bound", "bounds",
        "inf", "infinity", "free", "gen", "general", "generals", "bin", "binary", "binaries", "semi", "semis",
        "semi-continuous", "sos", "end",
    ]

    /// Why the LP format cannot carry `name`, or nil when it can.
    static func lpProblem(_ name: String) -> String? {
        guard let first = name.utf8.first else { return "it is empty" }
        if first == UInt8(ascii: ".") { return "it starts with '.'" }
        if isDigit(first) { return "it starts with a digit" }
        if let bad = name.utf8.first(where: { !isLetterOrDigit($0) && !lpPunctuation.contains($0) }) {
            return "it contains '\(String(decoding: [bad], as: UTF8.self))'"
        }
        if lpKeywords.contains(name.lowercased()) { return "it is a keyword of the LP format" }
        return nil
    }

    /// Why free MPS cannot carry `name`, or nil when it can: its fields are separated by spaces.
    static func mpsProblem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return "it contains a space" }
        return nil
    }

    /// Throws for the first column or row name of `model` in `naming` that `problem` finds, with `advice`.
    static func check(_ model: MILPModel, naming: NamingStyle, format: String, advice: String,
                      problem: (String) -> String?) throws {
        guard naming == .readable else { return }
        for (kind, names) in [("column", model.columnNames), ("row", model.rowNames)] {
            for name in names {
                guard let reason = problem(name) else { continue }
                throw Diagnostic(.usage, location: "\(kind) '\(name)'", "\(format) cannot carry this name (\(reason)); \(advice)")
            }
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
