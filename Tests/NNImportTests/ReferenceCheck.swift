import Foundation
import NNImport
import NNIR
import Testing
import TestSupport

/// Checks a model file against its onnxruntime fixture: every recorded output,
/// for every recorded input point, within 1e-4 relative. Outputs that are not
/// the model's own (the logits before a Softmax) are checked by cutting the
/// graph there with `LoadOptions.outputs`, as `--output` does.
func checkAgainstOnnxruntime(model path: String, expected expectedPath: String) throws {
    let expected = try ExpectedOutputs.load(expectedPath)
    var graphs: [String: Graph] = [:]  // output name -> graph that computes it
    let defaultLoad = Result { try ModelLoader.load(path) }
    if case .success(let loaded) = defaultLoad {
        for output in loaded.graph.outputs { graphs[output.name] = loaded.graph }
    }
    let defaultFailed: Bool
    if case .failure(let error) = defaultLoad {
        // Only a model that ends in a non-piecewise-linear operator may fail, and then only as unsupported.
        let diagnostic = try #require(error as? Diagnostic, "\(path): \(error)")
        #expect(diagnostic.kind == .unsupported, "\(path): \(diagnostic)")
        defaultFailed = true
    } else {
        defaultFailed = false
    }
    for info in expected.outputs where graphs[info.name] == nil {
        do {
            graphs[info.name] = try ModelLoader.load(path, options: LoadOptions(outputs: [info.name])).graph
        } catch let diagnostic as Diagnostic where defaultFailed && diagnostic.kind == .unsupported {
            continue  // the model's own non-piecewise-linear output
        }
    }
    #expect(!graphs.isEmpty, "\(path): no output could be checked")
    for info in expected.outputs {
        guard let graph = graphs[info.name] else { continue }
        let position = try #require(graph.outputs.firstIndex { $0.name == info.name })
        #expect(graph[graph.outputs[position].value].shape.reduce(1, *) == info.shape.reduce(1, *),
                "\(path): output '\(info.name)' has shape \(graph[graph.outputs[position].value].shape), onnxruntime \(info.shape)")
        for (number, testCase) in expected.cases.enumerated() {
            let inputs = try graph.inputs.map { id in
                try #require(testCase.inputs[graph.inputName(id) ?? ""], "\(path): no values for input \(graph.inputName(id) ?? "")")
            }
            let actual = try Evaluator(graph: graph).evaluate(inputs: inputs)[position]
            let mismatch = firstMismatch(actual, try #require(testCase.outputs[info.name]))
            #expect(mismatch == nil, "\(path), case \(number), output '\(info.name)': \(mismatch ?? "")")
        }
    }
}

/// Prints the graph with every weight, parses it back, and checks that the
/// text is byte-identical and the parsed graph is the same graph.
func checkRoundTrip(_ graph: Graph, _ label: String) throws {
    let text = IRPrinter().print(graph)
    let parsed = try IRParser(fileName: label).parse(text)
    try Verifier.verify(parsed)
    #expect(IRPrinter().print(parsed) == text, "\(label): print -> parse -> print differs")
    #expect(parsed == graph, "\(label): the parsed graph differs from the original")
}
