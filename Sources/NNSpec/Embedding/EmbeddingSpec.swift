import NNIR

/// Which networks a user's model embeds and how they are linked to its
/// columns, as `embed.json` (`schemas/embed.schema.json`) or the
/// `--network`/`--link` shorthand says it; names are not yet looked up in the
/// model (`EmbeddingPlan` in NNMILP does that).
public struct EmbeddingSpec: Sendable {
    /// Where the description came from: the JSON file (its path) or the command line (nil).
    public var file: String?
    /// The kind of a mistake in it: `.malformedInput` for a file (exit 65), `.usage` for flags (exit 64).
    public var mistakeKind: FailureKind
    /// The network instances, in order: their columns and rows are added to the model in this order.
    public var networks: [EmbeddedNetwork]
    /// The objective that replaces the model file's own, if one was given.
    public var objective: ColumnObjective?

    /// A description with `networks`, from `file` (nil: the command line).
    public init(file: String?, networks: [EmbeddedNetwork], objective: ColumnObjective? = nil) {
        self.file = file
        self.mistakeKind = file == nil ? .usage : .malformedInput
        self.networks = networks
        self.objective = objective
    }

    /// A diagnostic about `place` (`networks[3].inputs[2]`, `--link demand.x`) of this description.
    public func mistake(at place: String, _ message: String) -> Diagnostic {
        Diagnostic(mistakeKind, file: file, location: place, message)
    }

    /// Whether `name` is a name a network instance may have: it prefixes the instance's column
    /// and row names and appears in expressions (`NAME.y0`), so letters, digits and `_` only,
    /// not starting with a digit.
    public static func isValidInstanceName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }
}

/// One copy of a network in the user's model.
public struct EmbeddedNetwork: Sendable {
    /// The instance's name: its columns and rows are called `NAME.…`, its new output columns `NAME.yK`.
    public var name: String
    /// The network file, relative paths already resolved against the JSON file's folder.
    public var model: String
    /// What feeds each element of the network's inputs, in flattened order (all inputs one after another).
    public var inputs: [InputLink]
    /// What holds each element of the network's outputs, in flattened order; nil when not given
    /// (every output gets a new column).
    public var outputs: [OutputLink]?
    /// Where the instance was described (`networks[3]`, `--network demand`), for messages.
    public var place: String
    /// Whether `outputs` may list fewer elements than the network has, the rest getting new columns
    /// (the `--link` shorthand names only the outputs it links; embed.json lists them all).
    public var outputsMayBeShort = false

    /// Whether the instance comes from a networks file (its places are JSON paths) or from flags.
    public var inFile: Bool

    /// An instance described at `place` of a networks file (`inFile`) or by flags.
    public init(name: String, model: String, inputs: [InputLink], outputs: [OutputLink]?, place: String, inFile: Bool = true) {
        self.name = name
        self.model = model
        self.inputs = inputs
        self.outputs = outputs
        self.place = place
        self.inFile = inFile
    }

    /// The place of input element `k`: `networks[3].inputs[2]`, or `--link demand.x2`.
    public func inputPlace(_ k: Int) -> String { inFile ? "\(place).inputs[\(k)]" : "--link \(name).x\(k)" }
    /// The place of output element `k`: `networks[3].outputs[0]`, or `--link demand.y0`.
    public func outputPlace(_ k: Int) -> String { inFile ? "\(place).outputs[\(k)]" : "--link \(name).y\(k)" }
}

/// What feeds one network input element.
public enum InputLink: Equatable, Sendable {
    /// A column of the user's model, by name.
    case column(String)
    /// A constant.
    case constant(Double)
    /// A column that the model lacks (Pyomo drops variables no row uses), added with these bounds.
    case newColumn(name: String, lower: Double, upper: Double, integer: Bool)
}

/// What holds one network output element.
public enum OutputLink: Equatable, Sendable {
    /// A column of the user's model, by name.
    case column(String)
    /// A new column, `NAME.yK`.
    case newColumn
}

/// An objective over the model's columns and the networks' outputs (`NAME.yK`).
public struct ColumnObjective: Sendable {
    /// Maximize or minimize.
    public var sense: ObjectiveSense
    /// The expression.
    public var expression: ColumnExpression
    /// Where it was written (`objective.maximize`, `--maximize`), for messages.
    public var source: String

    /// An objective.
    public init(sense: ObjectiveSense, expression: ColumnExpression, source: String) {
        self.sense = sense
        self.expression = expression
        self.source = source
    }
}
