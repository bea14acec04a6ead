import Foundation
@testable import NNImport
import NNInput
import NNIR
import Testing
import TestSupport

/// A model's format comes from its name's extension (after any `.gz`) and, where the name says
/// nothing, from its content (issue 14, section 5): every front end loads the same network from
/// a copy without an extension, with another extension, and gzipped under either name.
@Suite struct ModelFormatTests {
    /// One model per front end and file form, with the format `inspect` reports.
    static let models: [(fixture: String, format: String)] = [
        ("onnx/mlp_2x8.onnx", "ONNX"),
        ("keras/mlp_mixed.keras2.h5", "Keras 2 HDF5 model"),
        ("keras/mlp_mixed.keras", "Keras 3 archive"),
    ]

    /// The outputs at a fixed point: the same network gives the same values.
    private func outputs(_ graph: Graph) throws -> [[Double]] {
        let point = graph.inputs.map { id in
            (0..<Shape.count(graph[id].shape)).map { Double($0 % 7) / 7 - 0.4 }
        }
        return try Evaluator(graph: graph).evaluate(inputs: point)
    }

    @Test(arguments: models)
    func aModelLoadsWhateverItsNameSays(fixture: String, format: String) throws {
        let folder = try ScratchFolder("format")
        let original = try ModelLoader.load(Paths.fixture(fixture))
        #expect(original.format == format)
        let expected = try outputs(original.graph)
        let ext = (fixture as NSString).pathExtension
        let copies = [try folder.copy(Paths.fixture(fixture), to: "model"), try folder.copy(Paths.fixture(fixture), to: "model.bin"),
                      try folder.gzip(Paths.fixture(fixture), to: "model.\(ext).gz"), try folder.gzip(Paths.fixture(fixture), to: "gzipped")]
        for copy in copies {
            let loaded = try ModelLoader.load(copy)
            #expect(loaded.format == format, "\(copy)")
            #expect(try outputs(loaded.graph) == expected, "\(copy)")
        }
    }

    /// IR text is known by its header line.
    @Test func irTextLoadsWithoutItsExtension() throws {
        let folder = try ScratchFolder("format")
        let graph = try ModelLoader.load(Paths.fixture("onnx/mlp_2x8.onnx")).graph
        let path = try folder.write(Data(IRPrinter().print(graph).utf8), to: "dump")
        let loaded = try ModelLoader.load(path)
        #expect(loaded.format == "nnmip IR")
        #expect(try outputs(loaded.graph) == outputs(graph))
    }

    @Test func signaturesAreRecognised() {
        let hdf5 = Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
        func format(_ bytes: Data) -> ModelFormat? { ModelFormat.allCases.first { $0.recognizes(bytes) } }
        #expect(format(hdf5 + Data(count: 100)) == .keras)
        // After a user block of 512 or 1024 bytes, where libhdf5 also looks.
        #expect(format(Data(count: 512) + hdf5) == .keras)
        #expect(format(Data(count: 1024) + hdf5) == .keras)
        #expect(format(Data(count: 700) + hdf5) == nil)
        #expect(format(Data([0x50, 0x4B, 0x03, 0x04, 0])) == .keras)
        #expect(format(Data([0x08, 0x07, 0x12])) == .onnx)
        #expect(format(Data("; nnmip IR 1\n".utf8)) == .ir)
        #expect(format(Data("(declare-const X_0 Real)".utf8)) == nil)
        #expect(format(Data()) == nil)
    }

    /// A name with a known extension decides even when the content is not that format, so the
    /// error is that front end's (it names the file and what is wrong with it).
    @Test func theExtensionDecidesOverTheContent() throws {
        let folder = try ScratchFolder("format")
        let path = try folder.copy(Paths.fixture("keras/mlp_mixed.keras2.h5"), to: "model.onnx")
        let error = #expect(throws: Diagnostic.self) { try ModelLoader.load(path) }
        #expect(error?.kind == .malformedInput && error?.file == path && error?.message.contains("not a valid ONNX model") == true,
                "\(String(describing: error))")
    }

    /// Content that is no model is malformed input (exit 65): the message says what it starts with.
    @Test(arguments: [(Data(), "it is empty"), (Data([0, 1, 2, 3]), "it starts with the bytes 00 01 02 03"),
                      (Data("{\"lower\": [0]}".utf8), #"it starts with the text "{\"lower\": [0]}""#)])
    func contentThatIsNoModelIsNamed(bytes: Data, seen: String) throws {
        let folder = try ScratchFolder("format")
        let path = try folder.write(bytes, to: "model")
        let error = #expect(throws: Diagnostic.self) { try ModelLoader.load(path) }
        #expect(error?.kind == .malformedInput && error?.file == path, "\(String(describing: error))")
        #expect(error?.message.contains("not a model nnmip reads: \(seen)") == true, "\(String(describing: error))")
    }
}
