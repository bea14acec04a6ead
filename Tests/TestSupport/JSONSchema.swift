import Foundation

/// A JSON Schema from `schemas/`, for checking what nnmip prints against what the schema documents.
///
/// It understands the keywords nnmip's output schemas use: `type` (one or a list), `enum`,
/// `properties`, `required`, `additionalProperties` (false or a schema), `items`, `minimum`,
/// `oneOf` and `$ref` to `#` or `#/$defs/NAME`; annotations (`description`, `title`) are skipped.
public struct JSONSchema {
    private let root: [String: Any]

    /// Reads `schemas/NAME` from the package.
    public init(_ name: String) throws {
        let data = try Data(contentsOf: Paths.root.appendingPathComponent("schemas").appendingPathComponent(name))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw CocoaError(.fileReadCorruptFile) }
        self.root = root
    }

    /// The definition `$defs/NAME` as a schema of its own (for records such as one line of JSON Lines).
    public func definition(_ name: String) -> [String: Any] {
        ["$ref": "#/$defs/\(name)"]
    }

    /// Where `value` (as `JSONSerialization` reads it) breaks the schema, or `schema` when given;
    /// empty when it conforms.
    public func problems(_ value: Any, against schema: [String: Any]? = nil, at path: String = "$") -> [String] {
        let schema = schema ?? root
        if let reference = schema["$ref"] as? String {
            guard let target = resolve(reference) else { return ["\(path): cannot resolve \(reference)"] }
            return problems(value, against: target, at: path)
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let fitting = choices.filter { problems(value, against: $0, at: path).isEmpty }.count
            if fitting != 1 { return ["\(path): fits \(fitting) of the oneOf choices, not one"] }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { Self.equal($0, value) }) {
            return ["\(path): \(value) is not one of \(allowed)"]
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [(type as? String) ?? ""]
            guard types.contains(where: { Self.value(value, is: $0) }) else { return ["\(path): \(value) is not of type \(types)"] }
        }
        var found: [String] = []
        if let minimum = schema["minimum"] as? Double, let number = value as? Double, number < minimum {
            found.append("\(path): \(number) is below \(minimum)")
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil { found.append("\(path): lacks \(name)") }
            for (name, member) in object.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    found += problems(member, against: property, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] as? [String: Any] {
                    found += problems(member, against: additional, at: "\(path).\(name)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): \(name) is not in the schema")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (k, element) in array.enumerated() { found += problems(element, against: items, at: "\(path)[\(k)]") }
        }
        return found
    }

    private func resolve(_ reference: String) -> [String: Any]? {
        if reference == "#" { return root }
        guard reference.hasPrefix("#/$defs/") else { return nil }
        return (root["$defs"] as? [String: Any])?[String(reference.dropFirst("#/$defs/".count))] as? [String: Any]
    }

    private static func value(_ value: Any, is type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "number": return !(value is String) && (value as? Double) != nil
        default: return false
        }
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if let a = a as? String, let b = b as? String { return a == b }
        if let a = a as? Double, let b = b as? Double { return a == b }
        return a is NSNull && b is NSNull
    }
}
