import Foundation
import NNImport
import NNIR
import Testing
import TestSupport

/// The generated ONNX fixtures (fixtures/onnx): each exercises one operator or
/// encoding; onnxruntime's outputs are stored beside them.
@Suite struct FixtureModelTests {
    static let fixtureNames: [String] = {
        let folder = Paths.fixture("onnx")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".onnx") && names.contains($0 + ".expected.json") }.sorted()
    }()

    @Test func thereAreFixtures() {
        #expect(Self.fixtureNames.count >= 40, "fixtures/onnx looks incomplete: \(Self.fixtureNames.count) models")
    }

    @Test(arguments: fixtureNames)
    func evaluatesToOnnxruntimeOutputs(name: String) throws {
        let path = Paths.fixture("onnx/\(name)")
        try checkAgainstOnnxruntime(model: path, expected: path + ".expected.json")
    }

    @Test(arguments: fixtureNames)
    func printsAndParsesBackExactly(name: String) throws {
        guard let loaded = try? ModelLoader.load(Paths.fixture("onnx/\(name)")) else { return }  // the Softmax tails
        try checkRoundTrip(loaded.graph, name)
    }

    @Test(arguments: [("softmax_tail.onnx", "Softmax", "logits"), ("logsoftmax_tail.onnx", "LogSoftmax", "logits")])
    func nonPiecewiseLinearModelsAreRefusedWithTheNodeNamed(name: String, mentions: String, also: String) {
        let path = Paths.fixture("onnx/\(name)")
        let error = #expect(throws: Diagnostic.self) { try ModelLoader.load(path) }
        #expect(error?.kind == .unsupported)
        #expect(error?.file == path)
        let text = error?.description ?? ""
        #expect(text.contains(mentions) && text.contains(also), "\(text)")
        #expect(text.contains("--output"), "the error should say how to cut the graph: \(text)")
    }

    @Test func anUnknownOutputNameIsAUsageErrorWithASuggestion() {
        let error = #expect(throws: Diagnostic.self) {
            try ModelLoader.load(Paths.fixture("onnx/softmax_tail.onnx"), options: LoadOptions(outputs: ["logit"]))
        }
        #expect(error?.kind == .usage)
        #expect(error?.description.contains("'logits'") == true, "\(String(describing: error))")
    }

    @Test func theIRGoldenFilesAreCurrent() throws {
        for name in ["mlp_2x8", "small_cnn", "nhwc_cnn"] {
            let loaded = try ModelLoader.load(Paths.fixture("onnx/\(name).onnx"))
            let text = IRPrinter(elideListsLongerThan: 16).print(loaded.graph)
            let mismatch = try goldenMismatch(text, file: "Tests/NNImportTests/Golden/\(name).nnir")
            #expect(mismatch == nil, "\(mismatch ?? "")")
        }
    }
}
