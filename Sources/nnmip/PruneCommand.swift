import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip prune`: the sparse surrogate as a model file of its own, for other tools.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Prune a network and write it back as ONNX (or nnmip IR).",
        discussion: """
            Runs the prune pass (magnitude or random, per layer or global) or, with --structured, the \
            prune-neurons pass, and writes the pruned network to --output-file: .onnx (opset 13, float32 weights, \
            Gemm/Conv/Relu and friends; pruned weights are stored as zeros) or .nnir. The written network computes \
            what the pruned IR computes ('nnmip eval' on either gives the same outputs). --passes runs any pipeline \
            instead, e.g. 'prune-neurons{sparsity=0.3},prune{sparsity=0.9}'. Nothing is written when a step fails.
            """
    )

    @OptionGroup(title: "Model") var modelOptions: ModelOptions

    @Option(help: ArgumentHelp("Fraction of the weights (with --structured: of each hidden layer's neurons) to remove, in [0, 1).", valueName: "s"))
    var sparsity: Double?

    @Option(help: ArgumentHelp("Which weights: 'magnitude' (the smallest |w|, the default) or 'random' (the baseline).", valueName: "method"))
    var method: String?

    @Option(help: ArgumentHelp("'layer' (the same fraction in every layer, the default) or 'global' (one ranking of all weights).", valueName: "scope"))
    var scope: String?

    @Flag(help: "Remove whole neurons (by the L1 norm of their incoming weights) instead of single weights.")
    var structured = false

    @Option(help: ArgumentHelp("Seed of --method random (default 0).", valueName: "n"))
    var seed: Int?

    @Option(name: .customLong("passes"), help: ArgumentHelp("Run this pipeline instead of the flags above.", valueName: "pipeline"))
    var passes: String?

    @Option(name: [.customShort("o"), .customLong("output-file")], help: ArgumentHelp("Where to write the pruned network (.onnx or .nnir).", valueName: "file"))
    var outputFile: String

    @Option(name: .customLong("stats"), help: ArgumentHelp("Print the weights (or neurons) kept in all to standard error; --stats layers adds every layer's.", valueName: "summary|layers"))
    var stats: StatsLevel?

    @Flag(help: "Let -o name the model file itself, which the pruned network then replaces (once it is complete).")
    var force = false

    func validate() throws {
        if passes != nil {
            if sparsity != nil || structured { throw ValidationError("give either --passes or --sparsity/--structured, not both") }
        } else if sparsity == nil {
            throw ValidationError("give --sparsity S (or --passes PIPELINE)")
        }
        if let sparsity, !(sparsity >= 0 && sparsity < 1) { throw ValidationError("--sparsity \(sparsity): it must be in [0, 1)") }
        if let method, !["magnitude", "random"].contains(method) { throw ValidationError("--method '\(method)': use 'magnitude' or 'random'") }
        if let scope, !["layer", "global"].contains(scope) { throw ValidationError("--scope '\(scope)': use 'layer' or 'global'") }
        let ownPipeline = "--passes runs its own pipeline, with the options in its braces"
        let byNorm = "--structured ranks neurons by their L1 norm, per layer"
        try IneffectiveOptions.refuse([
            ("--method", passes != nil && method != nil, ownPipeline),
            ("--scope", passes != nil && scope != nil, ownPipeline),
            ("--seed", passes != nil && seed != nil, ownPipeline),
            ("--method", structured && method != nil, byNorm),
            ("--scope", structured && scope != nil, byNorm),
            ("--seed", seed != nil && method != "random", "only --method random draws random numbers"),
        ])
        if let seed, seed < 0 { throw ValidationError("--seed must not be negative") }
        if outputFile == "-" { throw ValidationError("--output-file: give a file name; a model is not written to standard output") }
    }

    /// The pipeline the flags describe.
    private var pipelineText: String {
        if let passes { return passes }
        if structured { return "prune-neurons{sparsity=\(sparsity!)}" }
        return "prune{sparsity=\(sparsity!),method=\(method ?? "magnitude"),scope=\(scope ?? "layer"),seed=\(seed ?? 0)}"
    }

    /// The files prune reads and writes (see `CommandFiles`): with --force, -o may be the model.
    var files: CommandFiles {
        var files = CommandFiles()
        if !force { files.reads(modelOptions.model, as: "the model file", hint: "give --force to replace it") }
        files.reads(modelOptions.kerasConfig, as: "the --keras-config file")
        files.writes(outputFile, as: "-o")
        return files
    }

    func run() throws {
        try reportingErrors(files: files) { outputs in
            try ModelExport.checkFormat(of: outputFile)
            let loaded = try modelOptions.load()
            var graph = loaded.graph
            var context = PassContext()
            try PassManager(pipeline: try Pipeline(parsing: pipelineText)).run(on: &graph, context: &context)
            if let stats {
                let lines = context.remarks.filter(stats.prints).map { "\($0.pass): \($0.message)" }
                writeToStandardError(lines.joined(separator: "\n") + "\n")
            }
            let source = URL(fileURLWithPath: modelOptions.model).lastPathComponent
            try ModelExport.write(graph, to: outputs.file(outputFile), note: "\(source) after \(pipelineText) (nnmip prune)",
                                  version: NNMIP.configuration.version)
        }
    }
}
