import Foundation
import NNMIPKit

/// The MILP solvers the tests run on the files `nnmip compile` writes: HiGHS
/// (the `highs` binary of the highsbox wheel that `scripts/setup.sh` puts in
/// `.tools/highs`), CBC and GLPK (Debian's `coinor-cbc` and `glpk-utils`).
public enum Solver: String, CaseIterable, Sendable {
    case highs, cbc, glpk

    /// What a solver reported.
    public struct Solution {
        /// The solver's own status word(s), e.g. "Optimal".
        public var status: String
        /// Whether the status says the solution is proven optimal.
        public var optimal: Bool
        /// The objective value, if the solver printed one.
        public var objective: Double?
        /// Column values by name.
        public var values: [String: Double]
    }

    /// Errors that make a solver run useless to a test.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The executable's path.
    public var executable: String {
        switch self {
        case .highs: Paths.root.appendingPathComponent(".tools/highs/highsbox/highs_dist/bin/highs").path
        case .cbc: "/usr/bin/cbc"
        case .glpk: "/usr/bin/glpsol"
        }
    }

    /// Whether the executable is there.
    public var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    /// Nothing when the solver is installed; otherwise a failure in CI and a canceled test elsewhere.
    public func require() throws {
        guard !isInstalled else { return }
        try Requirements.missing(Failure(description: "\(rawValue) is not installed at \(executable): CI must run scripts/setup.sh"),
                                 reason: "\(executable) is missing (scripts/setup.sh installs it)")
    }

    /// Solves the model in `path` (.mps, .lp; `fixedMPS` for fixed-column MPS) and reads the solution.
    /// `highsOptions` are extra lines for HiGHS's options file.
    public func solve(_ path: String, fixedMPS: Bool = false, timeLimit: Int = 60, highsOptions: [String] = []) throws -> Solution {
        let solutionPath = path + ".\(rawValue).sol"
        defer {
            try? FileManager.default.removeItem(atPath: solutionPath)
            try? FileManager.default.removeItem(atPath: path + ".highs.options")
        }
        let isLP = path.hasSuffix(".lp")
        let arguments: [String]
        switch self {
        case .highs:
            // An exact optimum (the default gap is 1e-4), and no Highs.log in the working folder.
            let options = path + ".highs.options"
            let lines = ["mip_rel_gap = 0", "log_file = \"\""] + highsOptions
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: options))
            arguments = ["--model_file", path, "--options_file", options, "--solution_file", solutionPath,
                         "--time_limit", "\(timeLimit)", "--threads", "1"]
        case .cbc:
            // CBC 2.10's presolve and preprocessing wrongly call some models with fixed inputs infeasible
            // (HiGHS and GLPK solve them, and CBC does with both off), so the tests turn them off.
            arguments = [path, "-sec", "\(timeLimit)", "-threads", "1", "-presolve", "off", "-preprocess", "off",
                         "-solve", "-solution", solutionPath]
        case .glpk:
            // GLPK numbers columns in the order it met them, which in an LP file is not the model's
            // order; it writes the problem back in its own format, whose "n j INDEX NAME" lines name them.
            arguments = [isLP ? "--lp" : (fixedMPS ? "--mps" : "--freemps"), path, "--tmlim", "\(timeLimit)", "-w", solutionPath,
                         "--wglp", solutionPath + ".glp"]
        }
        let result = try Tool.run(executable, arguments)
        // HiGHS exits with 1 when it only warned (about a model with no rows, say).
        let succeeded = result.status == 0 || (self == .highs && result.status == 1)
        guard succeeded, let text = try? String(contentsOfFile: solutionPath, encoding: .utf8) else {
            throw Failure(description: "\(rawValue) failed on \(path) (status \(result.status)):\n\(result.stdout.suffix(2000))\n\(result.stderr.suffix(2000))")
        }
        switch self {
        case .highs: return try Self.parseHiGHS(text)
        case .cbc: return try Self.parseCBC(text)
        case .glpk:
            defer { try? FileManager.default.removeItem(atPath: solutionPath + ".glp") }
            let order = try Self.columnOrder(ofGLPK: String(contentsOfFile: solutionPath + ".glp", encoding: .utf8))
            return try Self.parseGLPK(text, columnNames: order)
        }
    }

    /// HiGHS's solution file: "Model status", the status, "# Primal solution values", "Objective v",
    /// "# Columns N", then N lines "name value".
    static func parseHiGHS(_ text: String) throws -> Solution {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count > 1, lines[0] == "Model status" else { throw Failure(description: "not a HiGHS solution file") }
        let status = lines[1]
        var solution = Solution(status: status, optimal: status == "Optimal", objective: nil, values: [:])
        guard let header = lines.firstIndex(where: { $0.hasPrefix("# Columns ") }), let count = Int(lines[header].dropFirst(10)) else {
            return solution
        }
        if let line = lines.first(where: { $0.hasPrefix("Objective ") }) { solution.objective = Double(line.dropFirst(10)) }
        for line in lines[(header + 1)...].prefix(count) {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = Double(fields[1]) { solution.values[String(fields[0])] = value }
        }
        return solution
    }

    /// CBC's `-solution` file: a status line ("Optimal - objective value v"), then
    /// "index name value reducedCost" per nonzero column (columns missing are zero).
    static func parseCBC(_ text: String) throws -> Solution {
        let lines = text.split(separator: "\n").map(String.init)
        guard let first = lines.first else { throw Failure(description: "empty CBC solution file") }
        var solution = Solution(status: first, optimal: first.hasPrefix("Optimal"), objective: nil, values: [:])
        if let range = first.range(of: "objective value ") { solution.objective = Double(first[range.upperBound...].trimmingCharacters(in: .whitespaces)) }
        for line in lines.dropFirst() {
            // A leading "**" marks an infeasibility; the fields follow it.
            let fields = line.replacingOccurrences(of: "**", with: " ").split(separator: " ")
            if fields.count >= 3, Int(fields[0]) != nil, let value = Double(fields[2]) { solution.values[String(fields[1])] = value }
        }
        return solution
    }

    /// The column names of a problem in GLPK's own format, by GLPK's column number ("n j INDEX NAME").
    static func columnOrder(ofGLPK text: String) throws -> [String] {
        var names: [Int: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("n j ") {
            let fields = line.split(separator: " ")
            if fields.count >= 4, let index = Int(fields[2]) { names[index] = String(fields[3]) }
        }
        return (1...max(names.count, 1)).map { names[$0] ?? "" }
    }

    /// GLPK's `-w` solution file: "s mip ROWS COLS STATUS OBJ" (or "s bas ROWS COLS PRIMAL DUAL OBJ"
    /// for an LP), then "j INDEX VALUE" (LP: "j INDEX STATUS VALUE DUAL") per column, at full precision.
    static func parseGLPK(_ text: String, columnNames: [String]) throws -> Solution {
        let lines = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        guard let status = lines.first(where: { $0.first == "s" }), status.count >= 6 else { throw Failure(description: "not a GLPK solution file") }
        let isMIP = status[1] == "mip"
        let optimal = isMIP ? status[4] == "o" : (status[4] == "f" && status[5] == "f")
        var solution = Solution(status: status.dropFirst().joined(separator: " "), optimal: optimal, objective: Double(status.last!), values: [:])
        for fields in lines where fields.first == "j" {
            guard let index = Int(fields[1]), index >= 1, index <= columnNames.count,
                  let value = Double(fields[isMIP ? 2 : 3]) else { continue }
            solution.values[columnNames[index - 1]] = value
        }
        return solution
    }
}

/// The embedded HiGHS (loaded at run time) for in-process tests.
public enum EmbeddedHiGHS {
    /// The library; when it cannot be loaded, a failure in CI and a canceled test elsewhere.
    public static func require() throws -> HiGHSLibrary {
        do {
            return try HiGHSLibrary.load()
        } catch {
            try Requirements.missing(error, reason: "\(error)")
        }
    }
}
