import Foundation
import NNInput
import NNIR

/// Reads `embed.json` (`schemas/embed.schema.json`): the networks a user's
/// model embeds, what feeds and holds each one's inputs and outputs, and an
/// optional objective. Every mistake is a `Diagnostic(.malformedInput)` (exit
/// 65) naming the file and the JSON path (`networks[3].inputs[2]`); model
/// paths are relative to the file's folder.
public enum EmbeddingFile {
    /// The keys of the document, of a network, of a new input column and of the objective (as
    /// `schemas/embed.schema.json` lists them); others are refused.
    public static let documentKeys: Set<String> = ["$schema", "networks", "objective"]
    public static let networkKeys: Set<String> = ["name", "model", "inputs", "outputs"]
    public static let newColumnKeys: Set<String> = ["new", "lower", "upper", "integer"]
    public static let objectiveKeys: Set<String> = ["maximize", "minimize"]

    /// Reads the file at `path` (`-`: standard input; gzipped or not, see `InputFile`).
    public static func read(_ path: String) throws -> EmbeddingSpec {
        let input = try InputFile.read(path, for: "the networks file")
        return try parse(input.bytes, file: input.name)
    }

    /// Parses the text of a networks file; `file` names it and anchors its relative paths.
    public static func parse(_ data: Data, file: String) throws -> EmbeddingSpec {
        let reader = Reader(file: file)
        guard let root = JSONValue.parse(data) else {
            throw Diagnostic(.malformedInput, file: file, "not JSON; see schemas/embed.schema.json")
        }
        let document = try reader.object(root, at: nil, keys: documentKeys)
        guard let list = document["networks"] else { throw reader.fail(nil, "needs \"networks\", a list of the embedded networks") }
        guard case .array(let entries) = list, !entries.isEmpty else { throw reader.fail("networks", "must be a non-empty list of networks") }
        var names: [String: Int] = [:]
        let networks = try entries.enumerated().map { i, entry in
            let network = try reader.network(entry, at: "networks[\(i)]")
            if let earlier = names.updateValue(i, forKey: network.name) {
                throw reader.fail("networks[\(i)].name", "'\(network.name)' is also the name of networks[\(earlier)]; each instance needs its own")
            }
            return network
        }
        let objective = try document["objective"].map { try reader.objective($0) }
        return EmbeddingSpec(file: file, networks: networks, objective: objective)
    }

    /// The checks and conversions of one file, each mistake located by its JSON path.
    private struct Reader {
        let file: String

        func fail(_ place: String?, _ message: String) -> Diagnostic {
            Diagnostic(.malformedInput, file: file, location: place, message)
        }

        /// `value` as an object whose keys are all in `keys`.
        func object(_ value: JSONValue, at place: String?, keys: Set<String>) throws -> [String: JSONValue] {
            guard case .object(let object) = value else { throw fail(place, "must be an object, not \(value.kind)") }
            if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
                let known = keys.filter { $0 != "$schema" }.sorted().joined(separator: ", ")
                throw fail(place.map { "\($0).\(unknown)" } ?? unknown, "unknown key; the keys here are \(known)")
            }
            return object
        }

        func string(_ value: JSONValue?, at place: String) throws -> String {
            guard case .string(let text)? = value, !text.isEmpty else { throw fail(place, "must be a non-empty string") }
            return text
        }

        func number(_ value: JSONValue?, at place: String) throws -> Double {
            guard case .number(let number)? = value else { throw fail(place, "must be a number") }
            return number
        }

        func network(_ value: JSONValue, at place: String) throws -> EmbeddedNetwork {
            let object = try object(value, at: place, keys: EmbeddingFile.networkKeys)
            let name = try string(object["name"], at: "\(place).name")
            guard EmbeddingSpec.isValidInstanceName(name) else {
                throw fail("\(place).name", "'\(name)' is not a valid instance name: letters, digits and '_', not starting with a digit (it prefixes the instance's column names)")
            }
            let model = try string(object["model"], at: "\(place).model")
            guard case .array(let inputs)? = object["inputs"] else { throw fail("\(place).inputs", "must be a list of column names, numbers and new columns") }
            var outputs: [OutputLink]?
            switch object["outputs"] {
            case nil: outputs = nil
            case .array(let list)?: outputs = try list.enumerated().map { try output($1, at: "\(place).outputs[\($0)]") }
            case let other?: throw fail("\(place).outputs", "must be a list of column names and nulls, not \(other.kind)")
            }
            return EmbeddedNetwork(name: name, model: resolve(model), inputs: try inputs.enumerated().map { try input($1, at: "\(place).inputs[\($0)]") },
                                   outputs: outputs, place: place)
        }

        func input(_ value: JSONValue, at place: String) throws -> InputLink {
            switch value {
            case .string(let name) where !name.isEmpty: return .column(name)
            case .number(let constant): return .constant(constant)
            case .object:
                let object = try object(value, at: place, keys: EmbeddingFile.newColumnKeys)
                let name = try string(object["new"], at: "\(place).new")
                let (lower, upper) = (try number(object["lower"], at: "\(place).lower"), try number(object["upper"], at: "\(place).upper"))
                guard lower <= upper else { throw fail(place, "lower \(lower) is above upper \(upper)") }
                var integer = false
                switch object["integer"] {
                case nil: break
                case .bool(let flag)?: integer = flag
                case let other?: throw fail("\(place).integer", "must be true or false, not \(other.kind)")
                }
                return .newColumn(name: name, lower: lower, upper: upper, integer: integer)
            default:
                throw fail(place, "must be a column name, a number or {\"new\": NAME, \"lower\": LO, \"upper\": HI}, not \(value.kind)")
            }
        }

        func output(_ value: JSONValue, at place: String) throws -> OutputLink {
            switch value {
            case .string(let name) where !name.isEmpty: return .column(name)
            case .null: return .newColumn
            default: throw fail(place, "must be a column name or null (a new column NAME.yK), not \(value.kind)")
            }
        }

        func objective(_ value: JSONValue) throws -> ColumnObjective {
            let object = try object(value, at: "objective", keys: EmbeddingFile.objectiveKeys)
            guard object.count == 1, let (key, text) = object.first else {
                throw fail("objective", "needs exactly one of \"maximize\" and \"minimize\"")
            }
            let source = "objective.\(key)"
            let expression = try ColumnExpression.parse(try string(text, at: source), source: source, file: file, kind: .malformedInput)
            return ColumnObjective(sense: key == "maximize" ? .maximize : .minimize, expression: expression, source: source)
        }

        /// `path` relative to the networks file's folder, unless absolute.
        func resolve(_ path: String) -> String {
            let folder = (file as NSString).deletingLastPathComponent
            return path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
        }
    }
}
