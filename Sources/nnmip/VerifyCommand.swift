import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip verify`: a VNN-LIB property decided as VNN-COMP asks, for one
/// instance or for a whole instance list.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Decide a VNN-LIB property: sat (counterexample), unsat, timeout or unknown.",
        discussion: """
            The answer is the first line of standard output (and of --out, in the VNN-COMP result format); a \
            counterexample follows it as ((X_0 v) ... (Y_0 v) ...). An empty input domain (a lower bound above an \
            upper one) has no counterexample: unsat at once, with a warning. Steps, cheapest first: the passes (-O2 unless -O or \
            --passes says otherwise) up to the first with a time budget of its own, whose output bounds can prove \
            unsat at once; the box center, 500 random points and corners, and a local search from the five closest \
            to a counterexample (projected gradient descent on the violation, then a pattern search), then \
            region walks from the two closest points so far (LPs over one linear region of the network after \
            another, minimising the margin; 15% of the time left; after branch and bound over ReLU splits where that \
            applies); one counterexample ends the run; the rest of the passes (bounds-alpha and bounds-lp in -O3), from the bounds \
            already computed; with --surrogate, the margin MILPs of pruned copies of the network, \
            whose solutions are checked on the original network (half of the time left); for networks with at most 12 inputs, branch and bound over the \
            input box with symbolic bounds (a quarter of the time left), and for networks with more inputs, branch and \
            bound over ReLU splits with optimised linear bounds in the style of beta-CROWN (80% of the time left, on \
            --threads threads; the attack beside ends then); \
            then one MILP per disjunct (per box that input splitting left, up to 256) with the \
            embedded HiGHS, stopping at the first that gives a counterexample. With two cores or more (--threads \
            unset, or at least 2), an attack runs beside these steps on a core of its own from the first passes on: \
            projected gradient descents on the violation from one random point of the domain after another, the \
            first counterexample of which ends the run. --attack-only runs that attack alone (on every core) after \
            the sampling and local searches, until the timeout: no further passes and no MILP, so the answer is sat, \
            timeout, or unsat when the first passes' bounds alone prove it. Every counterexample is re-checked with the reference \
            evaluator (inputs clamped into the box, constraints met within 1e-6); one that fails the check makes \
            the answer unknown, never sat. The exit status is 0 for every answer.

            --format json prints one JSON object on one line instead (schemas/verify.schema.json): result, stage \
            (the stage that gave the answer: bounds, sampling, local-search, surrogate, input-splitting, \
            branch-and-bound or milp), \
            reason, seconds, and counterexample (the inputs and outputs by name, or null); --out keeps the text.

            --timeout is the wall-clock limit of the whole command: loading, the passes (bounds-lp's own budget \
            included), every stage and every MILP end by it (a HiGHS still busy 0.2 s past its share, between two \
            of its checks of the clock, is left behind). SIGINT (Ctrl-C) or SIGTERM stops the run at its next \
            check (HiGHS through its interrupt callback, or left behind 0.5 s later): the answer line is still \
            printed (unknown, or sat when a counterexample was found first) and --out written, and the exit \
            status is then 130 or 143.

            With --instances, a VNN-COMP instance list (CSV rows onnx,vnnlib,timeout, paths relative to the file) \
            is run with --jobs worker processes, one nnmip process per instance, and one record per instance, in \
            the list's order, is written to --results: a CSV row onnx,vnnlib,result,seconds,reason, or with \
            --format json one JSON object per line (JSON Lines) that also holds the worker's own JSON. The result \
            is the worker's answer, or error (the worker failed: the reason is the first line of its error, which \
            names the file and the place, and its exit status), or interrupted, or timeout for a worker still \
            running 30 s after its timeout (stopped). SIGINT or SIGTERM stops the list: no further instance \
            starts, the running ones are stopped and report interrupted (unless they had decided), the records so \
            far are written, and the exit status is 130 or 143.
            """
    )

    @Argument(help: "The network: ONNX (.onnx), Keras (.h5, .keras) or nnmip IR (.nnir), gzipped or not, - for standard input; not with --instances.")
    var model: String?

    @Argument(help: "The VNN-LIB property (or a JSON spec), gzipped or not (.vnnlib.gz as VNN-COMP ships it); not with --instances.")
    var property: String?

    @Option(name: .customLong("timeout"), help: ArgumentHelp("Wall-clock seconds for the whole command, passes and MILPs included (default \(Int(defaultTimeout))); not with --instances, whose rows give their own.", valueName: "s"))
    var timeout: Double?

    @Option(name: .customLong("out"), help: ArgumentHelp("Also write the result to this file (VNN-COMP format).", valueName: "file"))
    var out: String?

    @Option(name: .customLong("instances"), help: ArgumentHelp("A VNN-COMP instance list to run (CSV: onnx,vnnlib,timeout).", valueName: "csv"))
    var instances: String?

    @Option(name: .customLong("jobs"), help: ArgumentHelp("Instances run at the same time with --instances (default 1); unless --threads is given, each worker gets --threads cores/jobs (at least 1).", valueName: "n"))
    var jobs: Int?

    @Option(name: .customLong("results"), help: ArgumentHelp("Where --instances writes its results (CSV, or JSON Lines with --format json; default standard output).", valueName: "file"))
    var results: String?

    @Option(help: ArgumentHelp("Output format: text (VNN-COMP's result format; with --instances, CSV) or json (one object on one line; with --instances, one per instance, JSON Lines).", valueName: "text|json"))
    var format: OutputFormat = .text

    @Option(name: .customLong("surrogate"), help: ArgumentHelp("Before the exact MILP, search the margin MILPs of pruned surrogates (prune=0.9, prune=0.95,0.9,0.8, prune-random=S, prune-neurons=S) for a counterexample on the original network; they get half of the time left.", valueName: "method=S[,S...]"))
    var surrogate: String?

    @Flag(name: .customLong("no-sampling"), help: "Skip the sampled points and the local searches (gradient and pattern search) from them, to measure the MILPs alone.")
    var noSampling = false
    @Flag(name: .customLong("no-branch-and-bound"), help: "Skip branch and bound over ReLU splits, so the cases it would take go to the MILPs (to measure either alone).")
    var noBranchAndBound = false

    @Flag(name: .customLong("attack-only"), help: "Only look for a counterexample: after the sampling and local searches, projected gradient descents from random points of the domain until the timeout, and no MILP (the answer is sat, timeout, or unsat by the first bounds).")
    var attackOnly = false

    @OptionGroup(title: "Passes") var pipelineOptions: PipelineOptions
    @OptionGroup(title: "Solver") var solverOptions: SolverOptions

    func validate() throws {
        if instances != nil {
            if model != nil || property != nil { throw ValidationError("give either MODEL PROPERTY or --instances, not both") }
            if out != nil { throw ValidationError("--out is for one instance; --instances writes --results") }
            if solverOptions.log != nil { throw ValidationError("--log is for one instance; the workers of --instances keep no HiGHS log") }
        } else {
            if model == nil || property == nil { throw ValidationError("give the model and the VNN-LIB property, or --instances FILE") }
            if results != nil { throw ValidationError("--results goes with --instances") }
        }
        try IneffectiveOptions.refuse([
            ("--timeout", instances != nil && timeout != nil, "every row of the --instances list gives its own timeout"),
            ("--jobs", instances == nil && jobs != nil, "it sets how many rows of --instances run at once"),
            ("--surrogate", attackOnly && surrogate != nil, "--attack-only runs no MILP"),
            ("--pwl-enclosure", pipelineOptions.pwlEnclosure, "verify always formulates the sound enclosure of smooth activations (--pwl-segments sets its pieces)"),
        ])
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        _ = try surrogates()
    }

    /// Seconds for one instance without --timeout.
    static let defaultTimeout = 60.0

    /// The surrogates of --surrogate.
    private func surrogates() throws -> [SurrogatePruning] {
        try surrogate.map(SurrogatePruning.option) ?? []
    }

    /// The files verify reads and writes (see `CommandFiles`); --instances writes its results to
    /// standard output unless --results names a file.
    var files: CommandFiles {
        var files = CommandFiles()
        files.reads(model, as: "the model file")
        files.reads(property, as: "the property file")
        files.reads(instances, as: "the instance list")
        if instances == nil { files.prints("the answer") }
        files.writes(out, as: "--out")
        files.writes(instances == nil ? nil : results ?? "-", as: "--results")
        solverOptions.declareOutputs(&files)
        return files
    }

    func run() throws {
        // The limit is the whole command's: loading, passes, every stage and MILP take their time out of it.
        let timeout = self.timeout ?? Self.defaultTimeout
        let interruption = InterruptSignals.install()
        let deadline = Deadline(seconds: timeout, interruption: interruption)
        try reportingErrors(files: files) { outputs in
            if let instances {
                try InstanceRunner(listPath: instances, jobs: jobs ?? 1, forwarded: forwardedArguments(), interruption: interruption, quiet: solverOptions.quiet)
                    .run(results: outputs.file(results ?? "-"), format: format)
                return
            }
            let loaded = try ModelOptions.loadForVerification(model!)
            let graph = loaded.graph
            var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
            try builder.addSpecFile(path: property!)
            let spec = builder.finish()
            // A final Softmax or LogSoftmax is verified on its logits, which keep its order (and LogSoftmax's differences).
            let normalized = Dictionary(uniqueKeysWithValues: graph.outputs.enumerated().compactMap { t, output in
                loaded.normalizedOutputs[output.name].map { (t, $0) }
            })
            if let conflict = spec.normalizationConflict(normalized) {
                let (t, normalization) = normalized.first { t, _ in conflict.expression.nonzeroTerms.contains { $0.element.side == .output && $0.element.tensor == t } }!
                // (The constraint's origin names the property file and the line.)
                throw Diagnostic(.unsupported, location: conflict.origin,
                                 "compares the \(normalization.rawValue) output '\(graph.outputs[t].name)' with something other than its own elements; nnmip verifies a final \(normalization.rawValue) on its logits, which keep only "
                                 + (normalization == .softmax ? "the order of its elements (Y_i >= Y_j)" : "the differences of its elements (coefficients summing to 0)"))
            }
            try DomainCheck.check(spec, symbols: builder.symbols, property: property) { t, k in
                let index = builder.symbols.inputs[..<t].reduce(k) { $0 + $1.count }
                return "the property must bound every input, as (assert (>= X_\(index) LO)) and (assert (<= X_\(index) HI)) would"
            }
            let library = try HiGHSLibrary.load(explicitPath: pipelineOptions.highsLibrary)
            let log: (String) -> Void = solverOptions.quiet ? { _ in } : { writeToStandardError("nnmip: verify: \($0)\n") }
            var verification = PropertyVerification(graph: graph, spec: spec, passes: try pipelineOptions.functionPreservingPipeline())
            verification.surrogates = try surrogates()
            verification.smoothSegments = pipelineOptions.smoothSegments
            verification.seed = solverOptions.searchSeed
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let threads = solverOptions.threads ?? cores
            verification.attacksBesideStages = threads >= 2
            verification.branchingWorkers = max(1, min(threads, cores))
            verification.attacksOnly = attackOnly
            verification.branchesOnReLUs = !noBranchAndBound
            if noSampling {
                verification.samples = 0
                verification.searchesLocally = false
            }
            let result = try verification.run(timeout: timeout, library: library,
                                              settings: try solverOptions.settings(timeLimit: nil, deadline: deadline, outputs: outputs), log: log)
            log("\(result.answer.rawValue) (\(result.reason)) in \(secondsText(result.seconds, decimals: 2)) s")
            var report = VerifyReport(result: result, graph: graph)
            report.normalizedOutputs = normalized
            try outputs.write(report.text, to: out)
            print(format == .json ? report.json : report.text, terminator: "")
        }
    }

    /// The options a worker process gets: everything but the instance list's own.
    private func forwardedArguments() -> [String] {
        var arguments: [String] = []
        if let level = pipelineOptions.level { arguments.append("-O\(level)") }
        if let passes = pipelineOptions.passes { arguments += ["--passes", passes] }
        if let library = pipelineOptions.highsLibrary { arguments += ["--highs-library", library] }
        if let segments = pipelineOptions.pwlSegments { arguments += ["--pwl-segments", "\(segments)"] }
        // Workers that share the cores get their share, so that the attack beside each one's stages
        // (two cores or more) does not crowd them.
        let workers = jobs ?? 1
        let share = workers > 1 ? max(1, ProcessInfo.processInfo.activeProcessorCount / workers) : nil
        if let threads = solverOptions.threads ?? share {
            arguments += ["--threads", "\(threads)"]
        }
        if let seed = solverOptions.seed { arguments += ["--seed", "\(seed)"] }
        if let surrogate { arguments += ["--surrogate", surrogate] }
        if noSampling { arguments.append("--no-sampling") }
        if noBranchAndBound { arguments.append("--no-branch-and-bound") }
        if attackOnly { arguments.append("--attack-only") }
        return arguments
    }
}
