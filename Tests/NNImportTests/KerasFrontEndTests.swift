import Foundation
@testable import NNImport
import NNIR
import Testing
import TestSupport

/// The Keras front end against Keras's own predictions (fixtures written by
/// scripts/fixtures/make_keras_fixtures.py with tf-keras 2.21 and Keras 3.15),
/// in the four file forms, the real files of ../shared/realnets, and bad files.
@Suite struct KerasFrontEndTests {
    /// Every expected-output file of fixtures/keras with the model it describes and the
    /// --keras-config to pass (a JSON config stands for itself plus its weights file).
    static let forms: [(expected: String, model: String, config: String?)] = {
        let folder = Paths.fixture("keras")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".expected.json") }.sorted().map { name in
            let described = String(name.dropLast(".expected.json".count))
            if described.hasSuffix(".keras2.json") {
                return (name, described.replacingOccurrences(of: ".keras2.json", with: ".keras2_weights.h5"), described)
            }
            if described.hasSuffix(".keras3.json") {
                return (name, described.replacingOccurrences(of: ".keras3.json", with: ".keras3.weights.h5"), described)
            }
            return (name, described, nil)
        }
    }()

    /// Compares the evaluator with Keras's predictions, 1e-5 relative.
    private func check(model: String, config: String?, expected: String) throws {
        let graph = try ModelLoader.load(model, options: LoadOptions(kerasConfig: config)).graph
        let reference = try ExpectedOutputs.load(expected)
        #expect(graph.outputs.map(\.name) == reference.outputs.map(\.name), "\(model)")
        #expect(graph.inputs.map { graph.inputName($0) } == reference.inputs.map(\.name), "\(model)")
        for (k, info) in reference.inputs.enumerated() { #expect(graph[graph.inputs[k]].shape == info.shape, "\(model): input \(info.name)") }
        for (number, testCase) in reference.cases.enumerated() {
            let inputs = graph.inputs.map { testCase.inputs[graph.inputName($0)!] ?? [] }
            let outputs = try Evaluator(graph: graph).evaluate(inputs: inputs)
            for (position, output) in graph.outputs.enumerated() {
                let mismatch = firstMismatch(outputs[position], testCase.outputs[output.name] ?? [], relative: 1e-5)
                #expect(mismatch == nil, "\(model), case \(number), output \(output.name): \(mismatch ?? "")")
            }
        }
    }

    @Test func everyFixtureFormIsCovered() {
        // 7 models in four forms and the channels_first one in the two Keras 3 forms.
        #expect(Self.forms.count == 30, "\(Self.forms.map(\.expected))")
        for suffix in [".keras2.h5", ".keras2.json", ".keras", ".keras3.json"] {
            #expect(Self.forms.contains { $0.expected.hasSuffix(suffix + ".expected.json") }, "no fixture of the form \(suffix)")
        }
    }

    @Test(arguments: forms.map { "\($0.expected)|\($0.model)|\($0.config ?? "")" })
    func fixturesEvaluateToKerasPredictions(form: String) throws {
        let parts = form.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        try check(model: Paths.fixture("keras/" + parts[1]), config: parts[2].isEmpty ? nil : Paths.fixture("keras/" + parts[2]),
                  expected: Paths.fixture("keras/" + parts[0]))
    }

    @Test(.needsRealnets, arguments: ["marabou/cnn_max_mnist2.h5", "relumip/peaks_3x10.h5", "omlt/keras_linear_131_relu.keras", "omlt/keras_linear_131.keras"])
    func realKerasFilesEvaluateToKerasPredictions(file: String) throws {
        let folder = try Realnets.require()
        try check(model: folder + "/" + file, config: nil, expected: Paths.fixture("realnets/\(file).expected.json"))
    }

    @Test(arguments: [
        ("bad/keras/not_hdf5.h5", FailureKind.malformedInput, ["not an HDF5 file"]),
        ("bad/keras/not_keras.h5", .malformedInput, ["not a Keras file"]),
        ("bad/keras/missing_weight.keras2.h5", .malformedInput, ["model_weights/fc2/fc2/bias:0", "layer 'fc2'"]),
        ("bad/keras/wrong_kernel_shape.keras2.h5", .malformedInput, ["model_weights/fc1/fc1/kernel:0", "[5, 4]", "[4, 5]"]),
        ("bad/keras/truncated.keras2.h5", .malformedInput, ["truncated"]),
        ("bad/keras/missing_weights.keras", .malformedInput, ["model.weights.h5"]),
        ("bad/keras/missing_var.keras", .malformedInput, ["layer 'fc2'", "layers/dense_1/vars"]),
        ("bad/keras/softmax_dense.keras", .unsupported, ["softmax", "layer 'fc_softmax'"]),
        ("bad/keras/relu_threshold.keras", .unsupported, ["layer 'relu_threshold' (ReLU)", "not continuous"]),
        ("bad/keras/multiply_values.keras", .unsupported, ["layer 'product' (Multiply)", "not piecewise linear"]),
    ])
    func badFilesAreRefusedWithTheirPlace(file: String, kind: FailureKind, fragments: [String]) throws {
        let path = Paths.fixture(file)
        do {
            _ = try ModelLoader.load(path)
            Issue.record("\(file) was accepted")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.kind == kind, "\(file): \(diagnostic)")
            let text = "\(diagnostic)"
            #expect(text.contains(path), "the error names the file: \(text)")
            for fragment in fragments { #expect(text.contains(fragment), "\(file): '\(fragment)' missing in: \(text)") }
        }
    }

    /// Marabou's sigmoid network as Keras 2 HDF5 computes what its keras2onnx export computes in
    /// onnxruntime (fixtures/realnets), and OMLT's Keras 3 sigmoid network loads with its sigmoid layer.
    @Test(.needsRealnets) func realSigmoidKerasFilesLoadWithTheirSigmoids() throws {
        let folder = try Realnets.require()
        try checkAgainstOnnxruntime(model: folder + "/marabou/fc_2-2sigmoids-3.h5",
                                    expected: Paths.fixture("realnets/marabou/fc_2-2sigmoids-3.onnx.expected.json"))
        let omlt = try ModelLoader.load(folder + "/omlt/keras_linear_131_sigmoid.keras").graph
        #expect(omlt.nodes.map(\.operation.keyword) == ["input", "affine", "sigmoid", "affine"])
        #expect(GraphSummary(omlt).smoothUnits == 3)
    }

    @Test func aSigmoidActivationLoadsAsASmoothNode() throws {
        let graph = try ModelLoader.load(Paths.fixture("bad/keras/sigmoid_dense.keras2.h5")).graph
        #expect(graph.nodes.contains { $0.operation == .smooth(.sigmoid) && $0.location?.contains("fc_sigmoid") == true })
    }

    /// --output at a layer with a softmax activation keeps its value before the activation (the logits).
    @Test func cuttingAtASoftmaxLayerGivesItsLogits() throws {
        let graph = try ModelLoader.load(Paths.fixture("bad/keras/softmax_dense.keras"), options: LoadOptions(outputs: ["fc_softmax"])).graph
        #expect(graph.outputs.map(\.name) == ["fc_softmax"])
        guard case .affine = graph[graph.outputs[0].value].operation else {
            Issue.record("the output is \(graph[graph.outputs[0].value].operation.keyword), expected the Dense's affine map")
            return
        }
    }

    @Test func weightsOnlyFilesAskForTheirConfig() throws {
        do {
            _ = try ModelLoader.load(Paths.fixture("keras/mlp_mixed.keras3.weights.h5"))
            Issue.record("a weights-only file was accepted without --keras-config")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.kind == .usage && "\(diagnostic)".contains("--keras-config"), "\(diagnostic)")
        }
    }

    @Test func kerasThreeGroupNamesFollowKerasSnakeCase() {
        let cases = ["Dense": "dense", "Conv2D": "conv2d", "MaxPooling2D": "max_pooling2d", "ReLU": "re_lu", "LeakyReLU": "leaky_re_lu",
                     "BatchNormalization": "batch_normalization", "ZeroPadding2D": "zero_padding2d", "InputLayer": "input_layer"]
        for (name, expected) in cases { #expect(KerasWeights.snakeCase(name) == expected, "\(name)") }
    }

    /// inspect, compile and solve take Keras files as they take ONNX: the optimum HiGHS reports for a
    /// Keras CNN is the network's own value at the point it reports.
    @Test(.needsHiGHS) func theCommandsAcceptKerasFiles() throws {
        let inspected = try Tool.nnmip(["inspect", "fixtures/keras/cnn_sequential.keras2.h5"])
        #expect(inspected.status == 0 && inspected.stdout.contains("Keras 2 HDF5 model"), "\(inspected.stdout)\(inspected.stderr)")
        let model = "fixtures/keras/mlp_mixed.keras"
        let compiled = try Tool.nnmip(["compile", "fixtures/keras/func_cnn_add_concat.keras", "--input-box", "-1:1", "--maximize", "y0 - y1", "-o", "-"])
        #expect(compiled.status == 0 && compiled.stdout.contains("ROWS"), "\(compiled.stderr)")
        _ = try EmbeddedHiGHS.require()
        let solved = try Tool.nnmip(["solve", model, "--input-box", "-1:1", "--maximize", "y2", "--time-limit", "60"])
        #expect(solved.status == 0, "\(solved.stderr)")
        let fields = Dictionary(solved.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }, uniquingKeysWith: { first, _ in first })
        #expect(fields["status"] == "optimal", "\(solved.stdout)")
        let objective = try #require(Double(fields["objective"] ?? ""))
        let point = folderFile("x.json")
        defer { try? FileManager.default.removeItem(atPath: point) }
        try (fields["input input_layer"] ?? "").write(toFile: point, atomically: true, encoding: .utf8)
        let evaluated = try Tool.nnmip(["eval", model, "--input", point])
        let y2 = Double(evaluated.stdout.split(separator: "\n").dropFirst(2).first ?? "")
        #expect(y2.map { abs($0 - objective) <= 1e-6 * max(1, abs(objective)) } == true, "eval \(String(describing: y2)), solve \(objective)")
    }

    private func folderFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("nnmip-keras-\(UUID().uuidString)-\(name)").path
    }

    /// Damaged Keras files (cut short, or with bytes overwritten at seeded places) end in a documented
    /// status with one nnmip error line: never a crash, and none of libhdf5's own error stack.
    @Test(arguments: ["keras/cnn_sequential.keras2.h5", "keras/func_cnn_add_concat.keras"])
    func damagedFilesNeverCrash(file: String) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: Paths.fixture(file)))
        var generator = SplitMix64(seed: 11)
        let path = folderFile(URL(fileURLWithPath: file).lastPathComponent)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for round in 0..<16 {
            var bytes = [UInt8](original)
            if round < 6 {
                bytes = Array(bytes.prefix(Int(generator.nextUnit() * Double(bytes.count))))
            } else {
                for _ in 0..<(1 << (round % 5)) { bytes[Int(generator.nextUnit() * Double(bytes.count))] = UInt8(truncatingIfNeeded: Int(generator.nextUnit() * 256)) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let result = try Tool.nnmip(["inspect", path])
            #expect([0, 1, 65].contains(result.status), "\(file), round \(round): status \(result.status)\n\(result.stderr)")
            #expect(!result.stderr.contains("HDF5-DIAG") && !result.stderr.contains("Fatal error"), "\(file), round \(round): \(result.stderr)")
            if result.status != 0 { #expect(result.stderr.hasPrefix("nnmip: error: \(path)"), "\(result.stderr)") }
        }
    }

    // MARK: Configs edited the way real files differ

    /// `fixtures/keras/NAME` parsed as JSON, edited by `edit`, written to a temporary file; returns its path.
    private func editedConfig(_ name: String, _ edit: (inout [String: Any]) throws -> Void) throws -> String {
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Paths.fixture("keras/" + name)))) as? [String: Any])
        try edit(&root)
        let path = folderFile(name)
        try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Applies `edit` to the config of the layer named `layer`.
    private func editLayer(_ root: inout [String: Any], _ layer: String, _ edit: (inout [String: Any]) -> Void) throws {
        var model = try #require(root["config"] as? [String: Any])
        var layers = try #require(model["layers"] as? [[String: Any]])
        let index = try #require(layers.firstIndex { ($0["config"] as? [String: Any])?["name"] as? String == layer })
        var config = try #require(layers[index]["config"] as? [String: Any])
        edit(&config)
        layers[index]["config"] = config
        model["layers"] = layers
        root["config"] = model
    }

    private func loadError(_ weights: String, config: String) -> Diagnostic? {
        do {
            _ = try ModelLoader.load(Paths.fixture("keras/" + weights), options: LoadOptions(kerasConfig: config))
            return nil
        } catch {
            return error as? Diagnostic
        }
    }

    @Test func anActivationGivenAsAnObjectIsRefusedNotReadAsLinear() throws {
        let config = try editedConfig("mlp_mixed.keras2.json") { try editLayer(&$0, "fc1") { $0["activation"] = ["class_name": "LeakyReLU", "config": ["alpha": 0.1]] } }
        defer { try? FileManager.default.removeItem(atPath: config) }
        let error = try #require(loadError("mlp_mixed.keras2_weights.h5", config: config))
        #expect(error.kind == .unsupported && "\(error)".contains("layer 'fc1'") && "\(error)".contains("LeakyReLU"), "\(error)")
    }

    /// Keras 3 writes array settings as {"class_name": "__numpy__", ...}; the value is used, not a default.
    @Test func numpyValuedSettingsAreRead() throws {
        let config = try editedConfig("func_dense_add_concat.keras3.json") {
            try editLayer(&$0, "rescale") { $0["scale"] = ["class_name": "__numpy__", "config": ["value": [0.5], "dtype": "float32"]] }
        }
        defer { try? FileManager.default.removeItem(atPath: config) }
        try check(model: Paths.fixture("keras/func_dense_add_concat.keras3.weights.h5"), config: config,
                  expected: Paths.fixture("keras/func_dense_add_concat.keras3.json.expected.json"))
    }

    @Test func absurdShapesAndDuplicateNamesAreErrorsNotCrashes() throws {
        let huge = try editedConfig("func_dense_add_concat.keras2.json") { try editLayer(&$0, "reshape") { $0["target_shape"] = [4_294_967_296, 4_294_967_296, -1] } }
        defer { try? FileManager.default.removeItem(atPath: huge) }
        let hugeError = try #require(loadError("func_dense_add_concat.keras2_weights.h5", config: huge))
        #expect(hugeError.kind == .malformedInput && "\(hugeError)".contains("layer 'reshape'"), "\(hugeError)")
        let duplicate = try editedConfig("mlp_mixed.keras2.json") { try editLayer(&$0, "fc3") { $0["name"] = "fc1" } }
        defer { try? FileManager.default.removeItem(atPath: duplicate) }
        let duplicateError = try #require(loadError("mlp_mixed.keras2_weights.h5", config: duplicate))
        #expect("\(duplicateError)".contains("'fc1' appears twice"), "\(duplicateError)")
    }

    /// A functional model's inputs come in `input_layers` order, whatever the order of the layer list.
    @Test func inputsFollowTheModelsInputOrder() throws {
        func input(_ name: String) -> [String: Any] {
            ["class_name": "InputLayer", "name": name, "config": ["name": name, "batch_input_shape": [NSNull(), 3]], "inbound_nodes": []]
        }
        let layers: [[String: Any]] = [input("b"), input("a"),
            ["class_name": "ReLU", "name": "r", "config": ["name": "r"], "inbound_nodes": [[["a", 0, 0, [:] as [String: Any]]]]],
            ["class_name": "Add", "name": "sum", "config": ["name": "sum"], "inbound_nodes": [[["r", 0, 0, [:] as [String: Any]], ["b", 0, 0, [:] as [String: Any]]]]]]
        let root: [String: Any] = ["class_name": "Functional", "config": ["name": "two", "layers": layers, "input_layers": [["a", 0, 0], ["b", 0, 0]], "output_layers": [["sum", 0, 0]]]]
        let path = folderFile("two.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: path))
        let graph = try ModelLoader.load(Paths.fixture("keras/mlp_mixed.keras2_weights.h5"), options: LoadOptions(kerasConfig: path)).graph
        #expect(graph.inputs.map { graph.inputName($0) } == ["a", "b"])
        #expect(try Evaluator(graph: graph).evaluate(inputs: [[-1, 2, 3], [10, 20, 30]]) == [[10, 22, 33]])
    }
}
