import ArgumentParser
import NNMIPKit

/// The model argument and the options every model-reading subcommand shares.
struct ModelOptions: ParsableArguments {
    @Argument(help: "The network: an ONNX model (.onnx) or nnmip IR (.nnir).")
    var model: String

    @Option(name: .customLong("output"),
            help: ArgumentHelp("Use this tensor as a network output instead of the model's own outputs; repeat for several. Cuts the graph there, e.g. at the logits before a Softmax.", valueName: "tensor"))
    var outputs: [String] = []

    /// Loads the model with these options.
    func load() throws -> LoadedModel {
        try ModelLoader.load(model, options: LoadOptions(outputs: outputs))
    }

    /// Loads the network in `path` with the model's own outputs.
    static func load(_ path: String) throws -> Graph {
        try ModelLoader.load(path, options: LoadOptions(outputs: [])).graph
    }
}
