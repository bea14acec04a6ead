import Foundation
import NNIR

/// CBC's `-solve -solu`: a status line ("Optimal - objective value -0.16",
/// "Stopped on time - objective value ..."), then "index name value
/// reduced-cost" rows, marked "**" where infeasible, for the columns that are not zero.
public enum CBCSolutionParser: SolutionFormatParser {
    public static let formatDescription = "CBC"

    private static let statusSeparator = " - objective value "

    public static func recognizes(_ lines: SolutionLines) -> Bool {
        lines.first.range(of: statusSeparator) != nil
    }

    public static func parse(_ text: SolutionLines) throws -> SolutionFile {
        let first = text.first
        guard let dash = first.range(of: statusSeparator) else { throw text.failure(at: 0, "no CBC status line") }
        var solution = SolutionFile(format: "CBC", status: String(first[..<dash.lowerBound]).lowercased(),
                                    objective: Double(first[dash.upperBound...].trimmingCharacters(in: .whitespaces)), omitsZeros: true)
        for (i, line) in text.lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: " ").filter { $0 != "**" }
            guard fields.count >= 3, Int(fields[0]) != nil else { throw text.failure(at: i, "expected 'index name value reduced-cost'") }
            solution.valuesByName[String(fields[1])] = try text.number(fields[2], at: i)
        }
        return solution
    }
}
