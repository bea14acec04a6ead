import Foundation
import NNIR
import NNPasses
import NNSpec

/// Branch and bound over the input box, for networks with few inputs (ACAS Xu
/// has 5): each box gets symbolic bounds on the margins of a case's output
/// constraints; a box where some margin is surely negative holds no
/// counterexample, a box whose center is a counterexample ends the search, and
/// any other box is cut in two across its widest input (relative to the
/// original box). MILPs over a whole box of such networks are hard for a
/// solver; this splitting proves most of them in milliseconds per box.
struct InputSplitting {
    /// What the search established.
    enum Outcome {
        /// A counterexample at this input (checked by the caller).
        case counterexample([Double])
        /// No box holds one; `explored` boxes were bounded.
        case refuted(explored: Int)
        /// The budget ran out with `boxes` left (the next to explore last), after `explored`.
        case undecided(boxes: [Bounds], explored: Int)
    }

    /// The network with one extra output: the margins of the case's constraints.
    private let marginGraph: Graph
    /// The input node, whose bounds each box sets.
    private let input: ValueID
    /// The margin node.
    private let margins: ValueID
    /// The original box, for relative widths.
    private let box: Bounds

    /// Inputs up to which splitting is tried: beyond, boxes multiply too fast.
    static let maximumInputs = 12

    /// The search for `constraints` (each must hold, all on output 0 of a
    /// one-input `graph`) over `box`, or nil when the case does not fit.
    init?(graph: Graph, constraints: [LinearConstraint], box: Bounds) {
        guard graph.inputs.count == 1, graph.outputs.count == 1, !constraints.isEmpty,
              graph[graph.inputs[0]].elementCount <= Self.maximumInputs, constraints.allSatisfy(MarginNode.fits)
        else { return nil }
        var extended = graph
        // Each box's bounds are computed afresh; bounds the graph came with (from an IR file) may belong to another domain.
        extended.removeBounds(keepingInputs: false)
        margins = MarginNode.append(constraints, to: &extended)
        extended.outputs = [GraphOutput(name: "margins", value: margins)]
        marginGraph = extended
        input = graph.inputs[0]
        self.box = box
    }

    /// Searches until `deadline`; `isCounterexample` judges a box center on the network.
    func run(deadline: Deadline, isCounterexample: ([Double]) -> Bool) throws -> Outcome {
        let passes = PassManager(pipeline: try Pipeline(parsing: "bounds-symbolic"))
        var explored = 0
        /// The smallest upper bound among the margins over `part`: below 0, no counterexample lies there.
        func score(_ part: Bounds) throws -> Double {
            explored += 1
            var graph = marginGraph
            graph[input].bounds = part
            var context = PassContext()
            try passes.run(on: &graph, context: &context)
            return graph[margins].bounds!.upper.min() ?? 0
        }
        guard try score(box) >= 0 else { return .refuted(explored: explored) }
        var pending = [box]
        while let current = pending.popLast() {
            if deadline.hasPassed { return .undecided(boxes: pending + [current], explored: explored) }
            let center = zip(current.lower, current.upper).map { $0 + ($1 - $0) / 2 }
            if isCounterexample(center) { return .counterexample(center) }
            // Try a cut across every input and keep the one whose worse half has the lowest score: the
            // cut that most helps the bounds (with few inputs, this look-ahead pays for itself many times).
            var best: (score: Double, halves: [(Bounds, Double)])?
            for k in current.lower.indices where current.upper[k] - current.lower[k] > 1e-9 * max(1, box.upper[k] - box.lower[k]) {
                var low = current, high = current
                low.upper[k] = center[k]
                high.lower[k] = center[k]
                let halves = [(low, try score(low)), (high, try score(high))]
                let worse = max(halves[0].1, halves[1].1)
                if best == nil || worse < best!.score { best = (worse, halves) }
            }
            guard let best else {
                return .undecided(boxes: pending + [current], explored: explored)  // a point-sized box the bounds cannot decide
            }
            // The more promising half (higher score, likelier to hold a counterexample) is explored first.
            for (half, value) in best.halves.sorted(by: { $0.1 < $1.1 }) where value >= 0 { pending.append(half) }
        }
        return .refuted(explored: explored)
    }
}
