import Foundation

/// The text formats `compile` writes.
public enum MILPFileFormat: String, CaseIterable, Sendable {
    /// Free MPS.
    case mps
    /// Fixed (column-positioned) MPS.
    case fixedMPS = "fixed-mps"
    /// CPLEX LP.
    case lp

    /// The format a file name implies (`.lp`, `.lp.gz` → LP; otherwise MPS), or nil if the name says nothing.
    public static func implied(by path: String) -> MILPFileFormat? {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        if name.hasSuffix(".lp") { return .lp }
        if name.hasSuffix(".mps") { return .mps }
        return nil
    }

    /// The usual file extension.
    public var fileExtension: String { self == .lp ? "lp" : "mps" }

    /// The format's name in messages: `free MPS`, `fixed MPS` or `CPLEX LP`.
    public var displayName: String {
        switch self {
        case .mps: "free MPS"
        case .fixedMPS: "fixed MPS"
        case .lp: "CPLEX LP"
        }
    }

    /// Writes `model` to `path` (`-` for standard output) in this format, atomically.
    /// Returns how many numbers had to be rounded (fixed MPS only).
    @discardableResult
    public func write(_ model: MILPModel, to path: String, naming: NamingStyle, comments: [String]) throws -> Int {
        let out = try OutputFile(path: path)
        let rounded = try write(model, to: out, naming: naming, comments: comments)
        try out.commit()
        return rounded
    }

    /// Writes `model` into `out` in this format; the caller commits `out` (with the command's other
    /// outputs). Returns how many numbers had to be rounded (fixed MPS only).
    @discardableResult
    public func write(_ model: MILPModel, to out: OutputFile, naming: NamingStyle, comments: [String]) throws -> Int {
        switch self {
        case .mps: return try MPSWriter(layout: .free, naming: naming, comments: comments).write(model, to: out)
        case .fixedMPS: return try MPSWriter(layout: .fixed, naming: naming, comments: comments).write(model, to: out)
        case .lp:
            try LPWriter(naming: naming, comments: comments).write(model, to: out)
            return 0
        }
    }
}
