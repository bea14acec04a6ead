import Foundation
import NNIR
import NNInput

/// nnmip's JSON spec (`schemas/spec.schema.json`): everything the flags can
/// say, in one file. Paths inside it are relative to the file's folder.
struct SpecFile {
    /// The keys the format defines; any other key is refused, so a misspelt one is never ignored.
    static let keys: Set<String> = ["$schema", "input_box", "input_bounds", "linf_ball", "l1_ball", "maximize", "minimize",
                                    "constraints", "disjunction", "vnnlib"]

    private struct Document: Decodable {
        var input_box: [Double]?
        var input_bounds: BoundsValue?
        var linf_ball: Ball?
        var l1_ball: Ball?
        var maximize: String?
        var minimize: String?
        var constraints: [String]?
        var disjunction: [[String]]?
        var vnnlib: String?
    }

    private enum BoundsValue: Decodable {
        case path(String)
        case single(InputBoundsFile.Pair)
        case named([String: InputBoundsFile.Pair])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let path = try? container.decode(String.self) {
                self = .path(path)
            } else if let pair = try? container.decode(InputBoundsFile.Pair.self) {
                self = .single(pair)
            } else {
                self = .named(try container.decode([String: InputBoundsFile.Pair].self))
            }
        }
    }

    private struct Ball: Decodable {
        var center: Center
        var epsilon: Double
    }

    /// A ball's center: a point file, or a point as `InputVectors` reads one (flat or nested arrays).
    private enum Center: Decodable {
        case path(String)
        case point(InputVectors.Layout)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let path = try? container.decode(String.self) {
                self = .path(path)
            } else {
                self = .point(try container.decode(InputVectors.Layout.self))
            }
        }
    }

    /// The file, as read.
    let input: InputFile
    /// The file as messages name it.
    private var path: String { input.name }

    /// Adds what the file says to `builder`.
    func apply(to builder: inout SpecBuilder) throws {
        let document = try decode(input.bytes)
        let symbols = builder.symbols
        if let box = document.input_box {
            guard box.count == 2 else { throw Diagnostic(.usage, file: path, location: "input_box", "expected [LO, HI]") }
            try builder.addInputBox(lower: box[0], upper: box[1], source: "\(path): input_box")
        }
        switch document.input_bounds {
        case .path(let file)?: try builder.addInputBounds(path: resolve(file))
        case .single(let pair)?:
            guard symbols.inputs.count == 1 else { throw Diagnostic(.usage, file: path, location: "input_bounds", "the network has several inputs; give an object per input name") }
            builder.spec.intersectInput(0, with: try InputBoundsFile.checked(pair, input: 0, symbols: symbols, source: path))
        case .named(let named)?:
            for (name, pair) in named.sorted(by: { $0.key < $1.key }) {
                guard let t = symbols.inputIndex(name) else { throw Diagnostic(.usage, file: path, location: "input_bounds", "the network has no input '\(name)'") }
                builder.spec.intersectInput(t, with: try InputBoundsFile.checked(pair, input: t, symbols: symbols, source: path))
            }
        case nil: break
        }
        for (norm, ball, key) in [(NormBall.Norm.linf, document.linf_ball, "linf_ball"), (.l1, document.l1_ball, "l1_ball")] {
            guard let ball else { continue }
            guard ball.epsilon.isFinite, ball.epsilon >= 0 else { throw Diagnostic(.usage, file: path, location: key, "epsilon must be a finite number >= 0") }
            let centers: [[Double]]
            switch ball.center {
            case .path(let file):
                centers = try InputVectors.read(resolve(file), symbols: symbols)
            case .point(let layout):
                centers = try InputVectors.resolve(layout, source: path, path: "\(key).center", symbols: symbols)
            }
            try builder.addBall(norm, centers: centers, radius: ball.epsilon, source: "\(path): \(key)")
        }
        if let vnnlib = document.vnnlib { try builder.addSpecFile(path: resolve(vnnlib)) }
        if let text = document.maximize { try builder.setObjective(.maximize, text, source: "\(path): maximize") }
        if let text = document.minimize { try builder.setObjective(.minimize, text, source: "\(path): minimize") }
        for (i, text) in (document.constraints ?? []).enumerated() {
            try builder.addConstraint(text, source: "\(path): constraints[\(i)]")
        }
        if let disjunction = document.disjunction {
            guard !disjunction.isEmpty else { throw Diagnostic(.usage, file: path, location: "disjunction", "needs at least one alternative") }
            let alternatives = try disjunction.enumerated().map { i, conjunction in
                try conjunction.enumerated().map { j, text in
                    try ExpressionParser.constraint(text, source: "\(path): disjunction[\(i)][\(j)]", symbols: symbols)
                }
            }
            try builder.addDisjunction(alternatives, source: "\(path): disjunction")
        }
    }

    private func decode(_ data: Data) throws -> Document {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Diagnostic(.malformedInput, file: path, "not a JSON object; see schemas/spec.schema.json")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw Diagnostic(.usage, file: path, "unknown key '\(unknown)'; the keys are \(Self.keys.filter { $0 != "$schema" }.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder().decode(Document.self, from: data)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context),
                let DecodingError.valueNotFound(_, context), let DecodingError.keyNotFound(_, context) {
            let place = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            throw Diagnostic(.malformedInput, file: path, location: place.isEmpty ? nil : place, "wrong type; see schemas/spec.schema.json")
        } catch {
            throw Diagnostic(.malformedInput, file: path, "cannot decode the spec; see schemas/spec.schema.json")
        }
    }

    /// `file` relative to the spec's folder (the current directory for a spec from standard input).
    private func resolve(_ file: String) -> String {
        file.hasPrefix("/") ? file : URL(fileURLWithPath: input.path).deletingLastPathComponent().appendingPathComponent(file).path
    }
}
