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
/// Nodes no output depends on are then removed. Convolution outputs cannot be
/// removed one by one; their stable ReLUs are fixed in the formulation instead.
public struct DeadNeuronEliminationPass: Pass {
    public static let name = "dead-neuron-elim"
    public static let summary = "remove always-inactive, constant and unused neurons; linearise always-active layers; remove dead nodes"
    public static let options: [any PassOptionDeclaration] = []

    public init(options: PassOptionValues) {}

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        var reports: [String] = []
        for index in graph.nodes.indices {
            if let report = eliminate(&graph, activation: index) { reports.append(report) }
        }
        let removedNodes = graph.removeDeadNodes()
        if removedNodes > 0 { reports.append("removed \(removedNodes) nodes no output depends on") }
        context.remark(reports.isEmpty ? "nothing to remove" : reports.joined(separator: "; "))
    }

    /// Why a neuron goes.
    private enum Reason { case inactive, constant, unused }

    /// Eliminates neurons of the activation node `index` (if it is one, in the
    /// pattern above); returns what it did.
    private func eliminate(_ graph: inout Graph, activation index: Int) -> String? {
        let node = graph.nodes[index]
        let alpha: Double
        switch node.operation {
        case .relu: alpha = 0
        case .leakyRelu(let a): alpha = a
        default: return nil
        }
        let producer = node.operands[0].index
        let consumers = graph.consumers
        guard case .affine(let pre) = graph.nodes[producer].operation, consumers[producer] == [index],
              !graph.isOutput(producer), !graph.isOutput(index), !consumers[index].isEmpty,
              consumers[index].allSatisfy({ if case .affine = graph.nodes[$0].operation { true } else { false } }),
              Self.shape(graph.nodes[index].shape, resizedTo: 0) != nil else { return nil }
        let count = node.elementCount
        let bounds = graph.nodes[producer].bounds
        var reasons = [Reason?](repeating: nil, count: count)
        var active = 0
        for k in 0..<count {
            let (l, u) = bounds.map { ($0.lower[k], $0.upper[k]) } ?? (-Double.infinity, .infinity)
            if pre.weights.rowIsZero(k) {
                reasons[k] = .constant
            } else if alpha == 0, u <= 0 {
                reasons[k] = .inactive
            } else if consumers[index].allSatisfy({ c in
                guard case .affine(let next) = graph.nodes[c].operation else { return false }
                return next.weights.column(k).allSatisfy { $0 == 0 }
            }) {
                reasons[k] = .unused
            } else if l >= 0 {
                active += 1
            }
        }
        var kept = (0..<count).filter { reasons[$0] == nil }
        if kept.isEmpty { kept = [0] }  // a layer keeps one neuron, so that its consumers keep an operand
        let removed = count - kept.count
        var report: [String] = []
        var removals: [String] = []
        if removed > 0 {
            // Fold constants into the consumers, then drop the rows and columns.
            for c in consumers[index] {
                guard case .affine(var next) = graph.nodes[c].operation else { continue }
                for k in 0..<count where reasons[k] == .constant && !kept.contains(k) {
                    let b = pre.bias[k]
                    let value = b >= 0 ? b : alpha * b
                    guard value != 0 else { continue }
                    for (r, w) in next.weights.column(k).enumerated() where w != 0 { next.bias[r] += w * value }
                }
                next.weights = next.weights.selecting(rows: Array(0..<next.weights.rows), columns: kept)
                graph.nodes[c].operation = .affine(next)
            }
            graph.nodes[producer].operation = .affine(Affine(weights: pre.weights.selecting(rows: kept, columns: Array(0..<pre.weights.columns)),
                                                             bias: kept.map { pre.bias[$0] }))
            for v in [producer, index] {
                graph.nodes[v].shape = Self.shape(graph.nodes[v].shape, resizedTo: kept.count)!
                if let b = graph.nodes[v].bounds {
                    graph.nodes[v].bounds = Bounds(lower: kept.map { b.lower[$0] }, upper: kept.map { b.upper[$0] })
                }
            }
            for (reason, word) in [(Reason.inactive, "always inactive"), (.constant, "constant (zero incoming weights, folded into the next layer)"), (.unused, "unused (zero outgoing weights)")] {
                let n = (0..<count).filter { reasons[$0] == reason && !kept.contains($0) }.count
                if n > 0 { removals.append("\(n) \(word)") }
            }
            report.append("removed \(removed) neurons (" + removals.joined(separator: ", ") + ")")
        }
        if let b = graph.nodes[producer].bounds {
            if b.lower.allSatisfy({ $0 >= 0 }) {
                graph.nodes[index].operation = .reshape
                report.append("the whole layer is always active: the activation became a reshape")
            } else if alpha != 0, b.upper.allSatisfy({ $0 <= 0 }) {
                graph.nodes[index].operation = .scaleShift(scale: Array(repeating: alpha, count: kept.count), shift: Array(repeating: 0, count: kept.count))
                report.append("the whole layer is always inactive: the Leaky ReLU became a scale by \(alpha)")
            } else if active > 0 {
                report.append("\(active) always active stay linear (no binary)")
            }
        }
        guard !report.isEmpty else { return nil }
        return "\(ValueID(index))\(node.location.map { " ('\($0)')" } ?? ""): " + report.joined(separator: "; ")
    }

    /// `shape` with its one non-unit axis set to `size` (nil when the shape has several non-unit axes).
    private static func shape(_ shape: [Int], resizedTo size: Int) -> [Int]? {
        let axes = shape.indices.filter { shape[$0] != 1 }
        guard !shape.isEmpty, axes.count <= 1 else { return nil }
        var result = shape
        result[axes.first ?? (shape.count - 1)] = size
        return result
    }
}
