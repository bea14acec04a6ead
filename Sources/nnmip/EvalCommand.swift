import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip eval`: the reference evaluator on one input point.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a network at an input point with the reference evaluator (Float64).",
        discussion: """
            The input is a JSON array of numbers in the input's flattened (row-major) order, or arrays nested as \
            the input's shape, as numpy's tolist() writes them (with or without a leading batch dimension of 1), \
            or, for a network with several inputs, an object mapping each input name to its array. A nesting that \
            does not fit the shape is refused (exit 65) naming the JSON path and the shape. With text output, every output \
            value is printed on its own line in flattened order (outputs one after another); with --format json, \
            one object maps each output name to its values.

            An output that is not a finite number (the evaluator overflowed Float64 at a finite input, say) is an \
            error (exit 65) naming the output and element, in both formats: nothing is printed, so no invalid \
            JSON (inf, nan) is ever written.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: ArgumentHelp("The input point: a JSON file (gzipped or not), - for standard input, or the JSON itself when the value starts with [ or {, e.g. '[0.1, 0.2, 0.3, 0.5]'.", valueName: "file|json"))
    var input: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        try reportingErrors {
            let graph = try modelOptions.load().graph
            let point = try readInputPoint(input, graph: graph)
            let outputs = try Evaluator(graph: graph).evaluate(inputs: point)
            for (output, values) in zip(graph.outputs, outputs) {
                if let k = values.firstIndex(where: { !$0.isFinite }) {
                    throw Diagnostic(.malformedInput, file: InputFile.displayName(input), location: "output '\(output.name)' element \(k)",
                                     "the network's value at this input is \(values[k].isNaN ? "NaN" : "\(values[k])"), not a finite number (Float64 overflowed)")
                }
            }
            switch format {
            case .text:
                printLine(outputs.joined().map(\.description).joined(separator: "\n"))
            case .json:
                printLine(jsonVectors(graph.outputs.map(\.name), outputs))
            }
        }
    }
}
