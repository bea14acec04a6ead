import NNMIPKit

/// The files a command reads and writes, declared in one place per command (its `files`
/// property), so that one check covers every flag: no output may be one of the inputs or another
/// output (compared by device and inode, exit 64), and every output is opened before the work
/// and committed after it (see `OutputSet`).
struct CommandFiles {
    /// The files read, each with what it is (`the model file`).
    private(set) var inputs: [OutputSet.Role] = []
    /// The files written, each with the option that names it (`-o`, `--names`).
    private(set) var outputs: [OutputSet.Role] = []

    /// Declares a file the command reads, described as `name` (`the --spec file`); nil and `-`
    /// (standard input) are skipped. `hint` ends the refusal when an output is this file.
    mutating func reads(_ path: String?, as name: String, hint: String? = nil) {
        guard let path, path != "-" else { return }
        inputs.append(OutputSet.Role(name, path, hint: hint))
    }

    /// What the command prints on standard output whatever its options say (`the report`), if anything.
    private(set) var printed: String?

    /// Declares a file the command writes, named by its `option`; nil is skipped. `external`: another
    /// program (HiGHS) writes the bytes, to the file's `writerPath`.
    mutating func writes(_ path: String?, as option: String, external: Bool = false) {
        guard let path else { return }
        outputs.append(OutputSet.Role(option, path, external: external))
    }

    /// Declares that the command prints `what` (`the report`, `the answer`) on standard output.
    mutating func prints(_ what: String) {
        printed = what
    }

    /// Refuses (exit 64) a command line that sends two things to standard output, where they would
    /// run together in one stream: `-o -` and `--names -`, or solve's report and `--solution -`.
    func checkStandardOutput() throws {
        let users = (printed.map { [$0] } ?? []) + outputs.filter { $0.path == "-" }.map { "\($0.name) -" }
        guard users.count > 1 else { return }
        throw Diagnostic(.usage, location: users[1], "standard output already carries \(users[0]); give \(users[1].dropLast(2)) a file name")
    }
}

/// Runs a command body as `reportingErrors` does, with the command's files checked and its
/// outputs opened first; they are committed together when the body succeeds, and none is left
/// behind when it fails. What the body printed on standard output stays, even when an output
/// fails at commit (exit 73).
func reportingErrors(files: CommandFiles, _ body: (OutputSet) throws -> Void) throws {
    try reportingErrors {
        try files.checkStandardOutput()
        let outputs = try OutputSet(inputs: files.inputs, outputs: files.outputs)
        try body(outputs)
        try outputs.commit()
        // A run that a signal stopped still wrote its report and files; its status says it was stopped.
        try InterruptSignals.exitIfInterrupted()
    }
}
