import Foundation

/// The compile pipeline for networks embedded in a user's own model: read the
/// model with HiGHS's reader, load each network file once, resolve the links,
/// bound every instance's inputs (the columns' bounds, or the model's LP
/// relaxation), run the passes per instance, formulate each instance with the
/// `Formulator`, and join the formulations to the model (`EmbeddingJoin`).
public struct EmbeddedCompilation: Sendable {
    /// Where the bounds of linked inputs come from.
    public enum InputBounding: String, CaseIterable, Sendable {
        /// The linked columns' bounds only; an unbounded one is refused.
        case columns
        /// The columns' bounds tightened by the min and max of each linked column over the LP relaxation of the model.
        case lp
    }

    /// What the pipeline is told besides the files.
    public struct Options: Sendable {
        /// The passes each instance gets; its leading `canonicalize` passes run once per network file.
        public var pipeline: Pipeline
        /// The input bounds' source; nil: `.lp` when a linked column is unbounded, else `.columns`.
        public var inputBounding: InputBounding?
        /// The objective replacing the model file's and the embedding's (the command line's).
        public var objective: ColumnObjective?
        /// The sense replacing the model file's, with the flag that gave it.
        public var sense: (MILPModel.Sense, source: String)?
        /// The command's deadline, for the LPs and the passes.
        public var deadline: Deadline = .none
        /// Threads for the LPs of the input bounds.
        public var threads = ProcessInfo.processInfo.activeProcessorCount

        /// Options with `pipeline` and every other choice left to the defaults.
        public init(pipeline: Pipeline) {
            self.pipeline = pipeline
        }
    }

    /// One network file, loaded once however many instances use it.
    public struct Network: Sendable {
        /// The path of its first use.
        public var path: String
        /// The network as the file gives it: solutions are judged on it.
        public var original: Graph
        /// After the pipeline's leading `canonicalize` passes, unbounded: each instance starts from it.
        public var canonical: Graph
    }

    /// The user's model as read.
    public var user: UserModel
    /// The embedding resolved against it.
    public var plan: EmbeddingPlan
    /// The distinct network files.
    public var networks: [Network]
    /// The network of each instance (an index into `networks`).
    public var networkOfInstance: [Int]
    /// Each instance's inputs' bounds, in flattened order, as the formulation used them.
    public var inputBounds: [Bounds]
    /// Where the input bounds came from.
    public var inputBounding: InputBounding
    /// Each instance after its passes, formulated, and the combined MILP.
    public var formulation: EmbeddedFormulation

    /// Each instance after its passes (bounded), as formulated.
    public var formulated: [Graph] { formulation.formulated }
    /// The combined MILP.
    public var embedded: EmbeddedModel { formulation.embedded }

    /// The original network of each instance, as solutions are judged on it.
    public var instanceNetworks: [Graph] {
        networkOfInstance.map { networks[$0].original }
    }

    /// The network file of each instance, for messages.
    public var instancePaths: [String] {
        networkOfInstance.map { networks[$0].path }
    }

    /// The model, its networks and the links, resolved: what `check` needs, and `compile` starts from.
    public struct Resolution: Sendable {
        /// The user's model as read.
        public var user: UserModel
        /// The embedding resolved against it.
        public var plan: EmbeddingPlan
        /// The distinct network files.
        public var networks: [Network]
        /// The network of each instance (an index into `networks`).
        public var networkOfInstance: [Int]

        /// The original network of each instance, as solutions are judged on it.
        public var instanceNetworks: [Graph] {
            networkOfInstance.map { networks[$0].original }
        }

        /// Each instance's canonicalized network, unbounded: what its passes start from.
        public var instanceCanonicalNetworks: [Graph] {
            networkOfInstance.map { networks[$0].canonical }
        }

        /// The network file of each instance, for messages.
        public var instancePaths: [String] {
            networkOfInstance.map { networks[$0].path }
        }
    }

    /// Reads the model in `modelPath` with the HiGHS of `library`, loads the networks of `embedding`
    /// once per file (canonicalized by `options.pipeline`'s leading passes) and resolves the links.
    public static func resolve(modelPath: String, embedding: EmbeddingSpec, options: Options, library: HiGHSLibrary) throws -> Resolution {
        let user = try UserModelReader.read(modelPath, library: library)
        let (networks, networkOfInstance) = try load(embedding, pipeline: options.pipeline)
        let sizes = networkOfInstance.map { i in
            (inputs: networks[i].original.flatInputCount,
             outputs: networks[i].original.outputs.reduce(0) { $0 + networks[i].original[$1.value].elementCount })
        }
        let plan = try EmbeddingPlan(user: user, embedding: embedding, sizes: sizes, objective: options.objective, sense: options.sense)
        return Resolution(user: user, plan: plan, networks: networks, networkOfInstance: networkOfInstance)
    }

    /// Compiles `embedding` into the model in `modelPath`, with the HiGHS of `library`.
    public static func compile(modelPath: String, embedding: EmbeddingSpec, options: Options, library: HiGHSLibrary) throws -> EmbeddedCompilation {
        let resolution = try resolve(modelPath: modelPath, embedding: embedding, options: options, library: library)
        let (user, plan, networks, networkOfInstance) = (resolution.user, resolution.plan, resolution.networks, resolution.networkOfInstance)
        let (inputBounds, bounding) = try boundInputs(resolution, embedding: embedding, options: options, library: library)
        let formulation = try EmbeddedFormulation.build(plan, graphs: resolution.instanceCanonicalNetworks, inputBounds: inputBounds,
                                                        paths: resolution.instancePaths,
                                                        pipeline: passesPerInstance(options.pipeline), library: library, deadline: options.deadline)
        return EmbeddedCompilation(user: user, plan: plan, networks: networks, networkOfInstance: networkOfInstance, inputBounds: inputBounds,
                                   inputBounding: bounding, formulation: formulation)
    }

    /// The passes each instance gets: `pipeline` after its leading `canonicalize` passes, which run once per network file.
    public static func passesPerInstance(_ pipeline: Pipeline) -> Pipeline {
        Pipeline(entries: Array(pipeline.entries.drop { $0.name == CanonicalizePass.name }))
    }

    /// Each distinct network file of `embedding` (by device and inode, so two spellings of one path
    /// load once), canonicalized by `pipeline`'s leading `canonicalize` passes, and each instance's file.
    private static func load(_ embedding: EmbeddingSpec, pipeline: Pipeline) throws -> ([Network], [Int]) {
        let canonicalize = Pipeline(entries: Array(pipeline.entries.prefix { $0.name == CanonicalizePass.name }))
        var networks: [Network] = [], index: [String: Int] = [:], byIdentity: [FileIdentity: Int] = [:]
        let networkOfInstance = try embedding.networks.map { instance -> Int in
            if let known = index[instance.model] { return known }
            let identity = FileIdentity.of(instance.model)
            if let identity, let known = byIdentity[identity] {
                index[instance.model] = known
                return known
            }
            let original: Graph
            do {
                original = try ModelLoader.load(instance.model).graph
            } catch var diagnostic as Diagnostic {
                diagnostic.message += " (the model of \(instance.place)\(embedding.file.map { " in \($0)" } ?? ""))"
                throw diagnostic
            }
            var canonical = original
            var context = PassContext(deadline: .none)
            try PassManager(pipeline: canonicalize).run(on: &canonical, context: &context)
            networks.append(Network(path: instance.model, original: original, canonical: canonical))
            index[instance.model] = networks.count - 1
            if let identity { byIdentity[identity] = networks.count - 1 }
            return networks.count - 1
        }
        return (networks, networkOfInstance)
    }

    /// Every instance's input bounds (flattened) and where they came from: constants fix their input,
    /// a column gives its bounds, tightened over the LP relaxation of the model with `.lp` (the default
    /// when a linked column is unbounded).
    /// - Throws: `Diagnostic(.unsupported)` naming the instance, the input and the column for an input
    ///   still unbounded: no big-M is ever assumed.
    public static func boundInputs(_ resolution: Resolution, embedding: EmbeddingSpec, options: Options,
                                   library: HiGHSLibrary) throws -> ([Bounds], InputBounding) {
        let plan = resolution.plan, model = plan.base
        var linked: [Int] = []
        var seen = Set<Int>()
        for instance in plan.instances {
            for case .column(let c) in instance.inputs where seen.insert(c).inserted { linked.append(c) }
        }
        let unbounded = linked.contains { !model.columnLower[$0].isFinite || !model.columnUpper[$0].isFinite }
        let bounding = options.inputBounding ?? (unbounded ? .lp : .columns)
        var lower = model.columnLower, upper = model.columnUpper
        if bounding == .lp, !linked.isEmpty {
            let ranges = try LinkedColumnRanges.solve(model, columns: linked, library: library, threads: options.threads, deadline: options.deadline)
            for (c, range) in zip(linked, ranges) {
                guard let range else { continue }
                lower[c] = max(lower[c], range.lower)
                upper[c] = min(upper[c], range.upper)
            }
        }
        for c in linked where model.columnIsInteger[c] {
            // An integer column takes integer values only: its bounds round inward.
            (lower[c], upper[c]) = (lower[c].rounded(.up), upper[c].rounded(.down))
        }
        let bounds = try plan.instances.map { instance in
            var b = Bounds(lower: [], upper: [])
            for (k, source) in instance.inputs.enumerated() {
                switch source {
                case .constant(let value):
                    b.lower.append(value)
                    b.upper.append(value)
                case .column(let c):
                    guard lower[c].isFinite, upper[c].isFinite else {
                        let side = lower[c].isFinite ? "above" : "below"
                        let how = bounding == .lp ? "even over the LP relaxation of the model" : "(--bound-inputs columns)"
                        throw Diagnostic(.unsupported, file: embedding.file, location: instance.description.inputPlace(k),
                                         "input \(k) of network '\(instance.name)' is column '\(model.columnNames[c])', which is unbounded \(side) \(how); bound the column: nnmip never assumes a big-M")
                    }
                    b.lower.append(lower[c])
                    b.upper.append(upper[c])
                }
            }
            return b
        }
        return (bounds, bounding)
    }
}
