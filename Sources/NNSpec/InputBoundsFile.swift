import Foundation
import NNIR
import NNInput

/// Reads per-element input bounds from JSON, in one of three layouts:
///
/// - `{"lower": [...], "upper": [...]}` for a network with one input, each a flat array in the
///   input's row-major order or arrays nested as its shape (numpy's `tolist()`);
/// - `{"NAME": {"lower": [...], "upper": [...]}, ...}` naming each input;
/// - OMLT's list `[{"key": [i, j, ...], "lower_bound": l, "upper_bound": u}, ...]`, keys
///   indexing the input's shape (with or without the leading batch dimension).
public enum InputBoundsFile {
    /// Lower and upper bounds of one input, flat or nested as its shape.
    struct Pair: Decodable {
        var lower: TensorValues
        var upper: TensorValues

        enum CodingKeys: String, CodingKey, CaseIterable { case lower, upper }

        init(from decoder: Decoder) throws {
            let container = try decoder.closedContainer(keyedBy: CodingKeys.self)
            lower = try container.decode(TensorValues.self, forKey: .lower)
            upper = try container.decode(TensorValues.self, forKey: .upper)
        }
    }

    struct KeyedEntry: Decodable {
        var key: [Int]
        var lower_bound: Double
        var upper_bound: Double

        enum CodingKeys: String, CodingKey, CaseIterable { case key, lower_bound, upper_bound }

        init(from decoder: Decoder) throws {
            let container = try decoder.closedContainer(keyedBy: CodingKeys.self)
            key = try container.decode([Int].self, forKey: .key)
            lower_bound = try container.decode(Double.self, forKey: .lower_bound)
            upper_bound = try container.decode(Double.self, forKey: .upper_bound)
        }
    }

    /// The three layouts, told apart by their shape: a list is OMLT's, an object with `lower` or
    /// `upper` is one input's, any other object names the inputs.
    enum Layout: Decodable {
        case single(Pair)
        case named([String: Pair])
        case keyed([KeyedEntry])

        init(from decoder: Decoder) throws {
            if (try? decoder.unkeyedContainer()) != nil {
                self = .keyed(try [KeyedEntry](from: decoder))
            } else if !decoder.objectKeys.isDisjoint(with: ["lower", "upper"]) {
                self = .single(try Pair(from: decoder))
            } else {
                self = .named(try [String: Pair](from: decoder))
            }
        }
    }

    /// What a bounds file holds, for messages.
    static let expected = "expected {\"lower\": [...], \"upper\": [...]}, an object of those per input name, or a list of {\"key\", \"lower_bound\", \"upper_bound\"}"

    /// The words a refusal uses when standard input is asked for twice (see `InputFile.read`).
    static let purpose = "the input bounds"

    /// Reads the file at `path` (`-`: standard input; gzipped or not); one entry per graph input
    /// (nil where the file says nothing).
    public static func read(path: String, symbols: SymbolTable) throws -> [Bounds?] {
        let input = try InputFile.read(path, for: purpose)
        return try parse(input.bytes, source: input.name, symbols: symbols)
    }

    /// Parses the JSON in `data` (from `source`, for messages).
    public static func parse(_ data: Data, source: String, symbols: SymbolTable) throws -> [Bounds?] {
        let layout: Layout
        do {
            layout = try JSONDecoder().decode(Layout.self, from: data)
        } catch let error as DecodingError {
            throw error.diagnostic(file: source, expected: expected)
        }
        return try bounds(layout, source: source, place: nil, symbols: symbols)
    }

    /// The bounds `layout` gives each input of the network `symbols` describes (nil where it says
    /// nothing), from `source` at `place` (a JSON path of a spec, or nil for a whole bounds file).
    static func bounds(_ layout: Layout, source: String, place: String?, symbols: SymbolTable) throws -> [Bounds?] {
        func at(_ location: String?) -> String? { [place, location].compactMap { $0 }.joined(separator: ": ").nonEmpty }
        var result = [Bounds?](repeating: nil, count: symbols.inputs.count)
        switch layout {
        case .single(let pair):
            guard symbols.inputs.count == 1 else {
                throw Diagnostic(.malformedInput, file: source, location: at(nil),
                                 "the network has \(symbols.inputs.count) inputs; give {\"NAME\": {\"lower\": [...], \"upper\": [...]}, ...}")
            }
            result[0] = try checked(pair, input: 0, symbols: symbols, source: source, path: place.map { $0 + "." } ?? "")
        case .named(let named):
            for (name, pair) in named.sorted(by: { $0.key < $1.key }) {
                guard let t = symbols.inputIndex(name) else {
                    throw Diagnostic(.malformedInput, file: source, location: at(name),
                                     "the network has no input '\(name)'; its inputs are \(symbols.inputs.map { "'\($0.name)'" }.joined(separator: ", "))")
                }
                result[t] = try checked(pair, input: t, symbols: symbols, source: source, path: (place.map { $0 + "." } ?? "") + name + ".")
            }
        case .keyed(let entries):
            guard symbols.inputs.count == 1 else {
                throw Diagnostic(.malformedInput, file: source, location: at(nil),
                                 "keyed bounds apply to a network with one input; this one has \(symbols.inputs.count)")
            }
            result[0] = try keyed(entries, shape: symbols.inputs[0].shape, source: source, place: place)
        }
        return result
    }

    /// One input's bounds, flattened; `path` is the JSON path of the object holding `lower` and
    /// `upper` (with its trailing dot), for messages.
    private static func checked(_ pair: Pair, input t: Int, symbols: SymbolTable, source: String, path: String) throws -> Bounds {
        let input = symbols.inputs[t]
        return Bounds(lower: try pair.lower.flattened(shape: input.shape, name: input.name, path: path + "lower", source: source),
                      upper: try pair.upper.flattened(shape: input.shape, name: input.name, path: path + "upper", source: source))
    }

    private static func keyed(_ entries: [KeyedEntry], shape: [Int], source: String, place: String?) throws -> Bounds {
        let count = Shape.count(shape)
        var bounds = Bounds(lower: Array(repeating: -.infinity, count: count), upper: Array(repeating: .infinity, count: count))
        for (n, entry) in entries.enumerated() {
            let location = "\(place ?? "")[\(n)]"
            // Keys may leave out a leading batch dimension of size 1.
            let dims = entry.key.count == shape.count ? shape : Array(shape.suffix(entry.key.count))
            guard entry.key.count == shape.count || (entry.key.count == shape.count - 1 && shape.first == 1) else {
                throw Diagnostic(.malformedInput, file: source, location: location, "key \(entry.key) does not index the input shape \(Shape.describe(shape))")
            }
            var flat = 0
            for (index, size) in zip(entry.key, dims) {
                guard index >= 0, index < size else {
                    throw Diagnostic(.malformedInput, file: source, location: location, "key \(entry.key) is outside the input shape \(Shape.describe(shape))")
                }
                flat = flat * size + index
            }
            bounds.lower[flat] = entry.lower_bound
            bounds.upper[flat] = entry.upper_bound
        }
        return bounds
    }
}

private extension String {
    /// Nil for the empty string.
    var nonEmpty: String? { isEmpty ? nil : self }
}
