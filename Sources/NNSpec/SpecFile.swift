import Foundation
import NNIR
import NNInput

/// nnmip's JSON spec (`schemas/spec.schema.json`): everything the flags can
/// say, in one file. Paths inside it are relative to the file's folder.
struct SpecFile {
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

        /// The keys the format defines; any other key is refused, so a misspelt one is never ignored.
        enum CodingKeys: String, CodingKey, CaseIterable {
            case schema = "$schema"
            case input_box, input_bounds, linf_ball, l1_ball, maximize, minimize, constraints, disjunction, vnnlib
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.closedContainer(keyedBy: CodingKeys.self)
            input_box = try container.decodeIfPresent([Double].self, forKey: .input_box)
            input_bounds = try container.decodeIfPresent(BoundsValue.self, forKey: .input_bounds)
            linf_ball = try container.decodeIfPresent(Ball.self, forKey: .linf_ball)
            l1_ball = try container.decodeIfPresent(Ball.self, forKey: .l1_ball)
            maximize = try container.decodeIfPresent(String.self, forKey: .maximize)
            minimize = try container.decodeIfPresent(String.self, forKey: .minimize)
            constraints = try container.decodeIfPresent([String].self, forKey: .constraints)
            disjunction = try container.decodeIfPresent([[String]].self, forKey: .disjunction)
            vnnlib = try container.decodeIfPresent(String.self, forKey: .vnnlib)
        }
    }

    /// A bounds file's path, or its content inline (`InputBoundsFile.Layout`).
    private enum BoundsValue: Decodable {
        case path(String)
        case inline(InputBoundsFile.Layout)

        init(from decoder: Decoder) throws {
            if let path = try? decoder.singleValueContainer().decode(String.self) {
                self = .path(path)
            } else {
                self = .inline(try InputBoundsFile.Layout(from: decoder))
            }
        }
    }

    private struct Ball: Decodable {
        var center: Center
        var epsilon: Double

        enum CodingKeys: String, CodingKey, CaseIterable { case center, epsilon }

        init(from decoder: Decoder) throws {
            let container = try decoder.closedContainer(keyedBy: CodingKeys.self)
            center = try container.decode(Center.self, forKey: .center)
            epsilon = try container.decode(Double.self, forKey: .epsilon)
        }
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
            guard box.count == 2 else { throw Diagnostic(.malformedInput, file: path, location: "input_box", "expected [LO, HI]") }
            try builder.addInputBox(lower: box[0], upper: box[1], source: "\(path): input_box")
        }
        switch document.input_bounds {
        case .path(let file)?: try builder.addInputBounds(path: resolve(file))
        case .inline(let layout)?:
            for (t, bounds) in try InputBoundsFile.bounds(layout, source: path, place: "input_bounds", symbols: symbols).enumerated() {
                if let bounds { builder.spec.intersectInput(t, with: bounds) }
            }
        case nil: break
        }
        for (norm, ball, key) in [(NormBall.Norm.linf, document.linf_ball, "linf_ball"), (.l1, document.l1_ball, "l1_ball")] {
            guard let ball else { continue }
            guard ball.epsilon.isFinite, ball.epsilon >= 0 else { throw Diagnostic(.malformedInput, file: path, location: key, "epsilon must be a finite number >= 0") }
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
            guard !disjunction.isEmpty else { throw Diagnostic(.malformedInput, file: path, location: "disjunction", "needs at least one alternative") }
            let alternatives = try disjunction.enumerated().map { i, conjunction in
                try conjunction.enumerated().map { j, text in
                    try ExpressionParser.constraint(text, source: "\(path): disjunction[\(i)][\(j)]", symbols: symbols)
                }
            }
            try builder.addDisjunction(alternatives, source: "\(path): disjunction")
        }
    }

    private func decode(_ data: Data) throws -> Document {
        do {
            return try JSONDecoder().decode(Document.self, from: data)
        } catch let error as DecodingError {
            throw error.diagnostic(file: path, expected: "see schemas/spec.schema.json")
        }
    }

    /// `file` relative to the spec's folder (the current directory for a spec from standard input).
    private func resolve(_ file: String) -> String {
        file.hasPrefix("/") ? file : URL(fileURLWithPath: input.path).deletingLastPathComponent().appendingPathComponent(file).path
    }
}
