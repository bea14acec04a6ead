import ArgumentParser
import Foundation
import NNMIPKit

/// The model argument and the options every model-reading subcommand shares.
struct ModelOptions: ParsableArguments, NetworkFileOptions {
    @Argument(help: ArgumentHelp(ModelOptions.argumentHelp))
    var model: String

    @OptionGroup var loading: NetworkLoadingOptions

    /// The model argument's help.
    static let argumentHelp = "The network: ONNX (.onnx), Keras (.h5, .keras) or nnmip IR (.nnir), gzipped or not; - reads standard input."

    /// The --keras-config file.
    var kerasConfig: String? { loading.kerasConfig }

    /// Loads the network in `path` with the model's own outputs.
    static func load(_ path: String) throws -> Graph {
        try ModelLoader.load(path, options: LoadOptions(outputs: [])).graph
    }

    /// The model at `path` for `verify`, with a final ONNX Softmax or LogSoftmax read as its logits
    /// (`LoadOptions.finalNormalizationAsLogits`).
    static func loadForVerification(_ path: String) throws -> LoadedModel {
        try ModelLoader.load(path, options: LoadOptions(outputs: [], finalNormalizationAsLogits: true))
    }
}

/// How a network file is loaded: --output and --keras-config.
struct NetworkLoadingOptions: ParsableArguments {
    @Option(name: .customLong("output"),
            help: ArgumentHelp("Use this tensor (ONNX) or layer (Keras: its value before a non-linear activation) as a network output instead of the model's own outputs; repeat for several. Cuts the graph there, e.g. at the logits before a Softmax.", valueName: "tensor"))
    var outputs: [String] = []

    @Option(name: .customLong("keras-config"),
            help: ArgumentHelp("The architecture of a weights-only Keras file (save_weights .h5 or .weights.h5): the JSON of model.to_json() or a .keras archive's config.json.", valueName: "file"))
    var kerasConfig: String?
}

/// A subcommand's network file and how to load it (`ModelOptions`, `OptionalModelOptions`).
protocol NetworkFileOptions {
    /// The network file.
    var model: String { get }
    /// --output and --keras-config.
    var loading: NetworkLoadingOptions { get }
}

extension NetworkFileOptions {
    /// The model file's name without folder, `.gz` and extension (`net` for `nets/net.onnx.gz`), which
    /// names the MILP and the files written per disjunct.
    var modelName: String {
        InputFile.stem(model)
    }

    /// Declares the files these options read: the model and the --keras-config file.
    func declareInputs(_ files: inout CommandFiles) {
        files.reads(model, as: "the model file")
        files.reads(loading.kerasConfig, as: "the --keras-config file")
    }

    /// Loads the model with these options.
    func load() throws -> LoadedModel {
        try ModelLoader.load(model, options: LoadOptions(outputs: loading.outputs, kerasConfig: loading.kerasConfig))
    }

    /// Runs `body`, naming the model file in a diagnostic that names no file
    /// (a number of the MILP that no solver can take, found by the formulation).
    func attributing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let diagnostic as Diagnostic {
            throw diagnostic.inFile(model)
        }
    }
}
