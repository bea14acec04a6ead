import Foundation
import NNImport
import NNIR
import Testing
import TestSupport

/// Networks that PyTorch's two ONNX exporters wrote (fixtures/torch, from
/// scripts/fixtures/make_torch_fixtures.py) with the piecewise-linear modules people use beyond
/// ReLU: ReLU6, Hardtanh, clamp, PReLU, abs, maximum and minimum, amax/amin/sum/mean, maxout,
/// Hardsigmoid, nearest upsampling, adaptive max pooling, split, repeat, expand and cat. Each loads,
/// computes what onnxruntime computed, and prints and parses back exactly.
@Suite struct TorchExportTests {
    static let fixtureNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.fixture("torch"))) ?? []
        return names.filter { $0.hasSuffix(".onnx") && names.contains($0 + ".expected.json") }.sorted()
    }()

    @Test func bothExportersWroteEveryNetwork() {
        let networks = Set(Self.fixtureNames.map { $0.replacingOccurrences(of: ".legacy", with: "") })
        #expect(networks.count >= 8 && Self.fixtureNames.count == 2 * networks.count, "\(Self.fixtureNames)")
    }

    @Test(arguments: fixtureNames)
    func evaluatesToOnnxruntimeOutputs(name: String) throws {
        let path = Paths.fixture("torch/\(name)")
        _ = try ModelLoader.load(path)  // every one of them is piecewise linear: none may be refused
        try checkAgainstOnnxruntime(model: path, expected: path + ".expected.json")
    }

    @Test(arguments: fixtureNames)
    func printsAndParsesBackExactly(name: String) throws {
        try checkRoundTrip(try ModelLoader.load(Paths.fixture("torch/\(name)")).graph, name)
    }
}
