/// A type that a pass option can hold: how it is written in a pipeline and
/// how `nnmip passes` and error messages describe it.
public protocol PassOptionValue: Sendable, Equatable {
    /// The value written as `text` in a pipeline, or nil when `text` is not one.
    init?(pipelineText text: String)
    /// The value as pipeline text (parses back to the same value).
    var pipelineText: String { get }
    /// How `nnmip passes` shows the kind of value: `integer`, `magnitude|random`.
    static var valueName: String { get }
    /// What a valid value is, for error messages: `a whole number >= 0`.
    static var expectation: String { get }
}

extension Int: PassOptionValue {
    /// A whole number >= 0.
    public init?(pipelineText text: String) {
        guard let value = Int(text), value >= 0 else { return nil }
        self = value
    }

    public var pipelineText: String { String(self) }
    public static var valueName: String { "integer" }
    public static var expectation: String { "a whole number >= 0" }
}

extension Double: PassOptionValue {
    /// A finite number >= 0.
    public init?(pipelineText text: String) {
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        self = value
    }

    /// Whole numbers without a fraction (`60`, not `60.0`), others as Swift prints them.
    public var pipelineText: String {
        self == rounded() && Swift.abs(self) < 1e15 ? String(Int(self)) : String(self)
    }

    public static var valueName: String { "number" }
    public static var expectation: String { "a finite number >= 0" }
}

extension Bool: PassOptionValue {
    /// `true` or `false`.
    public init?(pipelineText text: String) {
        switch text {
        case "true": self = true
        case "false": self = false
        default: return nil
        }
    }

    public var pipelineText: String { self ? "true" : "false" }
    public static var valueName: String { "boolean" }
    public static var expectation: String { "true or false" }
}

/// An option value that is one of a few words: a `String` enum whose cases are
/// the words, in the order listings show them.
///
///     public enum Method: String, PassOptionChoice { case magnitude, random }
public protocol PassOptionChoice: PassOptionValue, CaseIterable, RawRepresentable where RawValue == String {}

extension PassOptionChoice {
    /// One of the words.
    public init?(pipelineText text: String) {
        self.init(rawValue: text)
    }

    public var pipelineText: String { rawValue }
    public static var valueName: String { allCases.map(\.rawValue).joined(separator: "|") }
    public static var expectation: String { "one of " + allCases.map(\.rawValue).joined(separator: ", ") }
}
