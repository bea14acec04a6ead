import Foundation
import NNIR
import NNInput

/// Reads per-element input bounds from JSON, in one of three layouts:
///
/// - `{"lower": [...], "upper": [...]}` for a network with one input, in its flattened order;
/// - `{"NAME": {"lower": [...], "upper": [...]}, ...}` naming each input;
/// - OMLT's list `[{"key": [i, j, ...], "lower_bound": l, "upper_bound": u}, ...]`, keys
///   indexing the input's shape (with or without the leading batch dimension).
public enum InputBoundsFile {
    /// Lower and upper bounds of one input, flattened.
    struct Pair: Decodable {
        var lower: [Double]
        var upper: [Double]
    }

    private struct KeyedEntry: Decodable {
        var key: [Int]
        var lower_bound: Double
        var upper_bound: Double
    }

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
        let decoder = JSONDecoder()
        var result = [Bounds?](repeating: nil, count: symbols.inputs.count)
        if let pair = try? decoder.decode(Pair.self, from: data) {
            guard symbols.inputs.count == 1 else {
                throw Diagnostic(.usage, file: source, "the network has \(symbols.inputs.count) inputs; give {\"NAME\": {\"lower\": [...], \"upper\": [...]}, ...}")
            }
            result[0] = try checked(pair, input: 0, symbols: symbols, source: source)
        } else if let named = try? decoder.decode([String: Pair].self, from: data) {
            for (name, pair) in named.sorted(by: { $0.key < $1.key }) {
                guard let t = symbols.inputIndex(name) else { throw Diagnostic(.usage, file: source, "the network has no input '\(name)'") }
                result[t] = try checked(pair, input: t, symbols: symbols, source: source)
            }
        } else if let entries = try? decoder.decode([KeyedEntry].self, from: data) {
            guard symbols.inputs.count == 1 else {
                throw Diagnostic(.usage, file: source, "keyed bounds apply to a network with one input; this one has \(symbols.inputs.count)")
            }
            result[0] = try keyed(entries, shape: symbols.inputs[0].shape, source: source)
        } else {
            throw Diagnostic(.malformedInput, file: source, "expected {\"lower\": [...], \"upper\": [...]}, an object of those per input name, or a list of {\"key\", \"lower_bound\", \"upper_bound\"}")
        }
        return result
    }

    static func checked(_ pair: Pair, input t: Int, symbols: SymbolTable, source: String) throws -> Bounds {
        let (name, count) = (symbols.inputs[t].name, symbols.inputs[t].count)
        guard pair.lower.count == count, pair.upper.count == count else {
            throw Diagnostic(.usage, file: source, location: "input '\(name)'", "\(pair.lower.count) lower and \(pair.upper.count) upper bounds given; the input has \(count) elements")
        }
        return Bounds(lower: pair.lower, upper: pair.upper)
    }

    private static func keyed(_ entries: [KeyedEntry], shape: [Int], source: String) throws -> Bounds {
        let count = Shape.count(shape)
        var bounds = Bounds(lower: Array(repeating: -.infinity, count: count), upper: Array(repeating: .infinity, count: count))
        for (n, entry) in entries.enumerated() {
            // Keys may leave out a leading batch dimension of size 1.
            let dims = entry.key.count == shape.count ? shape : Array(shape.suffix(entry.key.count))
            guard entry.key.count == shape.count || (entry.key.count == shape.count - 1 && shape.first == 1) else {
                throw Diagnostic(.usage, file: source, location: "entry \(n)", "key \(entry.key) does not index the input shape \(Shape.describe(shape))")
            }
            var flat = 0
            for (index, size) in zip(entry.key, dims) {
                guard index >= 0, index < size else {
                    throw Diagnostic(.usage, file: source, location: "entry \(n)", "key \(entry.key) is outside the input shape \(Shape.describe(shape))")
                }
                flat = flat * size + index
            }
            bounds.lower[flat] = entry.lower_bound
            bounds.upper[flat] = entry.upper_bound
        }
        return bounds
    }
}
