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
            point, the network's outputs there by the reference evaluator, output_difference (the largest \
            difference between the file's output values and the evaluator's) and check: passed or failed. The \
            network is --model, else the model named in the name map. --format json prints the same as one JSON \
            object (schemas/solution-read.schema.json), with the file's own output values (file_outputs) and, when \
            the check failed, the reason (failure).

            The solution is checked as 'solve' checks its own: the name map's model_hash must match the network \
            and the spec it records (exit 65 otherwise; a map without one, from an older nnmip, gives a warning \
            and no domain or constraint checks), every value must be finite (exit 65), the inputs must lie in the \
            input domain and the network's outputs must meet the constraints (exit 2, naming the element or the \
            constraint), and the file's outputs must be the network's within 1e-6 times max(1, the values' \
            magnitude) (exit 3).
            """
    )

    @Argument(help: "The solution file (gzipped or not; - for standard input).")
    var solution: String

    @Option(name: .customLong("names"), help: ArgumentHelp("The name map that 'compile --names' wrote with the model.", valueName: "file"))
    var names: String

    @Option(name: .customLong("model"), help: ArgumentHelp("The network (default: the model in the name map).", valueName: "file"))
    var model: String?

    @Option(help: ArgumentHelp("Output format: text or json (see schemas/solution-read.schema.json).", valueName: "text|json"))
    var format: OutputFormat = .text

    func run() throws {
        try reportingErrors {
            let map = try NameMapFile.read(names)
            let file = try SolutionFile.read(solution)
            let modelPath = model ?? map.model
            guard !modelPath.isEmpty else { throw Diagnostic(.usage, file: names, "names no model; give --model") }
            let graph = try Self.network(modelPath, outputs: map.outputs.map(\.name))
            let check = try SolutionCheck(map: map, mapFile: names, solution: file, solutionFile: solution, graph: graph, modelFile: modelPath)
            check.warnings.forEach(Diagnostics.report)
            let report = SolutionReport(file: file, map: map, check: check)
            print(format == .json ? report.json : report.text, terminator: "")
            if let failure = check.failure { throw failure }
        }
    }

    /// The network at `path` with the outputs the map names: its own outputs when they are those, else cut there
    /// (as `compile --output` cut it).
    private static func network(_ path: String, outputs: [String]) throws -> Graph {
        // The model's own outputs may not load (a Softmax after the logits that compile cut at).
        if let own = try? ModelLoader.load(path, options: LoadOptions(outputs: [])).graph, own.outputs.map(\.name) == outputs { return own }
        return try ModelLoader.load(path, options: LoadOptions(outputs: outputs)).graph
    }
}
