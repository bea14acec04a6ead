import ArgumentParser
import Foundation
import NNMIPKit

/// The pass pipeline, as LLVM's `opt` spells it: an -O level or --passes, and the HiGHS that
/// bounds-lp loads.
struct PipelineOptions: ParsableArguments {
    @Option(name: .customShort("O", allowingJoined: true),
            help: ArgumentHelp("Optimization level: -O0 interval bounds only; -O1 adds canonicalize and dead-neuron-elim; -O2 (default) uses bounds-symbolic; -O3 adds bounds-alpha and bounds-lp (needs HiGHS). See 'nnmip passes'.", valueName: "level"))
    var level: Int?

    @Option(name: .customLong("passes"),
            help: ArgumentHelp("Run this pipeline instead of an -O level, e.g. 'canonicalize,bounds-lp{timeout=30,threads=2},dead-neuron-elim'.", valueName: "pipeline"))
    var passes: String?

    @Option(name: .customLong("pwl-segments"),
            help: ArgumentHelp("Replace each smooth activation (sigmoid, tanh, softplus, SiLU, GELU, ELU, SELU, HardSwish) by a piecewise-linear function of this many pieces per neuron (pass pwl-approx, 1 to 64; each inner breakpoint is one binary). compile needs it for such networks; solve searches that surrogate and judges every point on the smooth network (default 8); verify uses it for the sound enclosure (default 8).", valueName: "K"))
    var pwlSegments: Int?

    @Flag(name: .customLong("pwl-enclosure"),
          help: "compile: widen each piecewise-linear interpolant by its certified error, so the MILP holds every value the smooth network can take (infeasible means no input of the domain satisfies the spec); without it, the interpolant (a surrogate).")
    var pwlEnclosure = false

    @Option(name: .customLong("highs-library"), help: ArgumentHelp("The HiGHS shared library for bounds-lp, a relative path from the current directory (else NNMIP_HIGHS_LIBRARY, the project's .tools/highs, then the system's).", valueName: "path"))
    var highsLibrary: String?

    func validate() throws {
        if level != nil && passes != nil { throw ValidationError("give either -O or --passes, not both") }
        if let level, Pipeline.optimizationLevel(level) == nil { throw ValidationError("-O\(level): the levels are 0, 1, 2 and 3") }
        if let pwlSegments, !(1...PiecewiseLinearApproximationPass.segmentLimit).contains(pwlSegments) {
            throw ValidationError("--pwl-segments \(pwlSegments): it must be between 1 and \(PiecewiseLinearApproximationPass.segmentLimit)")
        }
        if pwlEnclosure && pwlSegments == nil { throw ValidationError("--pwl-enclosure needs --pwl-segments K (the pieces of the enclosure)") }
    }

    /// The pipeline these options choose, with `pwl-approx` when --pwl-segments is given.
    func pipeline() throws -> Pipeline {
        let chosen = try chosenPipeline()
        guard let pwlSegments else { return chosen }
        return chosen.approximatingSmoothActivations(segments: pwlSegments, enclosure: pwlEnclosure)
    }

    /// The -O level or --passes pipeline, as given.
    private func chosenPipeline() throws -> Pipeline {
        if let passes { return try Pipeline(parsing: passes) }
        return Pipeline.optimizationLevel(level ?? Pipeline.defaultOptimizationLevel)!
    }

    /// The pieces per neuron of the piecewise-linear surrogate or enclosure of smooth activations.
    var smoothSegments: Int { pwlSegments ?? Self.defaultSmoothSegments }

    /// The pieces `solve` and `verify` use when --pwl-segments is not given.
    static let defaultSmoothSegments = 8

    /// The pipeline, refusing passes that change the network: `solve` and `verify` answer for the
    /// network given, and a pruned one is a surrogate (`--surrogate`), not the network.
    func functionPreservingPipeline() throws -> Pipeline {
        let pipeline = try chosenPipeline()
        if let pass = pipeline.functionChangingPasses.first {
            throw Diagnostic(.usage, location: "--passes", "'\(pass)' changes the network, so the answer would not be the network's; use --surrogate to search pruned copies, or compile/prune to write the pruned network")
        }
        return pipeline
    }

    /// The context the passes run in: HiGHS for bounds-lp when the pipeline has it, `threads` threads
    /// (at most one per core; nothing else runs while the passes do), and (unless `quiet`) at most one
    /// progress line a second on standard error.
    func context(for pipeline: Pipeline, quiet: Bool = false, threads: Int? = nil) throws -> PassContext {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var context = PassContext(progress: quiet ? nil : { line in FileHandle.standardError.write(Data(("nnmip: " + line + "\n").utf8)) },
                                  threads: min(threads ?? cores, cores))
        if pipeline.entries.contains(where: { $0.name == LPBoundsPass.name }) {
            context.linearRelaxations = HiGHSLinearRelaxations(library: try HiGHSLibrary.load(explicitPath: highsLibrary))
        }
        return context
    }
}

/// The pass pipeline and its instrumentation (IR dumps, the verifier, timing), for the commands
/// that run the passes themselves (`compile`, `solve`); `verify` takes the pipeline alone.
struct PassOptions: ParsableArguments {
    @OptionGroup var pipelineOptions: PipelineOptions

    @Flag(name: .customLong("print-after-all"), help: "Print the IR to standard error after every pass.")
    var printAfterAll = false

    @Option(name: .customLong("print-after"), help: ArgumentHelp("Print the IR to standard error after each run of this pass; repeatable.", valueName: "pass"))
    var printAfter: [String] = []

    @Option(name: .customLong("print-before"), help: ArgumentHelp("Print the IR to standard error before each run of this pass; repeatable.", valueName: "pass"))
    var printBefore: [String] = []

    @Flag(name: .customLong("print-changed"), help: "Print the IR after a pass only when the pass changed it (alone: after every pass that did).")
    var printChanged = false

    @Flag(name: .customLong("verify-each"), help: "Run the IR verifier after every pass.")
    var verifyEach = false

    @Flag(name: .customLong("time-passes"), help: "Print each pass's running time to standard error.")
    var timePasses = false

    func validate() throws {
        for name in printAfter + printBefore where PassRegistry.pass(named: name) == nil {
            throw ValidationError("--print-after/--print-before '\(name)': no such pass; 'nnmip passes' lists them")
        }
        // (A pipeline that does not parse is refused where it is read, with the place of the fault.)
        guard let pipeline = try? pipelineOptions.pipeline() else { return }
        let running = Set(pipeline.entries.map(\.name))
        let dumps = printAfter.map { ("--print-after", $0) } + printBefore.map { ("--print-before", $0) }
        try IneffectiveOptions.refuse(dumps.map { option, name in
            ("\(option) \(name)", !running.contains(name), "the pipeline '\(pipeline)' does not run \(name)")
        })
    }

    /// The instrumentation options given, as typed (`--time-passes`), for commands that refuse them
    /// where no pass manager of theirs runs.
    var instrumentationGiven: [String] {
        [(printAfterAll, "--print-after-all"), (!printAfter.isEmpty, "--print-after"), (!printBefore.isEmpty, "--print-before"),
         (printChanged, "--print-changed"), (verifyEach, "--verify-each"), (timePasses, "--time-passes")].filter(\.0).map(\.1)
    }

    /// Whether an option asks for IR dumps on standard error.
    var dumpsIR: Bool {
        printAfterAll || printChanged || !printAfter.isEmpty || !printBefore.isEmpty
    }

    /// The pass manager with the instrumentation the flags ask for (dumps and
    /// reports go to standard error); `extra` instruments come last.
    /// `pipeline` replaces the one the options choose.
    func passManager(printer: IRPrinter, extra: [any PassInstrumentation] = [], pipeline: Pipeline? = nil) throws -> (PassManager, TimingInstrumentation?) {
        var manager = PassManager(pipeline: try pipeline ?? pipelineOptions.pipeline())
        if dumpsIR {
            let dumps = IRPrintingInstrumentation(printer: printer) { FileHandle.standardError.write(Data($0.utf8)) }
            dumps.afterAll = printAfterAll
            dumps.after = Set(printAfter)
            dumps.before = Set(printBefore)
            dumps.changedOnly = printChanged
            manager.instrumentations.append(dumps)
        }
        if verifyEach { manager.instrumentations.append(VerifyingInstrumentation()) }
        let timing = timePasses ? TimingInstrumentation() : nil
        if let timing { manager.instrumentations.append(timing) }
        manager.instrumentations += extra
        return (manager, timing)
    }
}
