import Foundation
import NNImport
import NNIR
import Testing
import TestSupport

/// Networks that real exporters wrote with the piecewise-linear modules people use beyond ReLU:
/// PyTorch's two ONNX exporters (fixtures/torch: ReLU6, Hardtanh, clamp, PReLU, abs, maximum and
/// minimum, amax/amin/sum/mean, maxout, Hardsigmoid, nearest upsampling, adaptive max pooling,
/// split, repeat, expand, cat) and tf2onnx from tf-keras (fixtures/tf2onnx: capped ReLU, ReLU6,
/// PReLU, the merges, UpSampling2D, global max pooling). Each loads, computes what onnxruntime
/// computed, and prints and parses back exactly.
@Suite struct ExporterFixtureTests {
    static let folders = ["torch", "tf2onnx"]

    static let fixtureNames: [String] = folders.flatMap { folder in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Paths.fixture(folder))) ?? []
        return names.filter { $0.hasSuffix(".onnx") && names.contains($0 + ".expected.json") }.sorted().map { "\(folder)/\($0)" }
    }

    @Test func pyTorchsBothExportersAndTf2onnxWroteTheirNetworks() {
        let torch = Self.fixtureNames.filter { $0.hasPrefix("torch/") }
        let networks = Set(torch.map { $0.replacingOccurrences(of: ".legacy", with: "") })
        #expect(networks.count >= 8 && torch.count == 2 * networks.count, "\(torch)")
        #expect(Self.fixtureNames.filter { $0.hasPrefix("tf2onnx/") }.count >= 2, "\(Self.fixtureNames)")
    }

    @Test(arguments: fixtureNames)
    func evaluatesToOnnxruntimeOutputs(name: String) throws {
        let path = Paths.fixture(name)
        _ = try ModelLoader.load(path)  // every one of them is piecewise linear: none may be refused
        try checkAgainstOnnxruntime(model: path, expected: path + ".expected.json")
    }

    @Test(arguments: fixtureNames)
    func printsAndParsesBackExactly(name: String) throws {
        try checkRoundTrip(try ModelLoader.load(Paths.fixture(name)).graph, name)
    }
}
