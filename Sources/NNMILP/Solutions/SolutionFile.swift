import Foundation
import NNIR
import NNInput

/// A solution file written by a MILP solver for a model that `compile` wrote:
/// the solver's status and objective when the file says them, and the value of
/// every variable it lists, by name or (GLPK) by column number.
///
/// The format is recognized from the content, by the first parser in
/// `SolutionFile.parsers` that claims it; each solver's format has its own
/// file in this folder.
public struct SolutionFile: Sendable {
    /// Which solver's format the file is in.
    public var format: String
    /// The status in the solver's words, if the file gives one.
    public var status: String?
    /// The objective value, if the file gives one.
    public var objective: Double?
    /// Variable values by name.
    public var valuesByName: [String: Double] = [:]
    /// Variable values by column number from 0 (GLPK's raw format numbers columns).
    public var valuesByColumn: [Int: Double] = [:]
    /// Whether the format leaves out variables whose value is zero (SCIP's does).
    public var omitsZeros = false

    /// The formats nnmip reads, in the order they are tried: nnmip's own JSON and HiGHS's solution
    /// file have a marker of their own, CBC's is recognized by its status line alone, so it comes last.
    public static let parsers: [any SolutionFormatParser.Type] = [
        NNMIPSolutionParser.self, HiGHSSolutionParser.self, GLPKSolutionParser.self, SCIPSolutionParser.self, GurobiSolutionParser.self,
        CBCSolutionParser.self,
    ]

    /// Reads and parses the file at `path` (`-`: standard input; gzipped or not).
    public static func read(_ path: String) throws -> SolutionFile {
        let input = try InputFile.read(path, for: "the solution")
        return try parse(String(decoding: input.bytes, as: UTF8.self), file: input.name)
    }

    /// Parses solution text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String) throws -> SolutionFile {
        let lines = SolutionLines(text: text, file: file)
        guard let parser = parsers.first(where: { $0.recognizes(lines) }) else {
            let known = parsers.map { $0.formatDescription }
            throw Diagnostic(.malformedInput, file: file, location: "line 1",
                             "not a solution file nnmip reads (\(known.dropLast().joined(separator: ", ")) or \(known.last!))")
        }
        return try parser.parse(lines)
    }
}

/// One solver's solution format.
public protocol SolutionFormatParser {
    /// The format as error messages list it (for example "GLPK's raw format from glpsol -w").
    static var formatDescription: String { get }
    /// Whether the text is in this format (from its first lines or section markers).
    static func recognizes(_ lines: SolutionLines) -> Bool
    /// The solution the text holds.
    static func parse(_ lines: SolutionLines) throws -> SolutionFile
}

/// The lines of a solution file, trimmed, with the helpers every parser uses
/// to report a problem at its line.
public struct SolutionLines: Sendable {
    /// Every line, trimmed of spaces, in order (empty lines kept, so indices are line numbers from 0).
    public let lines: [String]
    /// The file, for diagnostics.
    public let file: String

    /// Splits `text` into trimmed lines.
    public init(text: String, file: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        self.file = file
    }

    /// The first non-empty line, or "" when there is none.
    public var first: String { lines.first { !$0.isEmpty } ?? "" }

    /// A diagnostic at line `index` (from 0).
    public func failure(at index: Int, _ message: String) -> Diagnostic {
        Diagnostic(.malformedInput, file: file, location: "line \(index + 1)", message)
    }

    /// The number `text` on line `index`, or a diagnostic naming it.
    public func number(_ text: Substring, at index: Int) throws -> Double {
        guard let value = Double(text) else { throw failure(at: index, "'\(text)' is not a number") }
        return value
    }
}
