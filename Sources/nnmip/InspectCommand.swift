import ArgumentParser
import NNMIPKit

/// `nnmip inspect`: what a model file holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a network's inputs, outputs, layers and sizes.",
        discussion: """
            Prints the file's format facts (ONNX: IR version, opset, producer; Keras: keras_version, backend, \
            architecture), each input and output with its shape, one line per IR layer with the ONNX node or \
            Keras layer it came from, and the parameter, neuron and ReLU counts.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        try reportingErrors {
            let loaded = try modelOptions.load()
            let report = InspectReport(path: modelOptions.model, loaded)
            printLine(format == .json ? report.json() : report.text())
        }
    }
}
