import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip solve --model base.mps --networks embed.json`: the user's model with the networks
/// embedded, solved by the embedded HiGHS, every solution judged on the original networks.
extension SolveCommand {
    /// Whether `solve --model` looks for a first solution before HiGHS branches (`--start relaxation`, the default).
    var startsEmbeddedFromRelaxation: Bool { (start ?? "relaxation") == "relaxation" }

    /// The flags of plain solve that have no meaning with --model.
    func validateEmbedding() throws {
        try embedding.validate(networkArgument: modelOptions.file, spec: specOptions, loading: modelOptions.loading)
        guard embedding.isActive else { return }
        if let start, !["relaxation", "none"].contains(start) {
            throw ValidationError("--start with --model is 'relaxation' (the default) or 'none'; '\(start)' gives one network's input point, which does not apply to a model")
        }
        if try surrogates() != nil, timeLimit == nil { throw ValidationError("--surrogate needs --time-limit (the sparsities share it)") }
        if finishDense, surrogate == nil { throw ValidationError("--finish-dense goes with --surrogate") }
        try embedding.refuseInstrumentation(passOptions)
    }

    /// The files solve reads and writes with --model.
    var embeddedFiles: CommandFiles {
        var files = CommandFiles()
        embedding.declareInputs(&files)
        files.writes(solutionFile, as: "--solution")
        files.writes(trace, as: "--trace")
        files.writes(plot, as: "--plot")
        solverOptions.declareOutputs(&files)
        return files
    }

    /// Solves --model; `began` is the command's start, which the trace's times count from.
    func runEmbedded(deadline: Deadline, began: Double) throws {
        try reportingErrors(files: embeddedFiles) { outputs in
            let library = try HiGHSLibrary.load(explicitPath: passOptions.pipelineOptions.highsLibrary)
            if let surrogates = try surrogates() {
                return try runEmbeddedSurrogate(surrogates, library: library, deadline: deadline, began: began, outputs: outputs)
            }
            let compilation = try embedding.compile(pipeline: passOptions.pipelineOptions.functionPreservingPipeline(), spec: specOptions, deadline: deadline,
                                                    library: library)
            let solve = EmbeddedModelSolve(plan: compilation.plan, embedded: compilation.embedded, networks: compilation.instanceNetworks,
                                           library: library)
            let settings = try solverSettings(deadline: deadline, outputs: outputs)
            // Every judged solution, on the original networks, for --trace and --plot.
            var traced: [SurrogateSearch.TraceEntry] = []
            func trace(_ check: EmbeddedSolutionCheck, _ milpObjective: Double, _ source: String, at time: Double = MonotonicClock.now()) {
                traced.append(.init(seconds: time - began, source: source, surrogateObjective: milpObjective,
                                    originalObjective: check.holds ? check.objective : .nan, inputs: check.instances.map(\.inputs)))
            }
            var startColumns: [Double]?
            if startsEmbeddedFromRelaxation {
                let repair = EmbeddedRepair(plan: compilation.plan, original: compilation.instanceNetworks, inputBounds: compilation.inputBounds,
                                            paths: compilation.instancePaths)
                let log: (String) -> Void = solverOptions.quiet ? { _ in } : { writeToStandardError("nnmip: start: \($0)\n") }
                let found = try EmbeddedRelaxationStart(model: compilation.embedded.model, repair: repair)
                    .find(library: library, settings: settings, deadline: deadline.share(EmbeddedRelaxationStart.share), log: log)
                for point in found.judged { trace(point.solution.check, point.lpObjective, point.source, at: point.time) }
                startColumns = try found.best.map { try compilation.formulation.startColumns(compilation.plan, values: $0.solution.values) }
            }
            let result = try solve.run(settings: settings, start: startColumns, progress: solverOptions.progressPrinter(),
                                       onSolution: { _, check, milpObjective in
                trace(check, milpObjective, "dense")
                return .proceed
            })
            try writeTrace(traced, maximize: compilation.embedded.model.sense == .maximize, outputs: outputs)
            let report = EmbeddedSolveReport(result: result, plan: compilation.plan, modelFile: compilation.user.file)
            try outputs.write(report.json, to: solutionFile)
            print(format == .json ? report.json : report.text, terminator: "")
            if let check = result.check, !check.holds {
                let reason = check.instances.first { !$0.outputsAgree }.map { "the MILP's outputs of network '\($0.name)' differ from the network's by \($0.outputDifference)" }
                    ?? "with the networks' true outputs, \(check.violationCount) rows, bounds or integralities of the model break (the largest: \(EmbeddedCheckText(check).violationText))"
                throw Diagnostic(.internal, file: embedding.userModel, "\(reason): a formulation or numerics error; please report it")
            }
        }
    }
}
