import Foundation
import NNIR

/// Any key of a JSON object.
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { nil }
}

extension Decoder {
    /// The keyed container of a JSON object that may hold no key besides those of `keys`: the objects
    /// of nnmip's data files are closed, so a misspelt key ("uper") is an error naming its JSON path
    /// rather than a value silently left out.
    func closedContainer<Keys: CodingKey & CaseIterable>(keyedBy keys: Keys.Type) throws -> KeyedDecodingContainer<Keys> {
        let known = Keys.allCases.map(\.stringValue)
        let present = try container(keyedBy: JSONKey.self).allKeys.map(\.stringValue)
        if let unknown = present.sorted().first(where: { !known.contains($0) }) {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: codingPath + [JSONKey(unknown)],
                debugDescription: "unknown key '\(unknown)'; the keys here are \(known.joined(separator: ", "))"))
        }
        return try container(keyedBy: keys)
    }

    /// The keys of the JSON object being decoded; empty when the value is not an object.
    var objectKeys: Set<String> {
        Set((try? container(keyedBy: JSONKey.self))?.allKeys.map(\.stringValue) ?? [])
    }
}

extension DecodingError {
    /// This error of decoding the data file `file` as a diagnostic: malformed input, at the JSON path of
    /// the value (`linf_ball.center[2]`); `expected` says what the file should hold.
    func diagnostic(file: String, expected: String) -> Diagnostic {
        func place(_ context: Context) -> String? {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? nil : String(path.drop { $0 == "." })
        }
        switch self {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return Diagnostic(.malformedInput, file: file, "not valid JSON; \(expected)")
        case .dataCorrupted(let context):
            return Diagnostic(.malformedInput, file: file, location: place(context), context.debugDescription)
        case .keyNotFound(let key, let context):
            return Diagnostic(.malformedInput, file: file, location: place(context), "the key '\(key.stringValue)' is missing; \(expected)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return Diagnostic(.malformedInput, file: file, location: place(context), "wrong type (\(context.debugDescription)); \(expected)")
        @unknown default:
            return Diagnostic(.malformedInput, file: file, "\(self); \(expected)")
        }
    }
}
