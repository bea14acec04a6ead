import NNIR

/// `canonicalize`: the same function with fewer, larger linear nodes.
///
/// - input normalization and batch normalization (`scale_shift`) fold into the
///   neighboring affine layer or convolution;
/// - consecutive affine layers merge when the product has no more coefficients
///   than the two factors;
/// - reshapes and gathers (index maps) compose, and ones that move nothing vanish;
/// - nodes no output depends on are removed.
///
/// Each rewrite is a `RewritePattern` (see `patterns`). A sweep offers every
/// node the patterns in order and applies the first that matches; sweeps
/// repeat until none matches. Identity and Dropout never reach the IR (the
/// front ends drop them). Every rewrite keeps the value of the node it
/// rewrites, so bounds stay valid.
public struct CanonicalizePass: Pass {
    public static let name = "canonicalize"
    public static let summary = "fold normalization and batch norm into affine/conv layers, merge affine chains, simplify index maps, remove dead nodes"
    public static let options: [any PassOptionDeclaration] = []

    /// The rewrites, in the order they are tried on each node (patterns for
    /// different operations never both match, so only the order among those
    /// of one operation matters).
    static let patterns: [RewritePattern] = [
        .composeReshapes, .removeNoOpReshape,
        .gatherToReshape, .gatherAfterReshape, .composeGathers,
        .mergeScaleShifts, .foldScaleShiftIntoAffineBefore, .foldBatchNormalizationIntoConvolution,
        .foldScaleShiftIntoAffineAfter, .mergeAffineLayers,
        .foldNormalizationIntoConvolution,
    ]

    public init(options: PassOptionValues) {}

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        var counts: [String: Int] = [:]
        var changed = true
        while changed {
            changed = false
            var rewriting = RewriteGraph(graph)
            for index in graph.nodes.indices {
                guard let pattern = Self.patterns.first(where: { $0.apply(&rewriting, index) }) else { continue }
                counts[pattern.name, default: 0] += 1
                changed = true
            }
            graph = rewriting.graph
            let removed = graph.removeDeadNodes()
            if removed > 0 { counts["removed dead nodes", default: 0] += removed }
        }
        context.remark(counts.isEmpty ? "nothing to simplify" : counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))
    }
}
