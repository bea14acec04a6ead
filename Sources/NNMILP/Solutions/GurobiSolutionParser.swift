import Foundation
import NNIR

/// Gurobi's `.sol`: comment lines, one of them "# Objective value = X", then
/// "name value" lines.
public enum GurobiSolutionParser: SolutionFormatParser {
    public static let formatDescription = "Gurobi"

    public static func recognizes(_ lines: SolutionLines) -> Bool {
        lines.first.hasPrefix("#")
    }

    public static func parse(_ text: SolutionLines) throws -> SolutionFile {
        var solution = SolutionFile(format: "Gurobi")
        for (i, line) in text.lines.enumerated() where !line.isEmpty {
            if line.hasPrefix("#") {
                if let equals = line.range(of: "Objective value =") {
                    solution.objective = Double(line[equals.upperBound...].trimmingCharacters(in: .whitespaces))
                }
                continue
            }
            let fields = line.split(separator: " ")
            guard fields.count == 2 else { throw text.failure(at: i, "expected 'name value'") }
            solution.valuesByName[String(fields[0])] = try text.number(fields[1], at: i)
        }
        return solution
    }
}
