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
}

/// A user-facing error: what went wrong, in which file, and where in it.
///
/// `location` is whatever lets a user find the place: an ONNX node name and
/// op type, a tensor name, an HDF5 object path, or a line and column.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public var kind: FailureKind
    /// The file concerned, if any.
    public var file: String?
    /// The place in the file, if any.
    public var location: String?
    /// What is wrong, and when possible how to fix it.
    public var message: String

    /// Creates a diagnostic.
    public init(_ kind: FailureKind, file: String? = nil, location: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.location = location
        self.message = message
    }

    /// `file: location: message`, the form printed after `error: `.
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
