import Foundation

/// A solution file written by a MILP solver for a model that `compile` wrote:
/// the solver's status and objective when the file says them, and the value of
/// every variable it lists, by name or (GLPK) by column number.
///
/// Read formats: HiGHS (`--solution_file`), CBC (`-solve -solu`), GLPK's raw
/// solution (`glpsol -w`), SCIP (`write solution`) and Gurobi (`.sol`); the
/// format is recognised from the content.
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

    /// Reads and parses the file at `path`.
    public static func read(_ path: String) throws -> SolutionFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(.io, file: path, "cannot read the solution file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses solution text; `file` names it in diagnostics.
    public static func parse(_ text: String, file: String) throws -> SolutionFile {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        func fail(_ line: Int, _ message: String) -> Diagnostic {
            Diagnostic(.malformedInput, file: file, location: "line \(line + 1)", message)
        }
        func number(_ text: Substring, line: Int) throws -> Double {
            guard let value = Double(text) else { throw fail(line, "'\(text)' is not a number") }
            return value
        }
        let first = lines.first { !$0.isEmpty } ?? ""

        if let primal = lines.firstIndex(of: "# Primal solution values") {
            var solution = SolutionFile(format: "HiGHS")
            if let at = lines.firstIndex(of: "Model status"), at + 1 < lines.count { solution.status = lines[at + 1] }
            if primal + 1 < lines.count, lines[primal + 1] == "None" {
                throw Diagnostic(.malformedInput, file: file, location: "line \(primal + 2)", "HiGHS wrote no solution (model status: \(solution.status ?? "unknown"))")
            }
            guard let start = lines[primal...].firstIndex(where: { $0.hasPrefix("# Columns ") }),
                  let count = Int(lines[start].dropFirst("# Columns ".count)), count >= 0 else {
                throw Diagnostic(.malformedInput, file: file, "a HiGHS solution without a '# Columns N' section")
            }
            guard count <= lines.count - start - 1 else {
                throw Diagnostic(.malformedInput, file: file, location: "line \(start + 1)", "announces \(count) columns, but the file ends first")
            }
            for i in (start + 1)..<(start + 1 + count) {
                let fields = lines[i].split(separator: " ")
                guard fields.count == 2 else { throw fail(i, "expected 'name value'") }
                solution.valuesByName[String(fields[0])] = try number(fields[1], line: i)
            }
            if let objective = lines.first(where: { $0.hasPrefix("Objective ") }) {
                solution.objective = Double(objective.dropFirst("Objective ".count))
            }
            return solution
        }

        if first.hasPrefix("c ") || first.hasPrefix("s ") {
            var solution = SolutionFile(format: "GLPK")
            for (i, line) in lines.enumerated() {
                let fields = line.split(separator: " ")
                guard let kind = fields.first else { continue }
                switch kind {
                case "s":
                    // s mip ROWS COLS STATUS OBJ, or s bas ROWS COLS PSTAT DSTAT OBJ
                    guard fields.count >= 6 else { throw fail(i, "a GLPK status line needs at least six fields") }
                    let codes = ["o": "optimal", "f": "feasible", "n": "no feasible solution", "u": "undefined", "i": "infeasible"]
                    solution.status = codes[String(fields[4])] ?? String(fields[4])
                    solution.objective = Double(fields[fields.count - 1])
                case "j":
                    // MIP: j COLUMN VALUE; basic LP: j COLUMN STATUS VALUE DUAL.
                    guard fields.count == 3 || fields.count == 5, let column = Int(fields[1]), column >= 1 else {
                        throw fail(i, "expected 'j column value'")
                    }
                    solution.valuesByColumn[column - 1] = try number(fields.count == 3 ? fields[2] : fields[3], line: i)
                default:
                    continue
                }
            }
            return solution
        }

        if first.hasPrefix("solution status:") || first.hasPrefix("objective value:") {
            // SCIP: an optional status line, "objective value: X", then "name value (obj:c)" for every
            // variable that is not zero.
            var solution = SolutionFile(format: "SCIP", omitsZeros: true)
            for (i, line) in lines.enumerated() where !line.isEmpty {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if line.hasPrefix("solution status:") {
                    solution.status = String(line.dropFirst("solution status:".count)).trimmingCharacters(in: .whitespaces)
                    continue
                }
                if line.hasPrefix("objective value:") {
                    solution.objective = Double(fields.last ?? "")
                    continue
                }
                guard fields.count >= 2 else { throw fail(i, "expected 'name value'") }
                solution.valuesByName[String(fields[0])] = try number(fields[1], line: i)
            }
            return solution
        }

        if first.hasPrefix("#") {
            // Gurobi: comment lines, one of them "# Objective value = X", then "name value" lines.
            var solution = SolutionFile(format: "Gurobi")
            for (i, line) in lines.enumerated() where !line.isEmpty {
                if line.hasPrefix("#") {
                    if let equals = line.range(of: "Objective value =") { solution.objective = Double(line[equals.upperBound...].trimmingCharacters(in: .whitespaces)) }
                    continue
                }
                let fields = line.split(separator: " ")
                guard fields.count == 2 else { throw fail(i, "expected 'name value'") }
                solution.valuesByName[String(fields[0])] = try number(fields[1], line: i)
            }
            return solution
        }

        // CBC: a status line ("Optimal - objective value -0.16", "Stopped on time - objective value ..."),
        // then "index name value reduced-cost" rows, marked "**" where infeasible.
        if let dash = first.range(of: " - objective value ") {
            var solution = SolutionFile(format: "CBC", status: String(first[..<dash.lowerBound]).lowercased(),
                                        objective: Double(first[dash.upperBound...].trimmingCharacters(in: .whitespaces)))
            for (i, line) in lines.enumerated().dropFirst() where !line.isEmpty {
                let fields = line.split(separator: " ").filter { $0 != "**" }
                guard fields.count >= 3, Int(fields[0]) != nil else { throw fail(i, "expected 'index name value reduced-cost'") }
                solution.valuesByName[String(fields[1])] = try number(fields[2], line: i)
            }
            return solution
        }
        throw Diagnostic(.malformedInput, file: file, location: "line 1",
                         "not a solution file nnmip reads (HiGHS, CBC, GLPK's raw format from glpsol -w, SCIP or Gurobi)")
    }
}
