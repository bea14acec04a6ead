import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip solution`: solutions that other solvers wrote.
struct SolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solution",
        abstract: "Read solutions that other MILP solvers wrote for compiled models.",
        subcommands: [ReadSolutionCommand.self]
    )
}

/// `nnmip solution read`: a solver's solution file mapped back to the network
/// and checked with the reference evaluator.
struct ReadSolutionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Map a solver's solution file back to the network and check it with the evaluator.",
        discussion: """
            Reads a solution written by HiGHS (--solution_file), CBC (-solve -solu FILE), GLPK (glpsol -w FILE, \
            its raw format), SCIP (write solution) or Gurobi (.sol) for an MPS or LP file that 'nnmip compile' \
            wrote with --names. Prints the solver's status and objective where the file has them, the input \
            point, the network's outputs there by the reference evaluator, and output_difference, the largest \
            difference between the file's output values and the evaluator's. The network is --model, else the \
            model named in the name map.
            """
    )

    @Argument(help: "The solution file.")
    var solution: String

    @Option(name: .customLong("names"), help: ArgumentHelp("The name map that 'compile --names' wrote with the model.", valueName: "file"))
    var names: String

    @Option(name: .customLong("model"), help: ArgumentHelp("The network (default: the model in the name map).", valueName: "file"))
    var model: String?

    func run() throws {
        try reportingErrors {
            let map = try NameMapFile.read(names)
            let file = try SolutionFile.read(solution)
            let modelPath = model ?? map.model
            guard !modelPath.isEmpty else { throw Diagnostic(.usage, file: names, "names no model; give --model") }
            let graph = try ModelLoader.load(modelPath, options: LoadOptions(outputs: map.outputs.map(\.name))).graph
            let inputs = try map.inputs.map { try $0.variables.map { try map.value(of: $0, in: file, solutionPath: solution) } }
            let fileOutputs = try map.outputs.map { try $0.variables.map { try map.value(of: $0, in: file, solutionPath: solution) } }
            guard inputs.map(\.count) == graph.inputs.map({ graph[$0].elementCount }) else {
                throw Diagnostic(.usage, file: names, "its inputs do not match the inputs of \(modelPath)")
            }
            let outputs = try Evaluator(graph: graph).evaluate(inputs: inputs)
            let difference = zip(fileOutputs.joined(), outputs.joined()).map { abs($0 - $1) }.max() ?? 0
            var lines = ["format: \(file.format)", "status: \(file.status ?? "-")", "objective: \(file.objective.map { "\($0)" } ?? "-")"]
            lines += zip(map.inputs, inputs).map { "input \($0.name): \(vectorText($1))" }
            lines += zip(map.outputs, outputs).map { "output \($0.name): \(vectorText($1))" }
            lines.append("output_difference: \(difference)")
            printLine(lines.joined(separator: "\n"))
        }
    }
}
