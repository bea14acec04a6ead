import Foundation
import NNIR

/// Reads the input point(s) for evaluation from JSON: either a flat array of
/// numbers (for a network with one input) or an object mapping each input
/// name to its flat array.
public enum InputVectors {
    /// Parses `data` (from `source`, for diagnostics) into one vector per graph input.
    public static func parse(_ data: Data, source: String, graph: Graph) throws -> [[Double]] {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw Diagnostic(.malformedInput, file: source, "not valid JSON (\((error as NSError).localizedDescription)); expected an array of numbers")
        }
        let inputs = graph.inputs
        if let array = json as? [Any] {
            guard inputs.count == 1 else {
                let names = inputs.compactMap { graph.inputName($0) }.map { "'\($0)'" }.joined(separator: ", ")
                throw Diagnostic(.usage, file: source, "the network has \(inputs.count) inputs (\(names)); give an object mapping each name to its values")
            }
            return [try numbers(array, source: source, name: graph.inputName(inputs[0]) ?? "input", count: graph[inputs[0]].elementCount)]
        }
        if let object = json as? [String: Any] {
            return try inputs.map { id in
                let name = graph.inputName(id) ?? ""
                guard let values = object[name] as? [Any] else {
                    throw Diagnostic(.usage, file: source, "no array for input '\(name)'")
                }
                return try numbers(values, source: source, name: name, count: graph[id].elementCount)
            }
        }
        throw Diagnostic(.malformedInput, file: source, "expected a JSON array of numbers or an object of arrays")
    }

    private static func numbers(_ array: [Any], source: String, name: String, count: Int) throws -> [Double] {
        let values = try array.enumerated().map { index, item -> Double in
            guard let number = item as? NSNumber, !(item is Bool) else {
                throw Diagnostic(.malformedInput, file: source, location: "input '\(name)', element \(index)", "expected a number")
            }
            return number.doubleValue
        }
        guard values.count == count else {
            throw Diagnostic(.usage, file: source, location: "input '\(name)'", "\(values.count) values given, the input has \(count) elements")
        }
        return values
    }
}
