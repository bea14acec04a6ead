import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip check --model base.mps --networks embed.json --point SOLUTION`: another solver's answer
/// for a model with embedded networks, judged on the original networks.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Judge a solution of a model with embedded networks on the original networks.",
        discussion: """
            Reads a solution of the model that --model and --networks (or --network and --link) describe: \
            nnmip's own JSON (solve --model --solution), or what HiGHS, CBC, GLPK (its raw format, by column \
            number in the file compile --model wrote), SCIP or Gurobi wrote for it. Every column of the model \
            must have a value (formats that leave out zeros give zero); an output column NAME.yK that the \
            solution lacks (it came from another formulation) takes its network's output. Each network is \
            evaluated by the reference evaluator at the values that feed its inputs, and the model's rows, \
            column bounds and integrality are checked with the networks' true outputs in the output columns.

            Prints the file's format, status and objective, the sense applied, network_objective (the \
            objective with the true outputs), output_difference (the largest difference between an output \
            column's value and its network's output; one 'output_difference NAME: value' line per instance \
            follows), largest_violation (of a row, bound or integrality, with its place) and check: passed or \
            failed. --format json prints the same as one JSON object (schemas/check.schema.json).

            Exit status: 0 the solution holds; 3 an output column differs from its network's output by more \
            than 1e-6 times max(1, the values' magnitude); 2 the outputs agree but a row, bound or \
            integrality of the model breaks with the true outputs by more than rounding allows; 65 the file \
            cannot be read or lacks a column.
            """
    )

    @OptionGroup(title: "Embedding in your model") var embedding: EmbeddingOptions

    @Option(name: .customLong("point"), help: ArgumentHelp("The solution to judge: nnmip's JSON, or a HiGHS, CBC, GLPK, SCIP or Gurobi solution file (gzipped or not; - for standard input).", valueName: "file"))
    var point: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Judge this objective (over column names and NAME.yK) instead of the model's, as solve --model --maximize does.", valueName: "expr"))
    var maximize: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("As --maximize, for a minimization.", valueName: "expr"))
    var minimize: String?

    @Option(name: .customLong("highs-library"), help: ArgumentHelp("The HiGHS shared library that reads --model (else NNMIP_HIGHS_LIBRARY, the project's .tools/highs, then the system's).", valueName: "path"))
    var highsLibrary: String?

    @Option(help: ArgumentHelp("Output format: text or json (see schemas/check.schema.json).", valueName: "text|json"))
    var format: OutputFormat = .text

    func validate() throws {
        guard embedding.userModel != nil else { throw ValidationError("check judges a solution of --model with --networks (or --network)") }
        if embedding.boundInputs != nil { throw ValidationError("--bound-inputs does not apply to check, which bounds nothing") }
        if maximize != nil && minimize != nil { throw ValidationError("give either --maximize or --minimize, not both") }
        if embedding.sense != nil, maximize != nil || minimize != nil {
            throw ValidationError("--sense applies to the model file's objective; --maximize and --minimize give their own sense")
        }
    }

    func run() throws {
        var files = CommandFiles()
        embedding.declareInputs(&files)
        files.reads(point, as: "the --point file")
        try reportingErrors(files: files) { _ in
            let library = try HiGHSLibrary.load(explicitPath: highsLibrary)
            let resolution = try embedding.resolve(pipeline: Pipeline(entries: []), maximize: maximize, minimize: minimize, deadline: .none,
                                                   library: library).resolution
            let solution = try SolutionFile.read(point)
            let (values, missing) = try resolution.plan.point(in: solution, file: InputFile.displayName(point))
            let check = try EmbeddedSolutionCheck(plan: resolution.plan, networks: resolution.instanceNetworks, values: values,
                                                  missingOutputs: missing)
            let report = CheckReport(solution: solution, plan: resolution.plan, check: check, missingOutputs: missing.count)
            print(format == .json ? report.json : report.text, terminator: "")
            if let failure = report.failure { throw Diagnostic(failure.kind, file: InputFile.displayName(point), failure.message) }
        }
    }
}
