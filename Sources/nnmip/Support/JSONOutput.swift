import NNMIPKit

/// A JSON object mapping each name to its vector, `{"X": [0.5, 1.0], ...}`,
/// as `eval --format json` and `solve --format json` print tensors.
func jsonVectors(_ names: [String], _ vectors: [[Double]]) -> String {
    "{" + zip(names, vectors).map { "\(JSONString.quoted($0)): \(vectorText($1))" }.joined(separator: ", ") + "}"
}
