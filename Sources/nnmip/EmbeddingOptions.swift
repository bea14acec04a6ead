import ArgumentParser
import Foundation
import NNMIPKit

/// The network argument of `compile` and `solve`, which `--model` with `--networks` (or
/// `--network`) replaces: networks embedded in the user's own model.
struct OptionalModelOptions: ParsableArguments, NetworkFileOptions {
    @Argument(help: ArgumentHelp(ModelOptions.argumentHelp + " Not with --model, whose networks --networks or --network names.", valueName: "model"))
    var file: String?

    @OptionGroup var loading: NetworkLoadingOptions

    /// The network file ("" when --model takes its place; the commands check that one of them is given).
    var model: String { file ?? "" }
}

/// The options that embed trained networks in the user's own optimization model (`compile`,
/// `solve` and `check`).
struct EmbeddingOptions: ParsableArguments {
    @Option(name: .customLong("model"),
            help: ArgumentHelp("Your optimization model, MPS or LP (optionally .gz), read by HiGHS's own reader; the networks of --networks or --network are embedded in it.", valueName: "file"))
    var userModel: String?

    @Option(name: .customLong("networks"),
            help: ArgumentHelp("The networks to embed in --model and the columns that feed and hold their inputs and outputs (JSON, see schemas/embed.schema.json).", valueName: "file"))
    var networksFile: String?

    @Option(name: .customLong("network"),
            help: ArgumentHelp("One network instance, NAME=FILE (the shorthand of --networks, with --link); repeatable.", valueName: "name=file"))
    var networks: [String] = []

    @Option(name: .customLong("link"),
            help: ArgumentHelp("What feeds or holds a --network's elements: NAME.x=COL,COL,... (inputs in order: column names or numbers), NAME.y=COL,... (outputs; an output not linked gets a new column NAME.yK), NAME.xK=COL for one element; repeatable.", valueName: "link"))
    var links: [String] = []

    @Option(name: .customLong("sense"),
            help: ArgumentHelp("The sense of the model file's own objective, for files that lost it: max or min (PuLP's MPS writer puts it only in a comment).", valueName: "max|min"))
    var sense: SenseArgument?

    @Option(name: .customLong("bound-inputs"),
            help: ArgumentHelp("Bound the linked network inputs by their columns' bounds (columns), or also by each column's min and max over the LP relaxation of --model (lp; the default when a linked column is unbounded).", valueName: "columns|lp"))
    var boundInputs: EmbeddedCompilation.InputBounding?

    /// `--sense`'s values.
    enum SenseArgument: String, ExpressibleByArgument, CaseIterable {
        case max, min, maximize, minimize

        var sense: MILPModel.Sense { self == .max || self == .maximize ? .maximize : .minimize }
    }

    /// Whether any of these options is given: the command then works on --model.
    var isActive: Bool {
        userModel != nil || networksFile != nil || !networks.isEmpty || !links.isEmpty || sense != nil || boundInputs != nil
    }

    func validate() throws {
        guard isActive else { return }
        guard userModel != nil else { throw ValidationError("--networks, --network, --link, --sense and --bound-inputs go with --model") }
        if networksFile != nil, !(networks.isEmpty && links.isEmpty) { throw ValidationError("give either --networks or --network with --link, not both") }
        if networksFile == nil, networks.isEmpty { throw ValidationError("--model needs --networks FILE or --network NAME=FILE") }
    }

    /// Checks what the embedding allows of the command's other options: a network argument goes
    /// without --model, and of the spec flags only --maximize and --minimize apply (to column names).
    func validate(networkArgument: String?, spec: SpecOptions, loading: NetworkLoadingOptions) throws {
        guard isActive else {
            if networkArgument == nil { throw ValidationError("give a network file, or --model with --networks") }
            return
        }
        if let networkArgument { throw ValidationError("give either a network file ('\(networkArgument)') or --model with --networks, not both") }
        if spec.describesDomain || !spec.constraints.isEmpty || spec.disjunct != nil {
            throw ValidationError("with --model, the networks' inputs are the model's columns: --input-box, --input-bounds, --linf-ball, --l1-ball, --spec, --constraint and --disjunct do not apply")
        }
        if !loading.outputs.isEmpty || loading.kerasConfig != nil { throw ValidationError("--output and --keras-config do not apply with --model") }
        if sense != nil, spec.maximize != nil || spec.minimize != nil {
            throw ValidationError("--sense applies to the model file's objective; --maximize and --minimize give their own sense")
        }
    }

    /// Refuses the pass instrumentation options, which the passes of each network instance run without.
    func refuseInstrumentation(_ passOptions: PassOptions) throws {
        try IneffectiveOptions.refuse([(passOptions.instrumentationGiven.first ?? "", !passOptions.instrumentationGiven.isEmpty,
                                        "with --model the passes run once per network instance, without IR dumps, verification or timing")])
    }

    /// Declares the files these options read.
    func declareInputs(_ files: inout CommandFiles) {
        files.reads(userModel, as: "the --model file")
        files.reads(networksFile, as: "the --networks file")
        for network in networks { files.reads(network.split(separator: "=", maxSplits: 1).last.map(String.init), as: "the --network file") }
    }

    /// The embedding these options describe.
    func embeddingSpec() throws -> EmbeddingSpec {
        if let networksFile { return try EmbeddingFile.read(networksFile) }
        return try EmbeddingShorthand.parse(networks: networks, links: links)
    }

    /// The compile pipeline's options: `pipeline` for every instance, and the objective of
    /// --maximize or --minimize (`maximize`, `minimize`: over column names and NAME.yK), which replaces the others.
    func compilationOptions(pipeline: Pipeline, maximize: String?, minimize: String?, deadline: Deadline) throws -> EmbeddedCompilation.Options {
        var options = EmbeddedCompilation.Options(pipeline: pipeline)
        options.inputBounding = boundInputs
        options.sense = sense.map { ($0.sense, source: "--sense \($0.rawValue)") }
        options.deadline = deadline
        if let text = maximize {
            options.objective = ColumnObjective(sense: .maximize, expression: try ColumnExpression.parse(text, source: "--maximize"), source: "--maximize")
        } else if let text = minimize {
            options.objective = ColumnObjective(sense: .minimize, expression: try ColumnExpression.parse(text, source: "--minimize"), source: "--minimize")
        }
        return options
    }

    /// Compiles the embedding into --model, with `library`, the objective of `spec`'s --maximize or --minimize.
    func compile(pipeline: Pipeline, spec: SpecOptions, deadline: Deadline, library: HiGHSLibrary) throws -> EmbeddedCompilation {
        let options = try compilationOptions(pipeline: pipeline, maximize: spec.maximize, minimize: spec.minimize, deadline: deadline)
        let compilation = try EmbeddedCompilation.compile(modelPath: userModel!, embedding: try embeddingSpec(), options: options, library: library)
        compilation.plan.warnings.forEach(Diagnostics.report)
        return compilation
    }

    /// Reads --model, loads the networks (canonicalized by `pipeline`'s leading passes) and resolves
    /// the links, with `library`; returns them with the embedding and the options they were resolved with.
    func resolve(pipeline: Pipeline, maximize: String?, minimize: String?, deadline: Deadline, library: HiGHSLibrary)
        throws -> (embedding: EmbeddingSpec, options: EmbeddedCompilation.Options, resolution: EmbeddedCompilation.Resolution) {
        let embedding = try embeddingSpec()
        let options = try compilationOptions(pipeline: pipeline, maximize: maximize, minimize: minimize, deadline: deadline)
        let resolution = try EmbeddedCompilation.resolve(modelPath: userModel!, embedding: embedding, options: options, library: library)
        resolution.plan.warnings.forEach(Diagnostics.report)
        return (embedding, options, resolution)
    }
}

extension EmbeddedCompilation.InputBounding: ExpressibleByArgument {}
