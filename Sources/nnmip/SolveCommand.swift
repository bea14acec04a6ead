import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip solve`: compile and solve with the embedded HiGHS, then check the
/// solution on the network itself.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Compile a network and a spec and solve the MILP with the embedded HiGHS.",
        discussion: """
            The MILP goes to HiGHS in memory. The answer is checked on the network: the reference evaluator computes \
            the outputs at the input HiGHS found, and the largest difference from the MILP's output values is \
            printed as output_difference. Above 1e-6 times max(1, the largest magnitude among the point's inputs and \
            outputs) it is reported as a formulation or numerics error (exit 70).

            Text output is one 'name: value' line each for status (optimal, feasible, infeasible, time limit, \
            interrupted, unbounded, unknown), objective, bound, gap, seconds, nodes, network_objective (the \
            objective on the evaluator's outputs) and output_difference, then 'input NAME: [...]' and \
            'output NAME: [...]' lines. --format json prints the same as one JSON object, as --solution writes it. \
            'optimal' means a gap of 0 within HiGHS's default tolerances (1e-4 relative, 1e-6 absolute), \
            whatever --mip-gap allowed; a solve that stopped with a larger gap says 'feasible (gap G)' (in JSON, \
            status "feasible" and the gap field).

            --time-limit is the wall-clock limit of the whole command: loading, the passes (bounds-lp's own \
            budget included), sampling and HiGHS all take their time out of it; HiGHS still busy 0.2 s past the \
            limit (it looks at the clock only at points of its search) is left behind with the best solution it \
            had reported. SIGINT (Ctrl-C) or SIGTERM stops HiGHS through its interrupt callback (or leaves it \
            behind 0.5 s later); the report is still printed (status interrupted, or feasible with an incumbent) \
            and the requested files written, and the exit status is then 130 or 143.

            With --model base.mps --networks embed.json (see 'nnmip compile --help' and the man page), the networks \
            are embedded in your own model and the combined MILP is solved; the report gives the objective in the \
            model's sense and says where that sense came from, each instance's output_difference, and the solution \
            judged on the original networks (each evaluated at its linked inputs, the model's rows, bounds and \
            integrality checked with their true outputs): network_objective, largest_violation and check. \
            --solution holds every column of the model by its name, then each instance's inputs and outputs. \
            Before HiGHS branches, the linked inputs of two LPs (the model's own, then the relaxation of the \
            combined MILP), evaluated on the original networks and repaired (as below), give a first solution \
            that is polished and starts HiGHS (--start none skips this). \
            With --surrogate, the model with pruned networks is solved, and each improving solution is repaired \
            (the networks' input columns fixed at its values, their output columns at the true outputs, the rest \
            of the model solved) or, when the true outputs break a row, polished (the model with each original \
            network restricted to its linear region there); --finish-dense gives the exact MILP the time left, \
            from the best point, and only it reports a bound and a gap.

            With --surrogate, the MILPs of pruned copies of the network are solved instead, within --time-limit, \
            and every solution is judged on the original network; the best is printed with its source \
            (--finish-dense adds the dense MILP, --trace and --plot record the run). The search is its own, so \
            --start, --format json, --solution, --disjunct and the pass instrumentation options are refused with it.

            An empty input domain (a lower bound above an upper one) is a problem like any other: the status is \
            infeasible, after a warning.

            HiGHS is loaded at run time: --highs-library, then NNMIP_HIGHS_LIBRARY, then the project's .tools/highs, \
            then the system's library path.
            """
    )

    @OptionGroup var modelOptions: OptionalModelOptions
    @OptionGroup(title: "Embedding in your model") var embedding: EmbeddingOptions
    @OptionGroup(title: "Input domain and objective") var specOptions: SpecOptions
    @OptionGroup(title: "Passes") var passOptions: PassOptions
    @OptionGroup(title: "Solver") var solverOptions: SolverOptions
    @OptionGroup(title: "Solver") var gapOption: MIPGapOption

    @Option(name: .customLong("time-limit"), help: ArgumentHelp("Wall-clock seconds for the whole command: loading, passes, sampling and HiGHS (default: no limit).", valueName: "s"))
    var timeLimit: Double?

    @Option(name: .customLong("start"), help: ArgumentHelp("An input point (JSON, as for eval) to start from; 'sample' (the default): the best of the domain's center and 100 seeded random points, improved by projected gradient ascent on the network, in at most a tenth of --time-limit; 'none': no start. With --model: 'relaxation' (the default): the linked inputs of the model's own LP and of the LP relaxation, evaluated on the original networks, repaired, the best polished, in at most a quarter of --time-limit; or 'none'.", valueName: "file|sample|relaxation|none"))
    var start: String?

    @Option(name: .customLong("solution"), help: ArgumentHelp("Write the result as JSON to this file.", valueName: "file"))
    var solutionFile: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("surrogate"), help: ArgumentHelp("Solve pruned surrogates instead, judging every solution on the original network: prune=0.8 (magnitude), prune=0.95,0.9,0.8 to try sparsities in turn, prune-random=S or prune-neurons=S (structured). Needs --time-limit.", valueName: "method=S[,S...]"))
    var surrogate: String?

    @Flag(name: .customLong("finish-dense"), help: "With --surrogate: give the dense MILP half of the time left after the surrogates (polishing gets the other half), started from the best point.")
    var finishDense = false

    @Option(name: .customLong("members"), help: ArgumentHelp("With --surrogate: the members of the search that run, from sample, gradient, walk, lp-relaxation and milp (default: all); e.g. walk alone.", valueName: "m[,m...]"))
    var members: String?

    @Option(name: .customLong("trace"), help: ArgumentHelp("Write every solution found, judged on the original network, as CSV (seconds since the command started, source, surrogate objective, original objective).", valueName: "file"))
    var trace: String?

    @Option(name: .customLong("plot"), help: ArgumentHelp("Draw the best objective on the original network over time as SVG.", valueName: "file"))
    var plot: String?

    /// The most of the time left that `--start sample` may take.
    static let startShare = 0.1

    /// HiGHS's settings: the solver options and --mip-gap, within `deadline`.
    func solverSettings(deadline: Deadline, outputs: OutputSet) throws -> SolverSettings {
        var settings = try solverOptions.settings(timeLimit: nil, deadline: deadline, outputs: outputs)
        settings.relativeGap = gapOption.mipGap
        return settings
    }

    /// The surrogates of --surrogate.
    func surrogates() throws -> [SurrogatePruning]? {
        try surrogate.map(SurrogatePruning.option)
    }

    func validate() throws {
        try validateEmbedding()
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be a positive number of seconds") }
        if embedding.isActive && members != nil { throw ValidationError("--members picks the members of the search over a network; with --model the search is another") }
        if embedding.isActive && passOptions.pipelineOptions.pwlSegments != nil {
            throw ValidationError("solve --model does not search the piecewise-linear surrogates of networks with smooth activations yet; 'nnmip compile --model ... --pwl-segments K' writes the interpolant's MILP")
        }
        guard !embedding.isActive else { return }
        try IneffectiveOptions.refuse([("--pwl-enclosure", passOptions.pipelineOptions.pwlEnclosure,
                                        "solve searches the piecewise-linear interpolant of smooth activations and judges every point on the network itself")])
        if start == "relaxation" { throw ValidationError("--start relaxation goes with --model; a network's solve starts from 'sample', a point file or 'none'") }
        if try surrogates() != nil {
            let search = "--surrogate runs its own search"
            try IneffectiveOptions.refuse([
                ("--start", start != nil, "\(search), which starts every MILP from the best point so far (at first the best of 100 sampled points, improved by gradient ascent)"),
                ("--format json", format == .json, "\(search) and prints its report as text"),
                ("--solution", solutionFile != nil, "\(search) and writes no solution file; --trace records every point it judged"),
                ("--disjunct", specOptions.disjunct != nil, "\(search) over the whole disjunction"),
                (passOptions.instrumentationGiven.first ?? "", !passOptions.instrumentationGiven.isEmpty,
                 "\(search), whose passes run without IR dumps, verification or timing"),
            ])
            if timeLimit == nil { throw ValidationError("--surrogate needs --time-limit (the sparsities share it)") }
            if let members {
                guard let chosen = SearchMember.parseList(members) else {
                    throw ValidationError("--members '\(members)': expected a comma-separated list of \(SearchMember.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                if finishDense && !chosen.contains(.milp) { throw ValidationError("--finish-dense goes with the member milp") }
            }
            if specOptions.maximize == nil && specOptions.minimize == nil && specOptions.spec == nil {
                throw ValidationError("--surrogate needs an objective (--maximize or --minimize)")
            }
        } else if finishDense {
            throw ValidationError("--finish-dense goes with --surrogate")
        } else if members != nil {
            throw ValidationError("--members goes with --surrogate")
        }
    }

    /// The files solve reads and writes (see `CommandFiles`).
    var files: CommandFiles {
        if embedding.isActive { return embeddedFiles }
        var files = CommandFiles()
        modelOptions.declareInputs(&files)
        specOptions.declareInputs(&files)
        files.reads(["sample", "none"].contains(start ?? "sample") ? nil : start, as: "the --start point file")
        files.prints("the report")
        files.writes(solutionFile, as: "--solution")
        files.writes(trace, as: "--trace")
        files.writes(plot, as: "--plot")
        solverOptions.declareOutputs(&files)
        return files
    }

    func run() throws {
        // The limit is the whole command's: loading, passes, sampling and HiGHS all take their time out of it;
        // --trace times count from here too.
        let began = MonotonicClock.now()
        let deadline = Deadline(seconds: timeLimit, from: began, interruption: InterruptSignals.install())
        if embedding.isActive { return try runEmbedded(deadline: deadline, began: began) }
        try reportingErrors(files: files) { outputs in
            let pipeline = try passOptions.pipelineOptions.functionPreservingPipeline()
            let graph = try modelOptions.load().graph
            let spec = try specOptions.build(for: graph)
            let library = try HiGHSLibrary.load(explicitPath: passOptions.pipelineOptions.highsLibrary)
            if let surrogates = try surrogates() {
                try runSurrogate(graph: graph, spec: spec, surrogates: surrogates, library: library, deadline: deadline, began: began, outputs: outputs)
                return
            }
            // A smooth network is solved through its piecewise-linear surrogate, every point judged on the network.
            let surrogate = graph.hasSmoothActivations
                ? pipeline.approximatingSmoothActivations(segments: passOptions.pipelineOptions.smoothSegments, enclosure: false) : nil
            let (passes, timing) = try passOptions.passManager(printer: IRPrinter(elideListsLongerThan: IRPrinter.readableListLength), pipeline: surrogate)
            var context = try passOptions.pipelineOptions.context(for: passes.pipeline, quiet: solverOptions.quiet, threads: solverOptions.threads)
            context.deadline = deadline
            let optimized = try Compilation.optimized(graph, spec: spec, passes: passes, context: &context)
            if let timing { writeToStandardError(timing.report) }
            let formulation = try modelOptions.attributing {
                try Formulator.formulate(optimized, spec: spec, disjuncts: specOptions.disjunctChoice, name: modelOptions.modelName)
            }

            var settings = try solverSettings(deadline: deadline, outputs: outputs)
            switch start ?? "sample" {
            case "sample":
                // Every input point is feasible for most specs: HiGHS should never start from nothing.
                var sampling = SampledStart(graph: graph, spec: spec)
                sampling.seed = solverOptions.searchSeed
                settings.start = try sampling.best(deadline: deadline.share(Self.startShare))?.point.inputs
            case "none":
                settings.start = nil
            case let file:
                settings.start = try readInputPoint(file, graph: graph, option: "--start")
            }
            // Every improving solution, judged on the network, for --trace and --plot.
            var traced: [SurrogateSearch.TraceEntry] = []
            let result = try EmbeddedSolve(original: graph, formulated: optimized, spec: spec, formulation: formulation, library: library)
                .run(settings: settings, progress: solverOptions.progressPrinter(), onSolution: { point, milpObjective, _ in
                    let feasible = spec.constraintViolation(inputs: point.inputs, outputs: point.networkOutputs) <= Tolerance.feasibility
                    let value = !feasible ? .nan : spec.objective.map { $0.expression.value(inputs: point.inputs, outputs: point.networkOutputs) } ?? milpObjective
                    traced.append(.init(seconds: MonotonicClock.now() - began, source: "dense", surrogateObjective: milpObjective,
                                        originalObjective: value, inputs: point.inputs))
                    return .proceed
                })
            var report = SolveReport(result: result, graph: graph, spec: spec)
            if surrogate != nil {
                report.surrogate = Pipeline(entries: [Pipeline.approximation(segments: passOptions.pipelineOptions.smoothSegments, enclosure: false)]).description
                // The surrogate's optimum (or, when the surrogate has no solution, the sampled start),
                // refined by gradient ascent on the smooth network itself.
                let before = report.networkObjective
                if let start = result.point?.inputs ?? settings.start,
                   let ascended = try SampledStart(graph: graph, spec: spec).ascended(from: start, deadline: deadline),
                   before.map({ (spec.objective?.sense == .maximize) == (ascended.objective > $0) && ascended.objective != $0 }) ?? true {
                    report.refined = (ascended.point, before)
                    traced.append(.init(seconds: MonotonicClock.now() - began, source: "gradient", surrogateObjective: .nan,
                                        originalObjective: ascended.objective, inputs: ascended.point.inputs))
                }
            }
            try writeTrace(traced, maximize: spec.objective?.sense == .maximize, outputs: outputs)

            try outputs.write(report.json, to: solutionFile)
            print(format == .json ? report.json : report.text, terminator: "")
            // The MILP must agree with the graph it formulates: the network, or the surrogate of a smooth one.
            if var point = result.point, surrogate != nil {
                point.networkOutputs = try Evaluator(graph: optimized).evaluate(inputs: point.inputs)
                if !point.outputsAgree {
                    throw Diagnostic(.internal, file: modelOptions.model, "the MILP's outputs differ from its piecewise-linear surrogate's by \(point.outputDifference): a formulation or numerics error; please report it")
                }
            } else if let point = result.point, !point.outputsAgree {
                let allowed = Tolerance.allowed(scale: point.scale)
                throw Diagnostic(.internal, file: modelOptions.model, "the MILP's outputs differ from the network's by \(point.outputDifference) (more than \(allowed), \(Tolerance.feasibility) times the values' scale \(max(1, point.scale))): a formulation or numerics error; please report it")
            }
        }
    }
}

extension SolveCommand {
    /// `--surrogate`: the pruned MILPs, judged on the original network; prints the best point found.
    /// `began` is the command's start, which the trace's times count from.
    private func runSurrogate(graph: Graph, spec: Spec, surrogates: [SurrogatePruning], library: HiGHSLibrary, deadline: Deadline,
                              began: Double, outputs: OutputSet) throws {
        var search = SurrogateSearch(original: graph, spec: spec, surrogates: surrogates, passes: try passOptions.pipelineOptions.functionPreservingPipeline())
        search.finishDense = finishDense
        search.smoothSegments = passOptions.pipelineOptions.smoothSegments
        if let members, let chosen = SearchMember.parseList(members) { search.members = chosen }
        // The local searches take a core of their own: not when --threads 1 asks for one.
        search.searchesBesideMILPs = (solverOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount) >= 2
        search.traceStart = began
        search.seed = solverOptions.searchSeed
        let log: (String) -> Void = solverOptions.quiet ? { _ in } : { writeToStandardError("nnmip: surrogate: \($0)\n") }
        let found = try search.run(timeLimit: timeLimit!, library: library,
                                   settings: try solverSettings(deadline: deadline, outputs: outputs), log: log)
        try writeTrace(found.trace, maximize: spec.objective?.sense == .maximize, outputs: outputs)
        var lines: [String]
        if let best = found.best {
            // The dense MILP of a smooth network is its surrogate's: its optimum proves nothing about the network.
            let proved = found.dense?.status == .optimal && !graph.hasSmoothActivations
            // When the best point was found: its first entry in the trace.
            let foundAt = found.trace.first { $0.source == best.source && $0.originalObjective == best.objective }?.seconds
            lines = ["status: \(proved ? "optimal" : "feasible")", "objective: \(best.objective)", "source: \(best.source)",
                     "found_at: \(foundAt.map { String(format: "%.3f", $0) } ?? "-")", "solutions: \(found.trace.count)"]
            lines += zip(graph.inputs, best.point.inputs).map { "input \(graph.inputName($0) ?? "?"): \(vectorText($1))" }
            lines += zip(graph.outputs, best.point.networkOutputs).map { "output \($0.name): \(vectorText($1))" }
        } else {
            // An empty input domain has no point: nothing is feasible, whatever the surrogates found.
            let empty = spec.emptyDomainReason(symbols: SymbolTable(graph: graph)) != nil
            // (The dense MILP of a smooth network is its surrogate's: its infeasibility proves nothing.)
            let denseProves = found.dense?.status == .infeasible && !graph.hasSmoothActivations
            let status: SolveStatus = (empty || denseProves) ? .infeasible : deadline.isInterrupted ? .interrupted : .timeLimit
            lines = ["status: \(status.rawValue)", "solutions: \(found.trace.count)"]
        }
        print(lines.joined(separator: "\n"))
    }

    /// Writes `--trace` (CSV) and `--plot` (SVG) for the judged solutions of a run into `outputs`;
    /// `maximize` says which objectives are better.
    func writeTrace(_ trace: [SurrogateSearch.TraceEntry], maximize: Bool, outputs: OutputSet) throws {
        if let path = self.trace {
            let rows = trace.map { "\(String(format: "%.3f", $0.seconds)),\($0.source),\($0.surrogateObjective),\($0.originalObjective.isNaN ? "" : "\($0.originalObjective)")" }
            try outputs.write((["seconds,source,surrogate_objective,original_objective"] + rows).joined(separator: "\n") + "\n", to: path)
        }
        if let plot {
            let title = "\(URL(fileURLWithPath: embedding.userModel ?? modelOptions.model).lastPathComponent): best objective on the original network"
            try outputs.write(TracePlot(trace: trace, maximize: maximize, title: title).svg, to: plot)
        }
    }
}
