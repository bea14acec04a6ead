import Foundation
import NNIR
import NNInput

/// Reads the input point(s) for evaluation from JSON: either an array (for a
/// network with one input) or an object mapping each input name to its array.
/// Each array is flat, in row-major order, or nested as the input's shape, as
/// numpy's `tolist()` writes it (see `TensorValues`).
///
/// Uses `JSONDecoder`, which reads every number back to the exact Float64
/// that the shortest-form printing wrote (JSONSerialization can be 1 ulp off).
public enum InputVectors {
    /// The two accepted layouts.
    enum Layout: Decodable {
        case single(TensorValues)
        case named([String: TensorValues])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let values = try? container.decode([TensorValues].self) {
                self = .single(.array(values))
            } else {
                self = .named(try container.decode([String: TensorValues].self))
            }
        }
    }

    /// The words a refusal uses when standard input is asked for twice (see `InputFile.read`).
    public static let purpose = "the input point"

    /// Reads the point in the file at `path` (`-`: standard input; gzipped or not) for the network `symbols` describes.
    public static func read(_ path: String, symbols: SymbolTable) throws -> [[Double]] {
        let input = try InputFile.read(path, for: purpose)
        return try parse(input.bytes, source: input.name, symbols: symbols)
    }

    /// Parses `data` (from `source`, for diagnostics) into one vector per graph input.
    public static func parse(_ data: Data, source: String, graph: Graph) throws -> [[Double]] {
        try parse(data, source: source, symbols: SymbolTable(graph: graph))
    }

    /// Parses `data` into one vector per input of the network `symbols` describes.
    public static func parse(_ data: Data, source: String, symbols: SymbolTable) throws -> [[Double]] {
        let layout: Layout
        do {
            layout = try JSONDecoder().decode(Layout.self, from: data)
        } catch let error as DecodingError {
            throw Diagnostic(.malformedInput, file: source, describe(error))
        } catch {
            throw Diagnostic(.malformedInput, file: source, "not valid JSON; expected an array of numbers")
        }
        return try resolve(layout, source: source, symbols: symbols)
    }

    /// Checks a decoded layout against the network's inputs and orders it as they are; `path` is
    /// the JSON path of the layout in its file (empty when it is the whole file), for messages.
    static func resolve(_ layout: Layout, source: String, path: String = "", symbols: SymbolTable) throws -> [[Double]] {
        let inputs = symbols.inputs
        switch layout {
        case .single(let values):
            guard inputs.count == 1 else {
                let names = inputs.map { "'\($0.name)'" }.joined(separator: ", ")
                throw Diagnostic(.malformedInput, file: source, "the network has \(inputs.count) inputs (\(names)); give an object mapping each name to its values")
            }
            return [try values.flattened(shape: inputs[0].shape, name: inputs[0].name, path: path, source: source)]
        case .named(let object):
            if let unknown = object.keys.sorted().first(where: { name in !inputs.contains { $0.name == name } }) {
                throw Diagnostic(.malformedInput, file: source, location: "'\(unknown)'",
                                 "the network has no input '\(unknown)'; its inputs are \(inputs.map { "'\($0.name)'" }.joined(separator: ", "))")
            }
            return try inputs.map { input in
                guard let values = object[input.name] else { throw Diagnostic(.malformedInput, file: source, "no array for input '\(input.name)'") }
                let place = path.isEmpty ? input.name : path + "." + input.name
                return try values.flattened(shape: input.shape, name: input.name, path: place, source: source)
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON; expected an array of numbers"
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c):
            let place = c.codingPath.map { $0.intValue.map { "element \($0)" } ?? "'\($0.stringValue)'" }.joined(separator: ", ")
            return "expected an array of numbers (or an object of arrays)" + (place.isEmpty ? "" : "; problem at \(place)")
        @unknown default:
            return "expected an array of numbers"
        }
    }
}
