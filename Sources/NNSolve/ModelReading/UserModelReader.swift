import Foundation
import NNIR
import NNMILP

/// Reads a user's optimization model (MPS or LP, gzipped or not) with HiGHS's
/// own reader (`Highs_readModel`, then `Highs_getLp` and the name functions):
/// the parser users already trust, not a new one.
///
/// Only a MILP is accepted. What HiGHS reads but a MILP cannot hold is refused
/// with the feature named (`Diagnostic(.unsupported)`, exit 1): a quadratic
/// objective, quadratic rows, SOS constraints, semi-continuous and
/// semi-integer columns, an objective sense that is unknown. Rows with no
/// finite end constrain nothing and are left out (HiGHS drops an MPS file's
/// extra N rows itself).
public enum UserModelReader {
    /// The file name endings HiGHS's reader knows, by format.
    public static let extensions = [".mps", ".mps.gz", ".lp", ".lp.gz"]

    /// Reads the model in `path` with the HiGHS of `library`.
    /// - Throws: `Diagnostic` with kind `.usage` for a name HiGHS cannot tell the format of, `.io` for
    ///   a file that cannot be read, `.malformedInput` with HiGHS's own messages for a file it cannot
    ///   parse, `.unsupported` for content that is not a MILP.
    public static func read(_ path: String, library: HiGHSLibrary) throws -> UserModel {
        guard extensions.contains(where: { path.lowercased().hasSuffix($0) }) else {
            throw Diagnostic(.usage, file: path, "cannot tell the model's format from its name; HiGHS reads \(extensions.joined(separator: ", "))")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw Diagnostic(.io, file: path, "cannot read the model file")
        }
        let isMPS = path.lowercased().hasSuffix(".mps") || path.lowercased().hasSuffix(".mps.gz")
        let header = isMPS ? MPSHeader.read(path) : MPSHeader()
        let declared = try header.declaredSense(file: path)
        let stored = try readWithHiGHS(path, library: library)
        var model = try milp(from: stored, file: path)
        if let declared { model.sense = declared }
        return try UserModel(file: path, milp: model, commentedSense: header.commentedSense)
    }

    /// The model HiGHS reads from `path`; when it cannot, its log's error lines say why.
    private static func readWithHiGHS(_ path: String, library: HiGHSLibrary) throws -> HiGHSStoredModel {
        let solver = try HiGHSSolver(library: library)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-read-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        try solver.writeLog(to: log)
        do {
            try solver.readModel(path)
        } catch is HiGHSError {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw readFailure(path, errors: text.split(separator: "\n").compactMap { line in
                line.hasPrefix("ERROR:") ? line.dropFirst("ERROR:".count).trimmingCharacters(in: .whitespaces) : nil
            })
        }
        try solver.setOption("output_flag", false)
        return try solver.storedModel()
    }

    /// The diagnostic for a file HiGHS could not read, from the error lines of its log.
    private static func readFailure(_ path: String, errors: [String]) -> Diagnostic {
        let unsupported = [("Quadratic rows", "quadratic rows"), ("Quadratic constraints", "quadratic rows"), ("SOS", "SOS constraints")]
        for (marker, feature) in unsupported where errors.contains(where: { $0.contains(marker) }) {
            return Diagnostic(.unsupported, file: path, "the model has \(feature), which a MILP cannot hold; nnmip embeds networks in MILPs only")
        }
        let reasons = errors.isEmpty ? "" : ": " + errors.joined(separator: "; ")
        return Diagnostic(.malformedInput, file: path, "HiGHS cannot read the model\(reasons)")
    }

    /// The MILP of `stored`, after refusing what a MILP cannot hold.
    private static func milp(from stored: HiGHSStoredModel, file: String) throws -> MILPModel {
        guard stored.hessianNonzeros == 0 else {
            throw Diagnostic(.unsupported, file: file, "the objective is quadratic (\(stored.hessianNonzeros) Hessian nonzeros), which a MILP cannot hold; nnmip embeds networks in MILPs only")
        }
        let sense: MILPModel.Sense
        switch stored.sense {
        case 1: sense = .minimize
        case -1: sense = .maximize
        default: throw Diagnostic(.unsupported, file: file, "HiGHS gives the objective sense \(stored.sense), which is neither minimize nor maximize; give --sense")
        }
        var model = MILPModel(name: modelName(file))
        model.sense = sense
        model.objectiveOffset = stored.offset
        for c in 0..<stored.columnCount {
            let name = stored.columnNames[c]
            let integer: Bool
            switch stored.integrality[c] {
            case HiGHSSolver.VariableType.continuous: integer = false
            case HiGHSSolver.VariableType.integer, HiGHSSolver.VariableType.implicitInteger: integer = true
            case HiGHSSolver.VariableType.semiContinuous, HiGHSSolver.VariableType.semiInteger:
                let kind = stored.integrality[c] == HiGHSSolver.VariableType.semiContinuous ? "semi-continuous" : "semi-integer"
                throw Diagnostic(.unsupported, file: file, location: "column '\(name)'",
                                 "is \(kind), which a MILP cannot hold without a reformulation; write it as a binary and two rows")
            default:
                throw Diagnostic(.unsupported, file: file, location: "column '\(name)'", "has HiGHS variable type \(stored.integrality[c]), which nnmip does not know")
            }
            model.addColumn(name, lower: stored.columnLower[c], upper: stored.columnUpper[c], integer: integer)
            model.setObjective(c, stored.columnCost[c])
        }
        try addRows(of: stored, to: &model, file: file)
        return model
    }

    /// Adds the rows of `stored`, turning its column-wise matrix into rows.
    private static func addRows(of stored: HiGHSStoredModel, to model: inout MILPModel, file: String) throws {
        var rowStart = [Int](repeating: 0, count: stored.rowCount + 1)
        for r in stored.rowIndex { rowStart[Int(r) + 1] += 1 }
        for r in 0..<stored.rowCount { rowStart[r + 1] += rowStart[r] }
        var next = rowStart
        var entryColumn = [Int](repeating: 0, count: stored.value.count), entryValue = [Double](repeating: 0, count: stored.value.count)
        for c in 0..<stored.columnCount {
            for e in stored.columnStart[c]..<stored.columnStart[c + 1] {
                let r = Int(stored.rowIndex[e])
                entryColumn[next[r]] = c
                entryValue[next[r]] = stored.value[e]
                next[r] += 1
            }
        }
        for r in 0..<stored.rowCount {
            let (lower, upper) = (stored.rowLower[r], stored.rowUpper[r])
            if lower == -.infinity && upper == .infinity { continue }
            guard lower <= upper else {
                throw Diagnostic(.unsupported, file: file, location: "row '\(stored.rowNames[r])'",
                                 "its lower end \(lower) is above its upper end \(upper): no point meets it")
            }
            for e in rowStart[r]..<rowStart[r + 1] { model.addEntry(entryColumn[e], entryValue[e]) }
            model.finishRow(stored.rowNames[r], lower: lower, upper: upper)
        }
    }

    /// `base` for `folder/base.mps.gz`.
    private static func modelName(_ path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".gz", ".mps", ".lp", ".MPS", ".LP"] where name.hasSuffix(suffix) { name = String(name.dropLast(suffix.count)) }
        return name
    }
}
