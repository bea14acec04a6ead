import NNIR
import NNSpec

/// An embedding checked against the user's model: every link resolved to a
/// column, the new columns added, and the objective chosen.
///
/// `base` is the user's model (columns, rows, integrality and names
/// verbatim) followed by the new columns: the `{"new": ...}` inputs in the
/// order they first appear, then each instance's `NAME.yK` outputs. The
/// networks' own columns and rows come after, when `EmbeddingJoin` adds them.
public struct EmbeddingPlan: Sendable {
    /// What feeds one network input element.
    public enum InputSource: Equatable, Sendable {
        /// A column of `base`.
        case column(Int)
        /// A constant.
        case constant(Double)
    }

    /// One network instance, resolved.
    public struct Instance: Sendable {
        /// The instance as described.
        public var description: EmbeddedNetwork
        /// Each input element's source, in the network's flattened input order.
        public var inputs: [InputSource]
        /// Each output element's column in `base`, in the network's flattened output order.
        public var outputs: [Int]
        /// The instance's name.
        public var name: String { description.name }
    }

    /// Where the objective came from, for reports: "the model file", "--maximize", "objective.maximize of embed.json"...
    public struct ObjectiveOrigin: Sendable, CustomStringConvertible {
        /// The objective's source.
        public var objective: String
        /// The sense's source, when it is not the objective's own.
        public var sense: String?

        public var description: String {
            sense.map { "\(objective), sense from \($0)" } ?? objective
        }
    }

    /// The user's model with the new columns and the chosen objective.
    public private(set) var base: MILPModel
    /// How many of `base`'s columns are the user's own (the rest are new).
    public let userColumnCount: Int
    /// The instances, in order.
    public private(set) var instances: [Instance] = []
    /// Where the objective and its sense came from.
    public private(set) var objectiveOrigin: ObjectiveOrigin
    /// Warnings for the user (a sense that only a comment of the file gives, say).
    public private(set) var warnings: [Diagnostic] = []

    /// Each column of `base` by name.
    private var columnIndex: [String: Int] = [:]
    /// The user's model file, for messages.
    private let modelFile: String

    /// Resolves `embedding` against `user`, each instance's element counts given by `sizes` (flattened
    /// inputs and outputs of its network). The objective is `objective` when given (the command line's),
    /// else the embedding's, else the model file's, whose sense `sense` replaces when given.
    /// - Throws: `embedding.mistake` naming the JSON path or flag of the first link that does not fit.
    public init(user: UserModel, embedding: EmbeddingSpec, sizes: [(inputs: Int, outputs: Int)],
                objective: ColumnObjective? = nil, sense: (MILPModel.Sense, source: String)? = nil) throws {
        precondition(sizes.count == embedding.networks.count, "one size per network")
        base = user.milp
        userColumnCount = user.milp.columnCount
        modelFile = user.file
        for (c, name) in user.milp.columnNames.enumerated() { columnIndex[name] = c }
        objectiveOrigin = ObjectiveOrigin(objective: "the model file", sense: nil)
        var newInputs: [String: InputLink] = [:]
        // New input columns first, so that every instance (and the objective) can name them.
        for network in embedding.networks {
            for (k, link) in network.inputs.enumerated() {
                guard case .newColumn(let name, let lower, let upper, let integer) = link else { continue }
                if let earlier = newInputs[name] {
                    guard earlier == link else {
                        throw embedding.mistake(at: network.inputPlace(k), "declares the new column '\(name)' with other bounds than before; declare it once")
                    }
                    continue
                }
                guard columnIndex[name] == nil else {
                    throw embedding.mistake(at: network.inputPlace(k), "the model already has a column '\(name)'; link it by its name instead")
                }
                newInputs[name] = link
                columnIndex[name] = base.addColumn(name, lower: lower, upper: upper, integer: integer)
            }
        }
        for (network, size) in zip(embedding.networks, sizes) {
            instances.append(try resolve(network, size: size, embedding: embedding))
        }
        try chooseObjective(user: user, embedding: embedding, objective: objective, sense: sense)
    }

    /// The instance `network` with its links looked up, and its new output columns added.
    private mutating func resolve(_ network: EmbeddedNetwork, size: (inputs: Int, outputs: Int), embedding: EmbeddingSpec) throws -> Instance {
        guard network.inputs.count == size.inputs else {
            throw embedding.mistake(at: network.inFile ? "\(network.place).inputs" : "--link \(network.name).x",
                                    "links \(network.inputs.count) inputs; the network \(network.model) has \(size.inputs) (all its inputs, flattened, in order)")
        }
        let outputLinks = network.outputs ?? Array(repeating: .newColumn, count: size.outputs)
        guard outputLinks.count == size.outputs || (network.outputsMayBeShort && outputLinks.count < size.outputs) else {
            throw embedding.mistake(at: network.inFile ? "\(network.place).outputs" : "--link \(network.name).y",
                                    "links \(outputLinks.count) outputs; the network \(network.model) has \(size.outputs) (all its outputs, flattened, in order)")
        }
        var fed: [Int: Int] = [:]
        let inputs = try network.inputs.enumerated().map { k, link -> InputSource in
            switch link {
            case .constant(let value): return .constant(value)
            case .column(let name), .newColumn(let name, _, _, _):
                guard let column = columnIndex[name] else {
                    throw embedding.mistake(at: network.inputPlace(k), "\(modelFile) has no column '\(name)'")
                }
                if let earlier = fed.updateValue(k, forKey: column) {
                    throw embedding.mistake(at: network.inputPlace(k), "column '\(name)' already feeds input \(earlier) of this network; a column feeds one input of a network")
                }
                return .column(column)
            }
        }
        let outputs = try (0..<size.outputs).map { k -> Int in
            switch k < outputLinks.count ? outputLinks[k] : .newColumn {
            case .column(let name):
                guard let column = columnIndex[name] else {
                    throw embedding.mistake(at: network.outputPlace(k), "\(modelFile) has no column '\(name)'")
                }
                return column
            case .newColumn:
                let name = "\(network.name).y\(k)"
                guard columnIndex[name] == nil else {
                    throw embedding.mistake(at: network.outputPlace(k), "the model already has a column '\(name)', the name of this output's new column")
                }
                let column = base.addColumn(name, lower: -.infinity, upper: .infinity)
                columnIndex[name] = column
                return column
            }
        }
        return Instance(description: network, inputs: inputs, outputs: outputs)
    }

    /// Replaces the file's objective by `objective` or the embedding's, or gives the file's objective `sense`.
    private mutating func chooseObjective(user: UserModel, embedding: EmbeddingSpec, objective: ColumnObjective?,
                                          sense: (MILPModel.Sense, source: String)?) throws {
        let replacement = objective ?? embedding.objective
        guard let replacement else {
            if let sense {
                base.sense = sense.0
                objectiveOrigin.sense = sense.source
            } else if let claimed = user.commentedSense, claimed != user.milp.sense {
                warnings.append(Diagnostic(.usage, severity: .warning, file: user.file,
                                           "a comment says the objective is to be \(claimed == .maximize ? "maximized" : "minimized") (PuLP writes the sense only there), but MPS readers \(user.milp.sense == .maximize ? "maximize" : "minimize") it, as nnmip does; give --sense \(claimed == .maximize ? "max" : "min") to follow the comment"))
            }
            return
        }
        if let sense {
            throw Diagnostic(.usage, location: sense.source, "applies to the model file's objective; \(replacement.source) gives its own sense")
        }
        let fromFile = objective == nil
        func fail(_ message: String) -> Diagnostic {
            fromFile ? embedding.mistake(at: replacement.source, message) : Diagnostic(.usage, location: replacement.source, message)
        }
        var costs = [Double](repeating: 0, count: base.columnCount)
        for term in replacement.expression.terms {
            costs[try column(named: term.name, fail: fail)] += term.coefficient
        }
        for (c, cost) in costs.enumerated() { base.setObjective(c, cost) }
        base.objectiveOffset = replacement.expression.constant
        base.sense = replacement.sense == .maximize ? .maximize : .minimize
        objectiveOrigin = ObjectiveOrigin(objective: fromFile ? "\(replacement.source) of \(embedding.file ?? "the networks")" : replacement.source, sense: nil)
    }

    /// The column `name` stands for in an expression: a column of `base` by its name, or output K of
    /// instance NAME for `NAME.yK`.
    public func column(named name: String, fail: (String) -> Diagnostic) throws -> Int {
        if let column = columnIndex[name] { return column }
        guard let dot = name.lastIndex(of: "."), name[name.index(after: dot)...].first == "y" else {
            throw fail("\(modelFile) has no column '\(name)'")
        }
        let instanceName = String(name[..<dot])
        guard let instance = instances.first(where: { $0.name == instanceName }) else {
            throw fail("'\(name)': no network is called '\(instanceName)' (the networks are \(instances.map(\.name).prefix(5).joined(separator: ", "))\(instances.count > 5 ? ", ..." : ""))")
        }
        guard let k = Int(name[name.index(after: dot)...].dropFirst()), k >= 0, k < instance.outputs.count else {
            throw fail("'\(name)': network '\(instanceName)' has \(instance.outputs.count) outputs, \(instanceName).y0 to \(instanceName).y\(instance.outputs.count - 1)")
        }
        return instance.outputs[k]
    }
}
