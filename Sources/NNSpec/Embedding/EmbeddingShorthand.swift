import Foundation
import NNIR

/// The command-line form of an embedding, for one network or a few:
/// `--network NAME=FILE` names an instance, `--link 'NAME.x=c0,c1,2.5'` links
/// all its inputs in order (column names or constants), `--link 'NAME.x2=c'`
/// one of them, `--link 'NAME.y=d0'` its outputs (an empty entry, or an
/// output not linked, gets a new column `NAME.yK`). Commas inside brackets
/// belong to the name (`flow[1,2]`). Mistakes are usage errors (exit 64).
public enum EmbeddingShorthand {
    /// The embedding that `networks` (`NAME=FILE` each) and `links` describe.
    public static func parse(networks: [String], links: [String]) throws -> EmbeddingSpec {
        var instances: [(name: String, model: String, inputs: [Int: (InputLink, String)], outputs: [Int: (OutputLink, String)])] = []
        for text in networks {
            guard let equals = text.firstIndex(of: "="), !text[..<equals].isEmpty, !text[text.index(after: equals)...].isEmpty else {
                throw Diagnostic(.usage, location: "--network '\(text)'", "expected NAME=FILE")
            }
            let name = String(text[..<equals])
            guard EmbeddingSpec.isValidInstanceName(name) else {
                throw Diagnostic(.usage, location: "--network '\(text)'", "'\(name)' is not a valid instance name: letters, digits and '_', not starting with a digit")
            }
            guard !instances.contains(where: { $0.name == name }) else {
                throw Diagnostic(.usage, location: "--network '\(text)'", "a network is already called '\(name)'")
            }
            instances.append((name, String(text[text.index(after: equals)...]), [:], [:]))
        }
        for text in links {
            let link = try Link(text)
            guard let i = instances.firstIndex(where: { $0.name == link.instance }) else {
                throw Diagnostic(.usage, location: "--link '\(text)'", "no --network is called '\(link.instance)'")
            }
            for (offset, entry) in link.entries.enumerated() {
                let k = (link.element ?? 0) + offset
                if link.isInput {
                    if let earlier = instances[i].inputs[k] {
                        throw Diagnostic(.usage, location: "--link '\(text)'", "input \(k) of network '\(link.instance)' is already linked by --link '\(earlier.1)'; a network input is linked once")
                    }
                    instances[i].inputs[k] = (try input(entry, text), text)
                } else {
                    if let earlier = instances[i].outputs[k] {
                        throw Diagnostic(.usage, location: "--link '\(text)'", "output \(k) of network '\(link.instance)' is already linked by --link '\(earlier.1)'")
                    }
                    instances[i].outputs[k] = (entry.isEmpty ? .newColumn : .column(entry), text)
                }
            }
        }
        let described = try instances.map { instance in
            let count = (instance.inputs.keys.max() ?? -1) + 1
            guard count > 0 else {
                throw Diagnostic(.usage, location: "--network \(instance.name)", "no --link gives its inputs; add --link '\(instance.name).x=COLUMN,...'")
            }
            if let missing = (0..<count).first(where: { instance.inputs[$0] == nil }) {
                throw Diagnostic(.usage, location: "--network \(instance.name)", "input \(missing) has no link, but later inputs have; link it with --link '\(instance.name).x\(missing)=COLUMN'")
            }
            let outputCount = (instance.outputs.keys.max() ?? -1) + 1
            var network = EmbeddedNetwork(name: instance.name, model: instance.model, inputs: (0..<count).map { instance.inputs[$0]!.0 },
                                          outputs: (0..<outputCount).map { instance.outputs[$0]?.0 ?? .newColumn },
                                          place: "--network \(instance.name)", inFile: false)
            network.outputsMayBeShort = true
            return network
        }
        return EmbeddingSpec(file: nil, networks: described)
    }

    /// A column name, or a number (a constant input).
    private static func input(_ entry: String, _ text: String) throws -> InputLink {
        guard !entry.isEmpty else { throw Diagnostic(.usage, location: "--link '\(text)'", "an input entry is empty; give a column name or a number") }
        if let constant = Double(entry) {
            guard constant.isFinite else { throw Diagnostic(.usage, location: "--link '\(text)'", "'\(entry)' is not a finite number") }
            return .constant(constant)
        }
        return .column(entry)
    }

    /// One `--link` value: `NAME.x=…`, `NAME.xK=…`, `NAME.y=…` or `NAME.yK=…`.
    private struct Link {
        var instance: String
        var isInput: Bool
        /// The first element linked (K of `NAME.xK`), nil for the whole list.
        var element: Int?
        var entries: [String]

        init(_ text: String) throws {
            func fail() -> Diagnostic {
                Diagnostic(.usage, location: "--link '\(text)'", "expected NAME.x=COLUMN,... or NAME.y=COLUMN,... (or NAME.xK=COLUMN, NAME.yK=COLUMN)")
            }
            guard let equals = text.firstIndex(of: "=") else { throw fail() }
            let target = text[..<equals]
            guard let dot = target.lastIndex(of: "."), dot != target.startIndex else { throw fail() }
            let side = target[target.index(after: dot)...]
            guard let letter = side.first, letter == "x" || letter == "y" else { throw fail() }
            let index = side.dropFirst()
            guard index.isEmpty || (index.allSatisfy(\.isASCII) && Int(index) != nil) else { throw fail() }
            instance = String(target[..<dot])
            isInput = letter == "x"
            element = index.isEmpty ? nil : Int(index)
            entries = Self.split(text[text.index(after: equals)...])
            if element != nil, entries.count != 1 { throw fail() }
        }

        /// The comma-separated entries of `list`; a comma inside (), [] or {} belongs to the entry.
        static func split(_ list: Substring) -> [String] {
            var entries: [String] = [], current = "", depth = 0
            for character in list {
                switch character {
                case "(", "[", "{": depth += 1
                case ")", "]", "}": depth = max(0, depth - 1)
                case "," where depth == 0:
                    entries.append(current.trimmingCharacters(in: .whitespaces))
                    current = ""
                    continue
                default: break
                }
                current.append(character)
            }
            entries.append(current.trimmingCharacters(in: .whitespaces))
            return entries
        }
    }
}
