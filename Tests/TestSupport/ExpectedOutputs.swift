import Foundation

/// An `*.expected.json` fixture: inputs fed to onnxruntime and what it computed
/// (written by scripts/fixtures/*.py; tests read it without Python).
public struct ExpectedOutputs: Decodable {
    /// A named tensor and its shape.
    public struct TensorInfo: Decodable {
        public var name: String
        public var shape: [Int]
    }

    /// One input point and the outputs onnxruntime computed for it.
    public struct Case: Decodable {
        public var inputs: [String: [Double]]
        public var outputs: [String: [Double]]
    }

    public var inputs: [TensorInfo]
    public var outputs: [TensorInfo]
    public var cases: [Case]

    /// Reads the fixture at `path`.
    public static func load(_ path: String) throws -> ExpectedOutputs {
        try JSONDecoder().decode(ExpectedOutputs.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// Compares computed values with onnxruntime's (float32) results: each value
/// must be within `relative * max(1, |expected|)`. Returns a description of
/// the first mismatch, or nil.
public func firstMismatch(_ actual: [Double], _ expected: [Double], relative: Double = 1e-4) -> String? {
    guard actual.count == expected.count else { return "\(actual.count) values, expected \(expected.count)" }
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= relative * max(1, abs(e))) {
        return "element \(i): \(a), expected \(e)"
    }
    return nil
}
