import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip eval`: the reference evaluator on one input point.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a network at an input point with the reference evaluator (Float64).",
        discussion: """
            The input is a JSON array of numbers in the input's flattened (row-major) order, or, for a network \
            with several inputs, an object mapping each input name to its array. With text output, every output \
            value is printed on its own line in flattened order (outputs one after another); with --format json, \
            one object maps each output name to its values.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: ArgumentHelp("JSON file with the input point, or - for standard input.", valueName: "file"))
    var input: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        try reportingErrors {
            let graph = try modelOptions.load().graph
            let point = try readInputPoint(input, graph: graph)
            let outputs = try Evaluator(graph: graph).evaluate(inputs: point)
            switch format {
            case .text:
                printLine(outputs.joined().map(\.description).joined(separator: "\n"))
            case .json:
                printLine(jsonVectors(graph.outputs.map(\.name), outputs))
            }
        }
    }
}
