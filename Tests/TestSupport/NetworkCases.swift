import Foundation
import NNMIPKit

/// A network to compile in solver tests, with a box and input points inside it.
public struct NetworkCase {
    public var name: String
    public var graph: Graph
    /// One box per input.
    public var box: [Bounds]
    /// Input points (one flat vector per input) inside the box.
    public var points: [[[Double]]]

    /// A case of `graph` over `box` (one per input), checked at `points`.
    public init(name: String, graph: Graph, box: [Bounds], points: [[[Double]]]) {
        self.name = name
        self.graph = graph
        self.box = box
        self.points = points
    }

    /// The case itself when its network is piecewise linear; otherwise the case of its
    /// piecewise-linear surrogate (`pwl-approx`, 8 pieces, over the box), which a MILP formulates
    /// exactly in the network's place.
    public func piecewiseLinear() throws -> NetworkCase {
        guard GraphSummary(graph).smoothUnits > 0 else { return self }
        var surrogate = graph
        for (t, input) in surrogate.inputs.enumerated() { surrogate[input].bounds = box[t] }
        var context = PassContext()
        try PassManager(pipeline: Pipeline(parsing: "pwl-approx{segments=8}")).run(on: &surrogate, context: &context)
        surrogate.removeBounds(keepingInputs: false)
        return NetworkCase(name: name + " (pwl-approx)", graph: surrogate, box: box, points: points)
    }

    /// Every fixture model nnmip compiles (the Softmax tails are refused by design), those of
    /// fixtures/onnx and the exporters' files of fixtures/torch and fixtures/tf2onnx, with the box
    /// [-1, 1] widened to hold onnxruntime's test points, which become the points.
    public static func fixtures() throws -> [NetworkCase] {
        try ["onnx", "torch", "tf2onnx"].flatMap { subfolder -> [NetworkCase] in
            let folder = Paths.fixture(subfolder)
            let models = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".onnx") }.sorted()
            return try models.compactMap { model -> NetworkCase? in
                let path = folder + "/" + model
                guard let graph = try? ModelLoader.load(path).graph else { return nil }
                return try make(name: "fixtures/\(subfolder)/\(model)", graph: graph, expected: path + ".expected.json")
            }
        }
    }

    /// Every piecewise-linear ONNX network under ../shared/realnets (those with an expected-output
    /// fixture), with the box of its first VNN-LIB property when it has one, else [-1, 1] around the points.
    public static func realnets(_ folder: String) throws -> [NetworkCase] {
        let expectedFolder = Paths.fixture("realnets")
        let fixtures = FileManager.default.enumerator(atPath: expectedFolder)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".onnx.expected.json") }.sorted() ?? []
        let instances = try String(contentsOfFile: folder + "/expected.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").map(String.init) }
        return try fixtures.map { fixture in
            let relative = String(fixture.dropLast(".expected.json".count))
            let graph = try ModelLoader.load(folder + "/" + relative).graph
            var item = try make(name: relative, graph: graph, expected: expectedFolder + "/" + fixture)
            if let property = instances.first(where: { $0[0] == relative })?[1] {
                var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
                try builder.addSpecFile(path: folder + "/" + property)
                item.box = try builder.finish().resolvedInputBounds(symbols: SymbolTable(graph: graph))
                var generator = SplitMix64(seed: 7)
                item.points = [item.box.map { zip($0.lower, $0.upper).map { ($0 + $1) / 2 } },
                               item.box.map { zip($0.lower, $0.upper).map { $0 + ($1 - $0) * generator.nextUnit() } }]
            }
            return item
        }
    }

    /// The model fixture at `path` (relative to fixtures/), with the box [-1, 1] widened to hold the
    /// points of its expected-output file, which become the points.
    public static func fixture(_ path: String) throws -> NetworkCase {
        let full = Paths.fixture(path)
        return try make(name: "fixtures/" + path, graph: try ModelLoader.load(full).graph, expected: full + ".expected.json")
    }

    private static func make(name: String, graph: Graph, expected: String) throws -> NetworkCase {
        let reference = try ExpectedOutputs.load(expected)
        let inputNames = graph.inputs.map { graph.inputName($0) ?? "" }
        let points = reference.cases.prefix(2).map { c in inputNames.map { c.inputs[$0] ?? [] } }
        let box = graph.inputs.enumerated().map { t, id in
            let count = graph[id].elementCount
            let lower = (0..<count).map { k in points.map { $0[t][k] }.reduce(-1.0) { min($0, $1) } }
            let upper = (0..<count).map { k in points.map { $0[t][k] }.reduce(1.0) { max($0, $1) } }
            return Bounds(lower: lower, upper: upper)
        }
        return NetworkCase(name: name, graph: graph, box: box, points: Array(points))
    }

    /// The spec: the box, and maximize the first output element.
    public var spec: Spec {
        var spec = Spec(inputCount: box.count)
        spec.inputBounds = box
        var objective = LinearExpression()
        objective.add(TensorElement(.output, tensor: 0, element: 0), coefficient: 1)
        spec.objective = Objective(.maximize, objective)
        return spec
    }
}
