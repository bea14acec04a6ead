import ArgumentParser
import Foundation
import NNMIPKit

/// `nnmip compile`: the compiler driver, from a model and a spec to a MILP file.
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a network and a spec into a MILP (MPS or LP) for any solver.",
        discussion: """
            The MILP is exact for the network. The passes (-O2 by default: canonicalize, bounds-symbolic, \
            dead-neuron-elim; see 'nnmip passes') simplify the network and bound every neuron over the input \
            domain; a ReLU that is always active is linear and one that is always inactive is removed, and every \
            other ReLU gets one binary variable with big-M constraints whose constants are its own bounds. Leaky ReLU \
            and max pooling are exact likewise. The inputs must be bounded (--input-box, --input-bounds, \
            --linf-ball, --l1-ball or --spec). An empty domain (a lower bound above an upper one) is a problem \
            like any other: the MILP written says so in two rows and is infeasible, with a warning.

            The format follows -o's name: .mps is free MPS, .lp is CPLEX LP, and a further .gz compresses with \
            gzip; --format chooses for other names, standard output (-o -, the default) and folders, and must \
            agree with a .mps or .lp name. Fixed MPS (--format fixed-mps or --mps-fixed) always has short names, \
            since it holds names of at most 8 characters; numbers that need more than 12 characters are \
            rounded, with a warning. Free MPS and LP print every number so that it reads back as the same \
            Float64, and the same input always gives the same bytes.

            A VNN-LIB spec describes counterexamples. A disjunction (or) is compiled by default into one MILP \
            whose binary variables d_K choose the disjunct that must hold: one file answers the whole property. \
            --disjunct K enforces only disjunct K, and -o DIR/ writes one file per disjunct \
            (MODEL.dK.mps), for solving them separately or in parallel.

            With --model base.mps --networks embed.json (or --network NAME=FILE --link ...), the networks are \
            embedded in your own model: its columns, rows, integrality, objective and names are kept verbatim, and \
            each network instance adds its columns and rows named NAME.<name>. The inputs are bounded by the linked \
            columns' bounds (--bound-inputs lp: also over the model's LP relaxation, the default when a linked \
            column is unbounded); an input that stays unbounded is refused. --maximize/--minimize then take column \
            names and NAME.yK. LP output is refused when a name of the model cannot be written in LP (write MPS).

            Once the files are written, one line per MILP file goes to standard error (also with -o -, whose \
            standard output holds the MILP alone): 'nnmip: wrote m.mps: 1,181 columns (520 binary), 1,637 rows, \
            free MPS; 0.06 s', the seconds being the whole command's. -q or --quiet leaves it out.

            Options that would have no effect are refused: --names, --stats-json, --format, --mps-fixed, \
            --short-names, --disjunct, an objective, and a folder or a .mps or .lp name for -o with --emit-ir; \
            --disjunct with -o DIR/; --ir-full-weights without an IR dump; --print-after and --print-before \
            of a pass the pipeline does not run.

            HiGHS and CBC read a file; GLPK also reads standard input:

            Example: nnmip compile net.onnx --input-box 0:1 --maximize y0 -o m.mps && highs --model_file m.mps

            Example: nnmip compile net.onnx --input-box 0:1 --maximize y0 -o - | glpsol --freemps /dev/stdin -o /dev/stdout
            """
    )

    @OptionGroup var modelOptions: OptionalModelOptions
    @OptionGroup(title: "Embedding in your model") var embedding: EmbeddingOptions
    @OptionGroup(title: "Input domain and objective") var specOptions: SpecOptions
    @OptionGroup(title: "Passes") var passOptions: PassOptions

    // Only the short form: --output names a tensor (see ModelOptions), as in the other subcommands.
    @Option(name: .customShort("o"), help: ArgumentHelp("Write to this file (.mps, .lp, optionally .gz), - for standard output, or DIR/ for one file per disjunct. The file appears only once it is complete.", valueName: "file"))
    var outputFile: String = "-"

    @Option(help: ArgumentHelp("Output format when -o does not imply one (standard output, a folder, another extension): mps, fixed-mps (implies --short-names) or lp. It must agree with -o's .mps or .lp.", valueName: "format"))
    var format: MILPFileFormat?

    @Flag(name: .customLong("mps-fixed"), help: "Write fixed MPS, as --format fixed-mps does (implies --short-names).")
    var mpsFixed = false

    @Flag(name: .customLong("short-names"), help: "Name columns C<n> and rows R<n> (base 36, at most 8 characters).")
    var shortNames = false

    @Option(name: .customLong("names"), help: ArgumentHelp("Write a JSON map from every MILP variable to its network neuron, and from every layer to the ONNX node or Keras layer it came from.", valueName: "file"))
    var namesFile: String?

    @Option(name: .customLong("stats"),
            help: ArgumentHelp("Print 'name: value' counts to standard error (variables, binaries, constraints, nonzeros, relu_inactive, relu_active, relu_unstable, ...); --stats alone is --stats summary, and --stats layers (or --stats=layers) adds per-layer counts.", valueName: "summary|layers"))
    var stats: StatsLevel?

    @Option(name: .customLong("stats-json"), help: ArgumentHelp("Write the same counts, with per-layer ones, as JSON.", valueName: "file"))
    var statsJSON: String?

    @Flag(name: .customLong("emit-ir"), help: "Print the IR after the passes (with bounds when the inputs are bounded) and stop.")
    var emitIR = false

    @Flag(name: .customLong("ir-full-weights"), help: "Print every weight in IR dumps (needed to read the dump back).")
    var irFullWeights = false

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No summary line ('nnmip: wrote FILE: ...') and no pass progress on standard error.")
    var quiet = false

    func validate() throws {
        try validateEmbedding()
        if mpsFixed, let format, format != .fixedMPS {
            throw ValidationError("--mps-fixed contradicts --format \(format.rawValue)")
        }
        let noMILP = "--emit-ir writes the IR and no MILP"
        let objective = specOptions.maximize != nil ? "--maximize" : "--minimize"
        try IneffectiveOptions.refuse([
            ("--names", emitIR && namesFile != nil, noMILP),
            ("--stats-json", emitIR && statsJSON != nil, noMILP),
            ("--format", emitIR && format != nil, noMILP),
            ("--mps-fixed", emitIR && mpsFixed, noMILP),
            ("--short-names", emitIR && shortNames, noMILP),
            ("--disjunct", emitIR && specOptions.disjunct != nil, noMILP),
            (objective, emitIR && (specOptions.maximize != nil || specOptions.minimize != nil), "\(noMILP), so no objective"),
            ("--stats", emitIR && stats != nil && !specOptions.describesDomain, "--emit-ir without an input domain runs no bounds pass to count"),
            ("-o \(outputFile)", emitIR && isFolder(outputFile), "-o DIR/ writes one MILP per disjunct, and --emit-ir writes one IR; give -o FILE"),
            ("-o \(outputFile)", emitIR && MILPFileFormat.implied(by: outputFile) != nil,
             "its name says MPS or LP, and --emit-ir writes IR text; name it .nnir"),
            ("--disjunct", !emitIR && specOptions.disjunct != nil && isFolder(outputFile),
             "-o DIR/ writes a file for every disjunct; give -o FILE for disjunct K alone"),
            ("--ir-full-weights", irFullWeights && !emitIR && !passOptions.dumpsIR,
             "it applies to IR dumps (--emit-ir, --print-after-all, --print-after, --print-before, --print-changed)"),
        ])
        if let chosen = mpsFixed ? .fixedMPS : format, !isFolder(outputFile), let implied = MILPFileFormat.implied(by: outputFile),
           (chosen == .lp) != (implied == .lp) {
            let given = mpsFixed ? "--mps-fixed" : "--format \(chosen.rawValue)"
            throw ValidationError("\(given) contradicts -o \(outputFile), whose name says \(implied == .lp ? "LP" : "MPS"); drop \(mpsFixed ? "--mps-fixed" : "--format") or rename the file")
        }
    }

    /// The files compile reads and writes (see `CommandFiles`); -o DIR/'s files are added once the
    /// spec says how many there are.
    var files: CommandFiles {
        if embedding.isActive { return embeddedFiles }
        var files = CommandFiles()
        modelOptions.declareInputs(&files)
        specOptions.declareInputs(&files)
        files.writes(emitIR || !isFolder(outputFile) ? outputFile : nil, as: "-o")
        if !emitIR {
            files.writes(namesFile, as: "--names")
            files.writes(statsJSON, as: "--stats-json")
        }
        return files
    }

    func run() throws {
        if embedding.isActive { return try runEmbedded() }
        let began = MonotonicClock.now()
        // The MILP files written, for the summary lines printed once they are committed.
        var written: [CompileSummary] = []
        try reportingErrors(files: files) { outputs in
            let loaded = try modelOptions.load()
            let printer = IRPrinter(elideListsLongerThan: irFullWeights ? nil : IRPrinter.readableListLength)
            let spec = (emitIR && !specOptions.describesDomain) ? nil : try specOptions.build(for: loaded.graph)
            let modelName = modelOptions.modelName
            let fileFormat = try chosenFormat()
            // Every file of -o DIR/ is opened now, before the passes and the formulation.
            let folderFiles = try spec.flatMap { emitIR || !isFolder(outputFile) ? nil : try openFolder(for: $0, modelName: modelName, format: fileFormat, outputs: outputs) }
            let statistics = (stats != nil && spec != nil) ? PassStatisticsInstrumentation(spec: spec!) : nil
            let (passes, timing) = try passOptions.passManager(printer: printer, extra: statistics.map { [$0] } ?? [])
            var context = try passOptions.pipelineOptions.context(for: passes.pipeline, quiet: quiet)
            let optimized = try Compilation.optimized(loaded.graph, spec: spec, passes: passes, context: &context)
            if let timing { writeToStandardError(timing.report) }
            if let statistics {
                let remarks = context.remarks.filter { stats?.prints($0) ?? false }.map { "\($0.pass): \($0.message)" }
                writeToStandardError(statistics.report + "===== pass remarks =====\n" + remarks.joined(separator: "\n") + "\n")
            }
            if emitIR {
                try outputs.write(printer.print(optimized), to: outputFile)
                return
            }
            guard let spec else { return }
            let naming = naming(for: fileFormat)

            if let folderFiles {
                written = try writeFolder(optimized, network: loaded.graph, spec: spec, files: folderFiles, modelName: modelName,
                                          format: fileFormat, naming: naming, outputs: outputs)
                return
            }
            let formulation = try modelOptions.attributing {
                try Formulator.formulate(optimized, spec: spec, disjuncts: specOptions.disjunctChoice, name: modelName)
            }
            try write(formulation, to: outputs.file(outputFile), format: fileFormat, naming: naming, spec: spec, choice: specOptions.disjunctChoice)
            try writeMaps(formulation, network: loaded.graph, spec: spec, naming: naming, outputs: outputs)
            report(formulation.statistics, heading: nil)
            written = [CompileSummary(path: outputFile, format: fileFormat, statistics: formulation.statistics)]
        }
        if !quiet {
            let seconds = MonotonicClock.now() - began
            writeToStandardError(written.map { $0.line(seconds: seconds) + "\n" }.joined())
        }
    }

    func chosenFormat() throws -> MILPFileFormat {
        if mpsFixed { return .fixedMPS }
        if let format { return format }
        return MILPFileFormat.implied(by: outputFile) ?? .mps
    }

    /// The names of a file in `format`: short with --short-names, and always in fixed MPS, which
    /// holds names of at most 8 characters.
    func naming(for format: MILPFileFormat) -> NamingStyle {
        (shortNames || format == .fixedMPS) ? .short : .readable
    }

    func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }

    /// Creates the folder `outputFile` and opens its files in `outputs`: one per disjunct (or one
    /// when the spec has no disjunction), each with the disjuncts it enforces.
    private func openFolder(for spec: Spec, modelName: String, format: MILPFileFormat,
                            outputs: OutputSet) throws -> [(choice: DisjunctChoice, path: String)] {
        try outputs.createFolder(outputFile)
        // The paths as the user wrote the folder, so that messages show them that way.
        let folder = outputFile.hasSuffix("/") ? outputFile : outputFile + "/"
        let choices: [(DisjunctChoice, String)] = spec.disjuncts.isEmpty
            ? [(.any, "\(modelName).\(format.fileExtension)")]
            : spec.disjuncts.indices.map { (.only($0), "\(modelName).d\($0).\(format.fileExtension)") }
        let files = choices.map { (choice: $0.0, path: folder + $0.1) }
        for file in files { try outputs.add(OutputSet.Role("-o", file.path)) }
        return files
    }

    /// One file per disjunct (or one file when the spec has no disjunction) in the folder `outputFile`;
    /// --names and --stats-json describe the last of them. Returns what each file holds.
    private func writeFolder(_ graph: Graph, network: Graph, spec: Spec, files: [(choice: DisjunctChoice, path: String)], modelName: String,
                             format: MILPFileFormat, naming: NamingStyle, outputs: OutputSet) throws -> [CompileSummary] {
        var last: Formulation?
        var written: [CompileSummary] = []
        for (choice, path) in files {
            let formulation = try modelOptions.attributing { try Formulator.formulate(graph, spec: spec, disjuncts: choice, name: modelName) }
            try write(formulation, to: outputs.file(path), format: format, naming: naming, spec: spec, choice: choice)
            report(formulation.statistics, heading: path)
            written.append(CompileSummary(path: path, format: format, statistics: formulation.statistics))
            last = formulation
        }
        if let last { try writeMaps(last, network: network, spec: spec, naming: naming, outputs: outputs) }
        return written
    }

    private func write(_ formulation: Formulation, to out: OutputFile, format: MILPFileFormat, naming: NamingStyle, spec: Spec,
                       choice: DisjunctChoice) throws {
        var comments = ["nnmip \(NNMIP.configuration.version): \(modelOptions.model)"]
        if let objective = spec.objective { comments.append("objective: \(objective.sense.rawValue) (see --names for the variables)") }
        if !spec.disjuncts.isEmpty {
            switch choice {
            case .only(let k): comments.append("disjunct \(k) of \(spec.disjuncts.count)")
            case .any: comments.append("any of \(spec.disjuncts.count) disjuncts (binaries d_K)")
            }
        }
        let rounded = try format.write(formulation.model, to: out, naming: naming, comments: comments)
        if rounded > 0 {
            Diagnostics.report(Diagnostic(.unsupported, severity: .warning, file: out.path,
                                          "\(rounded) numbers were rounded to fit fixed MPS's 12-character fields; free MPS keeps them exact"))
        }
    }

    /// Writes --names (identifying `network` and `spec`) and --stats-json for `formulation`.
    private func writeMaps(_ formulation: Formulation, network: Graph, spec: Spec, naming: NamingStyle, outputs: OutputSet) throws {
        if let namesFile {
            let identity = ModelIdentity(graph: network, spec: spec)
            try outputs.write(formulation.names.json(columnNames: formulation.model.columnNames(naming), modelFile: modelOptions.model,
                                                     identity: identity), to: namesFile)
        }
        try outputs.write(formulation.statistics.json, to: statsJSON)
    }

    private func report(_ statistics: FormulationStatistics, heading: String?) {
        guard let stats else { return }
        var lines = heading.map { ["file: \($0)"] } ?? []
        lines += statistics.summary.map { "\($0.0): \($0.1)" }
        if stats == .layers { lines += statistics.layerLines.map { "\($0.0): \($0.1)" } }
        writeToStandardError(lines.joined(separator: "\n") + "\n")
    }
}
