import Foundation
import NNImport
import NNIR
import Testing
import TestSupport

/// The third-party networks in ../shared/realnets: every well-formed one (piecewise linear, or
/// with the sigmoid and tanh that pwl-approx handles) loads, round-trips through the text form and
/// evaluates to onnxruntime's outputs (stored in fixtures/realnets); the others are refused with
/// the node named.
@Suite struct RealNetworkTests {
    /// Files that are malformed (onnxruntime refuses them too) and must be refused cleanly.
    static let malformed: [String: String] = [
        "omlt/maxpool_2d.onnx": "kernel_shape",
    ]
    /// Files whose graph is well formed but does something random (dropout while training).
    static let unsupportedOther: [String: String] = [
        "marabou/layer-zoo/dropout_training_mode_true.onnx": "training_mode",
    ]

    @Test(.needsRealnets) func everyNetworkLoadsOrIsRefusedForAStatedReason() throws {
        let folder = try Realnets.require()
        let models = Realnets.files(withExtension: "onnx")
        #expect(models.count >= 40, "expected the whole realnets collection, found \(models.count) models")
        var checked = 0
        for relative in models {
            let path = folder + "/" + relative
            if let word = Self.malformed[relative] ?? Self.unsupportedOther[relative] {
                let error = #expect(throws: Diagnostic.self) { try ModelLoader.load(path) }
                #expect(error?.kind == (Self.malformed[relative] != nil ? .malformedInput : .unsupported), "\(relative)")
                #expect(error?.description.contains(word) == true && error?.description.contains("node") == true,
                        "\(relative): \(String(describing: error))")
                continue
            }
            let loaded = try ModelLoader.load(path)
            try Verifier.verify(loaded.graph)
            try checkRoundTrip(loaded.graph, relative)
            let expected = Paths.fixture("realnets/\(relative).expected.json")
            #expect(FileManager.default.fileExists(atPath: expected), "no onnxruntime fixture for \(relative)")
            if FileManager.default.fileExists(atPath: expected) {
                try checkAgainstOnnxruntime(model: path, expected: expected)
                checked += 1
            }
        }
        #expect(checked >= 35)
    }
}
