import NNMIPKit

/// A JSON object written field by field: the one writer behind every report that `--format json`
/// prints (`solve`, `verify`, `verify --instances`, `solution read`) and `solve --solution` writes.
/// Values are JSON text made by the functions below, so every number is in the shortest form that
/// reads back to the same Float64, a number that is not finite is `null`, and every string is escaped
/// by `JSONString`.
struct JSONObject {
    private var fields: [(name: String, value: String)] = []

    /// Adds a field whose value is JSON text already (an object, an array, a number).
    mutating func add(_ name: String, json: String) {
        fields.append((name, json))
    }

    /// Adds a string field, `null` when `text` is nil.
    mutating func add(_ name: String, string text: String?) {
        add(name, json: text.map(JSONString.quoted) ?? "null")
    }

    /// Adds a number field, `null` when `value` is nil or not finite.
    mutating func add(_ name: String, number value: Double?) {
        add(name, json: jsonNumber(value))
    }

    /// The object with one field per line, and a newline at the end.
    var pretty: String {
        "{\n  " + fields.map { "\(JSONString.quoted($0.name)): \($0.value)" }.joined(separator: ",\n  ") + "\n}\n"
    }

    /// The object on one line, with no newline: a JSON Lines record, or a value nested in another object.
    var inline: String {
        "{" + fields.map { "\(JSONString.quoted($0.name)): \($0.value)" }.joined(separator: ", ") + "}"
    }
}

/// `value` as a JSON number, or `null` when it is nil or not finite (JSON has no inf or nan).
func jsonNumber(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "null" }
    return "\(value)"
}

/// A JSON object mapping each name to its vector, `{"X": [0.5, 1.0], ...}`,
/// as `eval --format json` and the other reports print tensors.
func jsonVectors(_ names: [String], _ vectors: [[Double]]) -> String {
    var object = JSONObject()
    for (name, values) in zip(names, vectors) { object.add(name, json: vectorText(values)) }
    return object.inline
}
