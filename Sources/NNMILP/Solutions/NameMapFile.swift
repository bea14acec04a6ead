import Foundation
import NNIR
import NNInput
import NNSpec

/// A name map that `compile --names` wrote, read back: which MILP variables
/// hold each network input and output, and the column order of the file.
public struct NameMapFile: Sendable {
    /// One network input or output and its variables, element by element.
    public struct Tensor: Sendable {
        /// The tensor's name in the network.
        public var name: String
        /// Its variables, in flattened element order.
        public var variables: [String]
    }

    /// The model file `compile` read.
    public var model: String
    /// The network inputs.
    public var inputs: [Tensor]
    /// The network outputs.
    public var outputs: [Tensor]
    /// Every variable's column number in the MILP file (from 0).
    public var columns: [String: Int]
    /// The hash of the model and spec the map was written for (`ModelIdentity`); nil in maps of older nnmips.
    public var modelHash: String?
    /// The spec the MILP was compiled with; nil in maps of older nnmips.
    public var spec: Spec?

    /// Reads the map at `path` (`-`: standard input; gzipped or not).
    public static func read(_ path: String) throws -> NameMapFile {
        let input = try InputFile.read(path, for: "the name map")
        let (data, path) = (input.bytes, input.name)
        func fail(_ message: String) -> Diagnostic { Diagnostic(.malformedInput, file: path, message) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("not JSON; expected the map that 'nnmip compile --names' writes")
        }
        guard root["format"] as? String == "nnmip-names-1" else { throw fail("\"format\" is not \"nnmip-names-1\"; expected the map that 'nnmip compile --names' writes") }
        func tensors(_ key: String) throws -> [Tensor] {
            guard let list = root[key] as? [[String: Any]] else { throw fail("\"\(key)\" is missing or not a list") }
            return try list.enumerated().map { index, entry in
                guard let name = entry["name"] as? String, let variables = entry["variables"] as? [String] else {
                    throw Diagnostic(.malformedInput, file: path, location: "\(key)[\(index)]", "needs \"name\" and \"variables\"")
                }
                return Tensor(name: name, variables: variables)
            }
        }
        var columns: [String: Int] = [:]
        for (name, entry) in root["variables"] as? [String: [String: Any]] ?? [:] {
            if let column = entry["column"] as? Int { columns[name] = column }
        }
        let hash = root["model_hash"] as? String
        let spec = try SpecRecord.spec(inMap: data, file: path)
        guard (hash == nil) == (spec == nil) else { throw fail("has one of \"model_hash\" and \"spec\" without the other") }
        return NameMapFile(model: root["model"] as? String ?? "", inputs: try tensors("inputs"), outputs: try tensors("outputs"),
                           columns: columns, modelHash: hash, spec: spec)
    }

    /// The value of `variable` in `solution`, by name or by column number.
    /// - Throws: `Diagnostic(.malformedInput)` naming `solutionPath` when the solution lacks it.
    public func value(of variable: String, in solution: SolutionFile, solutionPath: String) throws -> Double {
        if let value = solution.valuesByName[variable] { return value }
        if solution.omitsZeros { return 0 }
        if !solution.valuesByColumn.isEmpty {
            guard let column = columns[variable] else {
                throw Diagnostic(.malformedInput, file: solutionPath, "\(solution.format) numbers its columns, and the name map has no column for \(variable) (write it again with this nnmip)")
            }
            if let value = solution.valuesByColumn[column] { return value }
        }
        throw Diagnostic(.malformedInput, file: solutionPath, "has no value for the variable \(variable); was it written for this model?")
    }
}
