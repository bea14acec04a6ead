import NNIR

/// The option values a pipeline gave one pass, checked against the pass's
/// declared options and with the defaults filled in. A pass reads them by
/// their declarations: `options[Self.sparsity]`.
public struct PassOptionValues: Sendable {
    /// The parsed value of every option given, by key.
    private var values: [String: any Sendable] = [:]
    /// The keys the pass declares.
    private let declared: Set<String>

    /// The values of the options `given` (keys and texts, in pipeline order) to the pass
    /// called `pass` that declares `options`; throws a usage diagnostic (without a
    /// location) for an unknown key, a value the option does not take, or a key given twice.
    public init(pass: String, options: [any PassOptionDeclaration], given: [Pipeline.Entry.Option]) throws {
        declared = Set(options.map(\.name))
        for (key, text) in given.map({ ($0.key, $0.value) }) {
            guard let option = options.first(where: { $0.name == key }) else {
                let known = options.map(\.name)
                throw Diagnostic(.usage, "\(pass) has no option '\(key)'" + (known.isEmpty ? " (it takes none)" : "; it takes \(known.joined(separator: ", "))"))
            }
            guard let value = option.parse(text) else {
                throw Diagnostic(.usage, "\(pass){\(key)=\(text)}: expected \(option.expectation)")
            }
            guard values[key] == nil else { throw Diagnostic(.usage, "\(pass) has '\(key)' twice") }
            values[key] = value
        }
    }

    /// The value of `option`: the one the pipeline gave, else its default.
    public subscript<Value>(option: PassOption<Value>) -> Value {
        assert(declared.contains(option.name), "option '\(option.name)' is read but not listed in the pass's options")
        return values[option.name] as? Value ?? option.defaultValue
    }
}
