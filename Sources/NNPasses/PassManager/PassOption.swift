/// A typed option of a pass, declared once as a static property of the pass,
/// in the style of MLIR's `Option<T>`:
///
///     public static let sparsity = PassOption("sparsity", default: 0.8, "fraction of the weights to set to zero")
///
/// The pass reads it as `options[Self.sparsity]`, so a misspelt key does not
/// compile; the registry, `nnmip passes`, the pipeline parser and the manual
/// page test read the same declaration through `PassOptionDeclaration`.
public struct PassOption<Value: PassOptionValue>: PassOptionDeclaration {
    /// The key in `name{key=value}`.
    public let name: String
    /// The value used when the pipeline does not give the option.
    public let defaultValue: Value
    /// What the option does, as `nnmip passes` shows it.
    public let help: String

    /// Declares an option called `name` with its default and a one-line help text.
    public init(_ name: String, default defaultValue: Value, _ help: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.help = help
    }

    public var valueName: String { Value.valueName }
    public var defaultText: String { defaultValue.pipelineText }
    public var expectation: String { Value.expectation }

    public func parse(_ text: String) -> (any Sendable)? {
        Value(pipelineText: text)
    }
}

/// A pass option with its value type erased: what the pipeline parser and the
/// listings need to know of it. `PassOption` is the only conforming type.
public protocol PassOptionDeclaration: Sendable {
    /// The key in `name{key=value}`.
    var name: String { get }
    /// What the option does.
    var help: String { get }
    /// How `nnmip passes` shows the value: `number`, `magnitude|random`.
    var valueName: String { get }
    /// The default value as pipeline text.
    var defaultText: String { get }
    /// What a valid value is, for error messages: `a finite number >= 0`.
    var expectation: String { get }
    /// The value that `text` stands for, or nil when it is not a valid value.
    func parse(_ text: String) -> (any Sendable)?
}
