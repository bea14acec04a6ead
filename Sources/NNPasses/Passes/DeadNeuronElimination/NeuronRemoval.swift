import NNIR

extension ActivationLayer {
    /// Removes the neurons the census gives a reason: constants fold into the
    /// readers' biases, then the producer's rows and the readers' columns of the
    /// removed neurons go, with their elements of the two nodes' shapes and
    /// bounds. Returns the neurons kept and the remark (nil when none went).
    func removeNeurons(_ census: NeuronCensus, in graph: inout Graph) -> (kept: [Int], remark: String?) {
        let kept = census.kept
        guard kept.count < count else { return (kept, nil) }
        var isKept = [Bool](repeating: false, count: count)
        for k in kept { isKept[k] = true }
        // The value each removed constant neuron contributes (0 for the others).
        var constants = [Double](repeating: 0, count: count)
        for k in 0..<count where census.reasons[k] == .constant && !isKept[k] { constants[k] = activated(pre.bias[k]) }
        for reader in readers {
            guard case .affine(var next) = graph.nodes[reader].operation else { continue }
            next.weights.accumulateProduct(constants, into: &next.bias)
            next.weights = next.weights.selecting(rows: Array(0..<next.weights.rows), columns: kept)
            graph.nodes[reader].operation = .affine(next)
        }
        graph.nodes[producer].operation = .affine(Affine(weights: pre.weights.selecting(rows: kept, columns: Array(0..<pre.weights.columns)),
                                                         bias: kept.map { pre.bias[$0] }))
        for v in [producer, activation] {
            // The pattern only matches shapes with one non-unit axis, which resize.
            graph.nodes[v].shape = Self.shape(graph.nodes[v].shape, resizedTo: kept.count) ?? graph.nodes[v].shape
            if let b = graph.nodes[v].bounds {
                graph.nodes[v].bounds = Bounds(lower: kept.map { b.lower[$0] }, upper: kept.map { b.upper[$0] })
            }
        }
        let removals = NeuronCensus.Reason.allCases.compactMap { reason -> String? in
            let n = (0..<count).filter { census.reasons[$0] == reason && !isKept[$0] }.count
            return n > 0 ? "\(n) \(reason.remark)" : nil
        }
        return (kept, "removed \(count - kept.count) neurons (" + removals.joined(separator: ", ") + ")")
    }

    /// Makes the activation linear when the producer's bounds fix every neuron's
    /// phase: a layer always active becomes a reshape, a Leaky ReLU layer always
    /// inactive a scale by alpha. Returns the remark, also when only some neurons
    /// are always active, or nil.
    func linearize(keeping kept: Int, active: Int, in graph: inout Graph) -> String? {
        guard let b = graph.nodes[producer].bounds else { return nil }
        if b.lower.allSatisfy({ $0 >= 0 }) {
            graph.nodes[activation].operation = .reshape
            return "the whole layer is always active: the activation became a reshape"
        } else if alpha != 0, b.upper.allSatisfy({ $0 <= 0 }) {
            graph.nodes[activation].operation = .scaleShift(scale: Array(repeating: alpha, count: kept), shift: Array(repeating: 0, count: kept))
            return "the whole layer is always inactive: the Leaky ReLU became a scale by \(alpha)"
        } else if active > 0 {
            return "\(active) always active stay linear (no binary)"
        }
        return nil
    }
}
