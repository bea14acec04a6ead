import Foundation
import NNIR

/// nnmip's own solution of a model with embedded networks, as `solve --model
/// --solution FILE` writes it (JSON of format `nnmip-embedded-solution-1`):
/// its status, objective and the value of every column by name in `columns`.
public enum NNMIPSolutionParser: SolutionFormatParser {
    public static let formatDescription = "nnmip's JSON (solve --model --solution)"

    /// The format name the JSON carries.
    static let format = "nnmip-embedded-solution-1"

    public static func recognizes(_ lines: SolutionLines) -> Bool {
        lines.first.hasPrefix("{") && lines.lines.contains { $0.contains("\"\(format)\"") }
    }

    private struct Document: Decodable {
        var format: String
        var status: String?
        var objective: Double?
        var columns: [String: Double?]?
    }

    public static func parse(_ text: SolutionLines) throws -> SolutionFile {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(text.lines.joined(separator: "\n").utf8))
        } catch {
            throw Diagnostic(.malformedInput, file: text.file, "not the JSON that 'nnmip solve --model --solution' writes (\(error.localizedDescription))")
        }
        guard document.format == format, let columns = document.columns else {
            throw Diagnostic(.malformedInput, file: text.file, "has no \"columns\": 'nnmip solve --model --solution' writes them when it found a solution")
        }
        var solution = SolutionFile(format: "NNMIP", status: document.status, objective: document.objective)
        // A column whose value was not a finite number is written as null; it reads back as NaN, which the check refuses.
        for (name, value) in columns { solution.valuesByName[name] = value ?? .nan }
        return solution
    }
}
