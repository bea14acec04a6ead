import NNIR

/// GLPK's raw solution (`glpsol -w`): comment lines `c`, a status line `s`
/// and one `j` line per column, numbered from 1.
public enum GLPKSolutionParser: SolutionFormatParser {
    public static let formatDescription = "GLPK's raw format from glpsol -w"

    /// GLPK's one-letter solution statuses.
    private static let statuses = ["o": "optimal", "f": "feasible", "n": "no feasible solution", "u": "undefined", "i": "infeasible"]

    public static func recognizes(_ lines: SolutionLines) -> Bool {
        lines.first.hasPrefix("c ") || lines.first.hasPrefix("s ")
    }

    public static func parse(_ text: SolutionLines) throws -> SolutionFile {
        var solution = SolutionFile(format: "GLPK")
        for (i, line) in text.lines.enumerated() {
            let fields = line.split(separator: " ")
            guard let kind = fields.first else { continue }
            switch kind {
            case "s":
                // s mip ROWS COLS STATUS OBJ, or s bas ROWS COLS PSTAT DSTAT OBJ
                guard fields.count >= 6 else { throw text.failure(at: i, "a GLPK status line needs at least six fields") }
                solution.status = statuses[String(fields[4])] ?? String(fields[4])
                solution.objective = Double(fields[fields.count - 1])
            case "j":
                // MIP: j COLUMN VALUE; basic LP: j COLUMN STATUS VALUE DUAL.
                guard fields.count == 3 || fields.count == 5, let column = Int(fields[1]), column >= 1 else {
                    throw text.failure(at: i, "expected 'j column value'")
                }
                solution.valuesByColumn[column - 1] = try text.number(fields.count == 3 ? fields[2] : fields[3], at: i)
            default:
                continue
            }
        }
        return solution
    }
}
