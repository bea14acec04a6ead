import NNIR

/// A transformation of the IR, after LLVM's new pass manager and MLIR.
///
/// A pass has a kebab-case name, a one-line summary and typed options, all
/// static, so that one registry (`PassRegistry`) backs `nnmip passes`, the
/// pipeline parser and the manual page. A pass keeps no global state, never
/// prints and never exits: it rewrites the graph, records remarks in the
/// context, and throws a `Diagnostic` to stop the pipeline.
public protocol Pass: Sendable {
    /// The name used in pipelines (`bounds-symbolic`).
    static var name: String { get }
    /// One line saying what the pass does.
    static var summary: String { get }
    /// The options the pass accepts in `name{key=value,...}`.
    static var options: [PassOption] { get }
    /// Whether the network computes the same function after the pass (false
    /// only for passes that build a surrogate, such as pruning).
    static var preservesFunction: Bool { get }

    /// Creates the pass from its parsed options (already checked against `options`).
    init(options: PassOptionValues) throws

    /// Runs the pass on `graph`.
    func run(on graph: inout Graph, context: inout PassContext) throws
}

extension Pass {
    /// Passes preserve the function unless they say otherwise.
    public static var preservesFunction: Bool { true }
}

/// One option of a pass, as `nnmip passes` lists it.
public struct PassOption: Sendable {
    /// The kind of value an option takes.
    public enum Kind: Sendable, Equatable {
        case integer, number, boolean
        /// One of the listed words.
        case choice([String])

        /// How `nnmip passes` shows the value: `number`, `magnitude|random`.
        public var valueName: String {
            switch self {
            case .integer: "integer"
            case .number: "number"
            case .boolean: "boolean"
            case .choice(let words): words.joined(separator: "|")
            }
        }
    }

    /// The key in `name{key=value}`.
    public var name: String
    /// What values it takes.
    public var kind: Kind
    /// The value used when the option is not given, as text.
    public var defaultValue: String
    /// What the option does.
    public var help: String

    /// Creates an option description.
    public init(_ name: String, _ kind: Kind, default defaultValue: String, _ help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Whether `text` is a valid value of this option.
    func accepts(_ text: String) -> Bool {
        switch kind {
        case .integer: Int(text).map { $0 >= 0 } ?? false
        case .number: Double(text).map { $0.isFinite && $0 >= 0 } ?? false
        case .boolean: text == "true" || text == "false"
        case .choice(let words): words.contains(text)
        }
    }
}

/// The option values a pipeline gave one pass, with the defaults filled in.
public struct PassOptionValues: Sendable {
    private var values: [String: String]

    /// Values for `options`: `given` (already validated) over the defaults.
    init(options: [PassOption], given: [(key: String, value: String)]) {
        var values: [String: String] = [:]
        for option in options { values[option.name] = option.defaultValue }
        for (key, value) in given { values[key] = value }
        self.values = values
    }

    /// An integer option's value.
    public func integer(_ name: String) -> Int { values[name].flatMap { Int($0) } ?? 0 }
    /// A number option's value.
    public func number(_ name: String) -> Double { values[name].flatMap { Double($0) } ?? 0 }
    /// A boolean option's value.
    public func boolean(_ name: String) -> Bool { values[name] == "true" }
    /// A choice option's word.
    public func word(_ name: String) -> String { values[name] ?? "" }
}
