import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip compile --model base.mps --networks embed.json -o combined.mps`: the user's model with
/// the networks embedded, one MILP file for any solver.
extension CompileCommand {
    /// The flags of plain compile that have no meaning with --model.
    func validateEmbedding() throws {
        try embedding.validate(networkArgument: modelOptions.file, spec: specOptions, loading: modelOptions.loading)
        guard embedding.isActive else { return }
        if emitIR || irFullWeights { throw ValidationError("--emit-ir and --ir-full-weights do not apply with --model (each instance is one network of many)") }
        if statsJSON != nil { throw ValidationError("--stats-json does not apply with --model; --stats prints the combined model's counts") }
        if isFolder(outputFile) { throw ValidationError("-o: with --model the output is one file, not a folder") }
        try embedding.refuseInstrumentation(passOptions)
    }

    /// The files compile reads and writes with --model.
    var embeddedFiles: CommandFiles {
        var files = CommandFiles()
        embedding.declareInputs(&files)
        files.writes(outputFile, as: "-o")
        files.writes(namesFile, as: "--names")
        return files
    }

    func runEmbedded() throws {
        let began = MonotonicClock.now()
        var written: CompileSummary?
        try reportingErrors(files: embeddedFiles) { outputs in
            let library = try HiGHSLibrary.load(explicitPath: passOptions.pipelineOptions.highsLibrary)
            let compilation = try embedding.compile(pipeline: passOptions.pipelineOptions.pipeline(), spec: specOptions, deadline: .none, library: library)
            let model = compilation.embedded.model
            let source = embedding.networksFile ?? "--network " + embedding.networks.joined(separator: " ")
            let comments = ["nnmip \(NNMIP.configuration.version): \(embedding.userModel!) with the networks of \(source)",
                            "objective: \(model.sense == .maximize ? "maximize" : "minimize") (\(compilation.plan.objectiveOrigin))"]
            let out = try outputs.file(outputFile)
            let format = try chosenFormat()
            let naming = naming(for: format)
            let rounded = try format.write(model, to: out, naming: naming, comments: comments)
            if rounded > 0 {
                Diagnostics.report(Diagnostic(.unsupported, severity: .warning, file: out.path,
                                              "\(rounded) numbers were rounded to fit fixed MPS's 12-character fields; free MPS keeps them exact"))
            }
            if let namesFile {
                try outputs.write(compilation.embedded.namesJSON(columnNames: model.columnNames(naming), modelFile: embedding.userModel!,
                                                                 networks: compilation.networkOfInstance.map { compilation.networks[$0].path }),
                                  to: namesFile)
            }
            if stats != nil { writeToStandardError(EmbeddedStatistics(compilation).lines.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n") }
            written = CompileSummary(path: outputFile, format: format, statistics: compilation.embedded.statistics)
        }
        if !quiet, let written { writeToStandardError(written.line(seconds: MonotonicClock.now() - began) + "\n") }
    }
}

/// The counts `--stats` prints for a model with embedded networks.
struct EmbeddedStatistics {
    let compilation: EmbeddedCompilation

    init(_ compilation: EmbeddedCompilation) {
        self.compilation = compilation
    }

    var lines: [(String, String)] {
        let embedded = compilation.embedded, model = embedded.model
        let unstable = embedded.statistics.layers.reduce(0) { $0 + $1.unstable }
        return [
            ("variables", "\(model.columnCount)"), ("binaries", "\(model.integerCount)"), ("constraints", "\(model.rowCount)"),
            ("nonzeros", "\(model.nonzeroCount)"), ("model_columns", "\(embedded.userColumnCount)"), ("model_rows", "\(embedded.userRowCount)"),
            ("network_instances", "\(embedded.instances.count)"), ("network_files", "\(compilation.networks.count)"),
            ("unstable_neurons", "\(unstable)"), ("input_bounds", compilation.inputBounding.rawValue),
        ]
    }
}
