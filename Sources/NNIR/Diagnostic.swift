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

/// How to fix what a diagnostic reports with a command-line option (`--output 'logits'`).
///
/// A command prints it after the message only when the command has the option, so that none
/// suggests an option it lacks; elsewhere (a library user, say) it is part of the description.
public struct OptionHint: Sendable {
    /// The option, as typed: `--output`.
    public var option: String
    /// The advice, a sentence naming the option: "Cut the network before it with --output 'x'."
    public var text: String

    /// A hint to use `option` as `text` says.
    public init(option: String, _ text: String) {
        self.option = option
        self.text = text
    }
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
    /// How to fix it with an option, for the commands that have it.
    public var hint: OptionHint?

    /// Creates a diagnostic, by default an error.
    public init(_ kind: FailureKind, severity: Severity = .error, file: String? = nil, location: String? = nil, _ message: String,
                hint: OptionHint? = nil) {
        self.kind = kind
        self.severity = severity
        self.file = file
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// `file: location: message hint`, the form printed after the severity (`error: `).
    public var description: String {
        description(offering: hint.map { [$0.option] } ?? [])
    }

    /// `file: location: message`, followed by the hint when `options` (those of the command that
    /// reports it) has the hint's option.
    public func description(offering options: Set<String>) -> String {
        let advice = hint.flatMap { options.contains($0.option) ? " " + $0.text : nil } ?? ""
        return [file, location, message + advice].compactMap { $0 }.joined(separator: ": ")
    }

    /// Runs `body`, which reads what a data file says (a spec, bounds, a point): a usage fault it
    /// finds there, such as a name the network lacks or a count its shape does not fit, is the
    /// file's fault, so it becomes malformed input. The command line's own faults stay usage errors.
    public static func readingFileContent<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var diagnostic as Diagnostic where diagnostic.kind == .usage {
            diagnostic.kind = .malformedInput
            throw diagnostic
        }
    }

    /// A copy with `file` filled in if it was not known where the error arose.
    public func inFile(_ path: String) -> Diagnostic {
        var copy = self
        if copy.file == nil { copy.file = path }
        return copy
    }
}
