import ArgumentParser

/// The `nnmip` command: compiles trained neural networks into mixed-integer linear programs.
@main
struct NNMIP: ParsableCommand {
    /// Runs the command. A bare `--stats` means `--stats=summary`: the
    /// argument parser has no options with optional values, and `--stats`
    /// alone is what users type.
    static func main() {
        let arguments = CommandLine.arguments.dropFirst().map { $0 == "--stats" ? "--stats=summary" : $0 }
        main(Array(arguments))
    }

    static let configuration = CommandConfiguration(
        commandName: "nnmip",
        abstract: "Compile trained ReLU networks into mixed-integer linear programs.",
        discussion: """
            nnmip reads a trained network (ONNX .onnx, Keras .h5 or .keras, or nnmip IR .nnir), checks that it \
            is piecewise linear, translates it into its IR, and compiles it with an input domain and an objective \
            into an exact mixed-integer linear program, written as MPS or LP for any MILP solver (compile) or \
            solved with the embedded HiGHS (solve, verify).

            Every input file may be gzipped, - (standard input, for one input of a command), a pipe or a process \
            substitution; the format comes from the extension (after .gz), else from the content.

            Exit status: 0 success; 1 the model uses something nnmip cannot encode exactly; \
            64 bad command line; 65 malformed input file; 66 input file cannot be read; \
            69 the HiGHS library is needed and cannot be loaded; 70 internal error; 73 output file cannot be written; \
            130 and 143 solve or verify stopped by SIGINT or SIGTERM (after printing its report and writing its files).
            """,
        version: "0.1.0",
        subcommands: [InspectCommand.self, EvalCommand.self, CompileCommand.self, SolveCommand.self, CheckCommand.self, VerifyCommand.self, SolutionCommand.self, PruneCommand.self, PassesCommand.self]
    )
}
