import NNMIPKit

/// Small optimisation problems on fixture networks, as the search tests pose them.
public enum BoxProblems {
    /// The fixture `onnx/NAME.onnx` with every input in `box` (`LO:HI`) and `objective` to maximize
    /// or minimize: the network and its spec.
    public static func fixture(_ name: String, box: String, _ sense: ObjectiveSense, _ objective: String) throws -> (Graph, Spec) {
        let graph = try ModelLoader.load(Paths.fixture("onnx/\(name).onnx")).graph
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addInputBox(box)
        try builder.setObjective(sense, objective, source: "test")
        return (graph, builder.finish())
    }

    /// The fixture `onnx/NAME.onnx` with every input in `box` (`LO:HI`) and `constraint` over its
    /// inputs and outputs (a property whose counterexample is a point that meets it): the network and its spec.
    public static func fixture(_ name: String, box: String, constraint: String) throws -> (Graph, Spec) {
        let graph = try ModelLoader.load(Paths.fixture("onnx/\(name).onnx")).graph
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        try builder.addInputBox(box)
        try builder.addConstraint(constraint, source: "test")
        return (graph, builder.finish())
    }
}
