import NNIR

/// `dead-neuron-elim`: removes the neurons that cannot matter, using the bounds
/// the bounds passes computed.
///
/// In a layer `affine → relu (or leaky_relu) → affine consumers`:
/// - a ReLU that is always inactive is zero: it goes, with its row and the
///   consumers' columns;
/// - a neuron whose incoming weights are all zero is the constant act(bias):
///   it is folded into the consumers' biases and goes;
/// - a neuron that no consumer reads (all its outgoing weights zero) goes;
/// - a ReLU that is always active needs no binary (the formulation makes it
///   linear); when a whole layer is active, the activation node becomes a
///   reshape (a Leaky ReLU layer that is all inactive becomes a scale), so
///   `canonicalize` can merge the affine layers around it.
///
/// The steps are `ActivationLayer` (the pattern), `NeuronCensus` (why each
/// neuron goes) and `ActivationLayer.removeNeurons` and `linearize`. Nodes no
/// output depends on are then removed. Convolution outputs cannot be
/// removed one by one; their stable ReLUs are fixed in the formulation instead.
public struct DeadNeuronEliminationPass: Pass {
    public static let name = "dead-neuron-elim"
    public static let summary = "remove always-inactive, constant and unused neurons; linearize always-active layers; remove dead nodes"
    public static let options: [any PassOptionDeclaration] = []

    public init(options: PassOptionValues) {}

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        // The pass changes weights, shapes and bounds but no operands, so the
        // readers computed once hold for the whole sweep.
        let readers = graph.consumers
        var reports: [String] = []
        for index in graph.nodes.indices {
            guard let layer = ActivationLayer(graph, activation: index, readers: readers) else { continue }
            let census = NeuronCensus(layer, in: graph)
            let (kept, removal) = layer.removeNeurons(census, in: &graph)
            let remarks = [removal, layer.linearize(keeping: kept.count, active: census.active, in: &graph)].compactMap { $0 }
            guard !remarks.isEmpty else { continue }
            reports.append("\(ValueID(index))\(graph.nodes[index].location.map { " ('\($0)')" } ?? ""): " + remarks.joined(separator: "; "))
        }
        let removedNodes = graph.removeDeadNodes()
        if removedNodes > 0 { reports.append("removed \(removedNodes) nodes no output depends on") }
        context.remark(reports.isEmpty ? "nothing to remove" : reports.joined(separator: "; "))
    }
}
