import NNIR

/// Why a neuron of an `ActivationLayer` goes, if it does, and how many of those
/// that stay are always active.
struct NeuronCensus {
    /// Why a neuron goes.
    enum Reason: CaseIterable {
        /// A ReLU whose pre-activation is never positive: it is always 0.
        case inactive
        /// Zero incoming weights: the neuron is the constant act(bias).
        case constant
        /// Zero outgoing weights: no reader uses it.
        case unused

        /// How the pass's remark names neurons removed for this reason.
        var remark: String {
            switch self {
            case .inactive: "always inactive"
            case .constant: "constant (zero incoming weights, folded into the next layer)"
            case .unused: "unused (zero outgoing weights)"
            }
        }
    }

    /// For each neuron, why it goes, or nil if it stays.
    var reasons: [Reason?]
    /// The neurons that stay and are always active (they need no binary).
    var active = 0

    /// Classifies the neurons of `layer` from its weights and the producer's bounds.
    init(_ layer: ActivationLayer, in graph: Graph) {
        let bounds = graph.nodes[layer.producer].bounds
        // A column no reader holds a nonzero in is a neuron nothing reads.
        var read = [Bool](repeating: false, count: layer.count)
        for reader in layer.readers {
            guard case .affine(let next) = graph.nodes[reader].operation else { continue }
            for (k, nonzero) in next.weights.columnsWithNonzeros.enumerated() where nonzero { read[k] = true }
        }
        reasons = Array(repeating: nil, count: layer.count)
        for k in 0..<layer.count {
            let (l, u) = bounds.map { ($0.lower[k], $0.upper[k]) } ?? (-Double.infinity, .infinity)
            if layer.pre.weights.rowIsZero(k) {
                reasons[k] = .constant
            } else if layer.alpha == 0, u <= 0 {
                reasons[k] = .inactive
            } else if !read[k] {
                reasons[k] = .unused
            } else if l >= 0 {
                active += 1
            }
        }
    }

    /// The neurons that stay: those without a reason, or neuron 0 when every
    /// neuron has one (a layer keeps a neuron, so that its readers keep an operand).
    var kept: [Int] {
        let kept = reasons.indices.filter { reasons[$0] == nil }
        return kept.isEmpty ? [0] : kept
    }
}
