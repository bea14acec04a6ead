import NNIR

extension Graph {
    /// A copy of the graph with `spec`'s input domain on its input nodes (its bounding box, where
    /// the domain is empty: see `Spec.boundingBoxes`) and no bounds anywhere else: bounds read
    /// from an IR file belong to the domain they were computed for, which need not be this one.
    public func withInputDomain(of spec: Spec) throws -> Graph {
        let inputBounds = try spec.boundingBoxes(symbols: SymbolTable(graph: self))
        var result = self
        result.removeBounds(keepingInputs: false)
        for (t, input) in result.inputs.enumerated() { result[input].bounds = inputBounds[t] }
        return result
    }
}
