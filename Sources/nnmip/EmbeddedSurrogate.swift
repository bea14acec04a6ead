import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip solve --model base.mps --networks embed.json --surrogate prune=0.9,0.8 [--finish-dense]`:
/// the user's model with pruned networks, every improving solution repaired into a truly feasible one.
extension SolveCommand {
    /// `began` is the command's start, which the trace's times and the reported seconds count from.
    func runEmbeddedSurrogate(_ surrogates: [SurrogatePruning], library: HiGHSLibrary, deadline: Deadline, began: Double, outputs: OutputSet) throws {
        let pipeline = try passOptions.pipelineOptions.functionPreservingPipeline()
        let (description, options, resolution) = try embedding.resolve(pipeline: pipeline, maximize: specOptions.maximize, minimize: specOptions.minimize,
                                                                       deadline: deadline, library: library)
        let (inputBounds, _) = try EmbeddedCompilation.boundInputs(resolution, embedding: description, options: options, library: library)
        var search = EmbeddedSurrogateSearch(plan: resolution.plan, canonical: resolution.instanceCanonicalNetworks, original: resolution.instanceNetworks,
                                             inputBounds: inputBounds, paths: resolution.instancePaths,
                                             surrogates: surrogates, passes: EmbeddedCompilation.passesPerInstance(pipeline))
        search.finishDense = finishDense
        search.startsFromRelaxation = startsEmbeddedFromRelaxation
        search.traceStart = began
        let log: (String) -> Void = solverOptions.quiet ? { _ in } : { writeToStandardError("nnmip: surrogate: \($0)\n") }
        let found = try search.run(timeLimit: timeLimit!, library: library,
                                   settings: try solverSettings(deadline: deadline, outputs: outputs), log: log)
        try writeTrace(found.trace, maximize: resolution.plan.base.sense == .maximize, outputs: outputs)
        let status: SolveStatus
        if found.best != nil {
            status = found.dense?.status == .optimal ? .optimal : .feasible
        } else {
            status = found.dense?.status == .infeasible ? .infeasible : deadline.isInterrupted ? .interrupted : .timeLimit
        }
        // Only the exact MILP proves a bound and a gap.
        let result = EmbeddedModelSolve.Result(status: status, solverStatus: found.dense?.solverStatus ?? .notset, objective: found.best?.objective,
                                               bound: found.dense?.bound, gap: found.dense?.gap, seconds: MonotonicClock.now() - began,
                                               nodes: found.dense?.nodes ?? 0, values: found.best?.point.values, check: found.best?.point.check)
        var report = EmbeddedSolveReport(result: result, plan: resolution.plan, modelFile: resolution.user.file)
        report.search = (found.best?.source ?? "none", found.trace.count)
        try outputs.write(report.json, to: solutionFile)
        print(format == .json ? report.json : report.text, terminator: "")
    }
}
