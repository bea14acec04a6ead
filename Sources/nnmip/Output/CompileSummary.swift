import NNMIPKit

/// What one MILP file that `compile` wrote holds, for the line it prints on standard error once the
/// file is committed (unless --quiet):
/// `nnmip: wrote m.mps: 1,234 columns (16 binary), 2,345 rows, free MPS; 0.12 s`.
struct CompileSummary {
    /// The file, `-` for standard output.
    var path: String
    var format: MILPFileFormat
    var statistics: FormulationStatistics

    /// The line, without a newline; `seconds` is the time the whole command took.
    func line(seconds: Double) -> String {
        let place = path == "-" ? "standard output" : path
        let compressed = path != "-" && path.hasSuffix(".gz") ? ", gzip" : ""
        return "nnmip: wrote \(place): \(Self.grouped(statistics.variables)) columns (\(Self.grouped(statistics.binaries)) binary), "
            + "\(Self.grouped(statistics.constraints)) rows, \(format.displayName)\(compressed); \(secondsText(seconds, decimals: 2)) s"
    }

    /// `count` with a comma between groups of three digits (1,234,567).
    static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var text = ""
        for (k, digit) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return (count < 0 ? "-" : "") + text
    }
}
