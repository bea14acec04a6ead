import ArgumentParser
import Foundation
import NNMIPKit

/// The `nnmip` command: compiles trained neural networks into mixed-integer linear programs.
@main
struct NNMIP: ParsableCommand {
    /// Runs the command, after the checks that argument-parser does not make (`CommandLineCheck`:
    /// an option that takes one value given twice, `help` naming no command); `--stats` and
    /// `--stats layers` are spelled `--stats=summary` and `--stats=layers` for it first.
    ///
    /// It parses and runs as argument-parser's own `main` does, printing help on standard output and
    /// errors on standard error, but ends through `end(status:)`.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            try CommandLineCheck.check(arguments)
            var command = try parseAsRoot(CommandLineCheck.normalized(arguments))
            try command.run()
            end(status: 0)
        } catch let error as CommandLineCheck.Refusal {
            writeToStandardError(error.report)
            end(status: ExitStatus.usage)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { printLine(message) } else { writeToStandardError(message + "\n") }
            }
            end(status: code.rawValue)
        }
    }

    /// Ends the process with `status`. While a HiGHS run that a time limit gave up is still inside
    /// `Highs_run` on its thread, `exit` would run HiGHS's static destructors under it: the process
    /// then ends through `_exit`, once its output is flushed (files are committed before this).
    private static func end(status: Int32) -> Never {
        if HiGHSSolver.runsStillSolving > 0 {
            fflush(nil)
            _exit(status)
        }
        Foundation.exit(status)
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

            Exit status: 0 success, whatever the answer (infeasible and unsat included); 1 the model uses something \
            nnmip cannot encode exactly; 2 and 3 a solution that 'solution read' rejects (outside the domain or \
            the constraints; not the network's outputs); 64 bad command line (an unknown option, an option that \
            takes one value given twice, an option the rest of the command line leaves without effect, a name or \
            number that does not fit the network); 65 malformed input file (also a spec, bounds or point file \
            that names what the network lacks, does not fit its shape, or holds a key its format does not \
            define); 66 input file cannot be read; 69 the HiGHS library is needed and cannot be loaded; \
            70 internal error; 73 output file cannot be written; 130 and 143 solve or verify stopped by SIGINT \
            or SIGTERM (after printing its report and writing its files).

            An empty input domain (a lower bound above an upper one) is a problem whose answer is that no input \
            is feasible, not an error: compile writes an infeasible MILP, solve answers infeasible and verify \
            unsat, each after a warning.
            """,
        version: "0.1.0",
        subcommands: [InspectCommand.self, EvalCommand.self, CompileCommand.self, SolveCommand.self, CheckCommand.self, VerifyCommand.self, SolutionCommand.self, PruneCommand.self, PassesCommand.self]
    )
}
