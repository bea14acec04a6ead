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

    /// Declares a file the command writes, named by its `option`; nil is skipped. `external`: another
    /// program (HiGHS) writes the bytes, to the file's `writerPath`.
    mutating func writes(_ path: String?, as option: String, external: Bool = false) {
        guard let path else { return }
        outputs.append(OutputSet.Role(option, path, external: external))
    }
}

/// Runs a command body as `reportingErrors` does, with the command's files checked and its
/// outputs opened first; they are committed together when the body succeeds, and none is left
/// behind when it fails. What the body printed on standard output stays, even when an output
/// fails at commit (exit 73).
func reportingErrors(files: CommandFiles, _ body: (OutputSet) throws -> Void) throws {
    try reportingErrors {
        let outputs = try OutputSet(inputs: files.inputs, outputs: files.outputs)
        try body(outputs)
        try outputs.commit()
        // A run that a signal stopped still wrote its report and files; its status says it was stopped.
        try InterruptSignals.exitIfInterrupted()
    }
}
