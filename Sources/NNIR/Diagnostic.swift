/// The kinds of failure nnmip reports; the command-line tool maps each to a
/// documented exit status.
public enum FailureKind: Sendable {
    /// An input file could not be opened or read.
    case io
    /// An output file could not be created or written.
    case cannotWrite
    /// The input is malformed: not a model, inconsistent shapes, NaN weights, bad JSON.
    case malformedInput
    /// The input is well formed but uses something nnmip cannot encode exactly.
    case unsupported
    /// A command-line value is wrong (a tensor name that does not exist, say).
    case usage
    /// Something the command needs outside nnmip is missing: the HiGHS library.
    case unavailable
    /// nnmip's own check of its result failed (a formulation or numerics bug), not the user's input.
    case `internal`
    /// A solution read back (`solution read`) lies outside the input domain or violates the spec's constraints.
    case infeasibleSolution
    /// A solution read back gives output values that the network does not compute at its inputs.
    case mismatchedSolution
}

/// How serious a diagnostic is, as compilers grade theirs.
public enum Severity: String, Sendable {
    /// The command failed; the process exits with the kind's status.
    case error
    /// The command went on, but the result is not quite what was asked for (numbers rounded, say).
    case warning
}

/// A user-facing message: what went wrong, in which file, and where in it.
/// Errors are thrown; warnings are reported and the work goes on.
///
/// `location` is whatever lets a user find the place: an ONNX node name and
/// op type, a tensor name, an HDF5 object path, or a line and column.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is (for a warning: the failure it stops short of).
    public var kind: FailureKind
    /// How serious it is.
    public var severity: Severity
    /// The file concerned, if any.
    public var file: String?
    /// The place in the file, if any.
    public var location: String?
    /// What is wrong, and when possible how to fix it.
    public var message: String

    /// Creates a diagnostic, by default an error.
    public init(_ kind: FailureKind, severity: Severity = .error, file: String? = nil, location: String? = nil, _ message: String) {
        self.kind = kind
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
    }

    /// `file: location: message`, the form printed after the severity (`error: `).
    public var description: String {
        [file, location, message].compactMap { $0 }.joined(separator: ": ")
    }

    /// A copy with `file` filled in if it was not known where the error arose.
    public func inFile(_ path: String) -> Diagnostic {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }
}
