import Foundation
import Testing

/// An instance of `fixtures/embedding` (written by `scripts/fixtures/make_embedding_fixtures.py`): a
/// user's model, its networks file and the optimum SCIP proved for them, from `INSTANCE.expected.json`.
public struct EmbeddingFixture: Sendable, CustomTestStringConvertible {
    /// The instance's name (`diet`, `janos_n50_2x10`).
    public var name: String
    /// The model file, the networks file (paths from the package root).
    public var model: String, networks: String
    /// `--sense max` or `--sense min` when the sense SCIP applied is not the one the model file says.
    public var senseArguments: [String]
    /// The optimum and its sense.
    public var objective: Double, maximize: Bool
    /// The value of each column at SCIP's optimum.
    public var columns: [String: Double]

    public var testDescription: String { name }

    /// Reads `fixtures/embedding/NAME.expected.json`.
    public static func load(_ name: String) throws -> EmbeddingFixture {
        let folder = "fixtures/embedding/"
        let data = try Data(contentsOf: URL(fileURLWithPath: Paths.fixture("embedding/\(name).expected.json")))
        guard let record = try JSONSerialization.jsonObject(with: data) as? [String: Any], let model = record["model"] as? String,
              let networks = record["networks"] as? String, let objective = record["objective"] as? Double, let sense = record["sense"] as? String,
              let applied = record["sense_applied"] as? String else {
            throw Solver.Failure(description: "\(name).expected.json lacks model, networks, objective, sense or sense_applied")
        }
        let senseArguments = applied == "the file's" ? [] : ["--sense", applied == "maximize" ? "max" : "min"]
        return EmbeddingFixture(name: name, model: folder + model, networks: folder + networks, senseArguments: senseArguments,
                                objective: objective, maximize: sense == "maximize", columns: record["columns"] as? [String: Double] ?? [:])
    }

    /// Whether `value` is the optimum within `relative` (times max(1, |optimum|)).
    public func isOptimum(_ value: Double, relative: Double = 1e-6) -> Bool {
        abs(value - objective) <= relative * max(1, abs(objective))
    }
}
