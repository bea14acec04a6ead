import Foundation
import NNIR

/// SCIP's `write solution`: an optional "solution status:" line, "objective
/// value: X", then "name value (obj:c)" for every variable that is not zero.
public enum SCIPSolutionParser: SolutionFormatParser {
    public static let formatDescription = "SCIP"

    public static func recognizes(_ lines: SolutionLines) -> Bool {
        lines.first.hasPrefix("solution status:") || lines.first.hasPrefix("objective value:")
    }

    public static func parse(_ text: SolutionLines) throws -> SolutionFile {
        var solution = SolutionFile(format: "SCIP", omitsZeros: true)
        for (i, line) in text.lines.enumerated() where !line.isEmpty {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if line.hasPrefix("solution status:") {
                solution.status = String(line.dropFirst("solution status:".count)).trimmingCharacters(in: .whitespaces)
                continue
            }
            if line.hasPrefix("objective value:") {
                solution.objective = Double(fields.last ?? "")
                continue
            }
            guard fields.count >= 2 else { throw text.failure(at: i, "expected 'name value'") }
            solution.valuesByName[String(fields[0])] = try text.number(fields[1], at: i)
        }
        return solution
    }
}
