import NNIR

/// HiGHS's `--solution_file`: a "Model status" section, then "# Primal
/// solution values" with "# Columns N" and N "name value" lines.
public enum HiGHSSolutionParser: SolutionFormatParser {
    public static let formatDescription = "HiGHS"

    public static func recognizes(_ lines: SolutionLines) -> Bool {
        lines.lines.contains("# Primal solution values")
    }

    public static func parse(_ text: SolutionLines) throws -> SolutionFile {
        let lines = text.lines
        var solution = SolutionFile(format: "HiGHS")
        guard let primal = lines.firstIndex(of: "# Primal solution values") else { throw text.failure(at: 0, "no '# Primal solution values' section") }
        if let at = lines.firstIndex(of: "Model status"), at + 1 < lines.count { solution.status = lines[at + 1] }
        if primal + 1 < lines.count, lines[primal + 1] == "None" {
            throw text.failure(at: primal + 1, "HiGHS wrote no solution (model status: \(solution.status ?? "unknown"))")
        }
        guard let start = lines[primal...].firstIndex(where: { $0.hasPrefix("# Columns ") }),
              let count = Int(lines[start].dropFirst("# Columns ".count)), count >= 0 else {
            throw Diagnostic(.malformedInput, file: text.file, "a HiGHS solution without a '# Columns N' section")
        }
        guard count <= lines.count - start - 1 else {
            throw text.failure(at: start, "announces \(count) columns, but the file ends first")
        }
        for i in (start + 1)..<(start + 1 + count) {
            let fields = lines[i].split(separator: " ")
            guard fields.count == 2 else { throw text.failure(at: i, "expected 'name value'") }
            solution.valuesByName[String(fields[0])] = try text.number(fields[1], at: i)
        }
        if let objective = lines.first(where: { $0.hasPrefix("Objective ") }) {
            solution.objective = Double(objective.dropFirst("Objective ".count))
        }
        return solution
    }
}
