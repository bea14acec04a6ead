import ArgumentParser

/// The `nnmip` command: compiles trained neural networks into mixed-integer linear programs.
@main
struct NNMIP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnmip",
        abstract: "Compile trained ReLU networks into mixed-integer linear programs.",
        discussion: """
            nnmip reads a trained network (ONNX .onnx, or nnmip IR .nnir), checks that it is piecewise linear, \
            and translates it into its IR, from which MILP back ends are built.

            Exit status: 0 success; 1 the model uses something nnmip cannot encode exactly; \
            64 bad command line; 65 malformed input file; 66 input file cannot be read; \
            70 internal error; 73 output file cannot be written.
            """,
        version: "0.1.0",
        subcommands: [InspectCommand.self, EvalCommand.self, CompileCommand.self]
    )
}
