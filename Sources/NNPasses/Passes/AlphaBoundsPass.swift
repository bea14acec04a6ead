import NNIR

/// `bounds-alpha`: optimised linear bounds (alpha-CROWN, see `AlphaBounds`).
/// Each unstable ReLU operand and each output is bounded by the backward pass
/// of `bounds-symbolic` with the lower relaxations' slopes optimised for that
/// neuron; never looser than the bounds it starts from. Run it after
/// `bounds-symbolic`, whose bounds decide which ReLUs are unstable. When the
/// budget (`timeout`, or the command's time limit if sooner) runs out, the
/// neurons not reached keep their bounds.
public struct AlphaBoundsPass: Pass {
    public static let name = "bounds-alpha"
    public static let summary = "optimised linear bounds (alpha-CROWN): bounds-symbolic with each unstable ReLU's lower slope tuned per neuron by projected gradient"
    /// Gradient steps on the slopes per neuron.
    public static let iterations = PassOption("iterations", default: 20, "gradient steps on the slopes for each bounded neuron (1: bounds-symbolic's own slopes)")
    /// Seconds for the whole pass.
    public static let timeout = PassOption("timeout", default: 60.0, "seconds for the whole pass; neurons not reached keep their bounds")
    public static let options: [any PassOptionDeclaration] = [iterations, timeout]
    public static let hasTimeBudget = true

    let iterations: Int
    let timeout: Double

    public init(options: PassOptionValues) throws {
        iterations = max(1, options[Self.iterations])
        timeout = options[Self.timeout]
    }

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        guard graph.canBound(context: &context) else { return }
        let start = MonotonicClock.now()
        let deadline = context.deadline.limited(toSeconds: timeout)
        let (optimized, notReached, tightened) = AlphaBounds.annotate(&graph, iterations: iterations, deadline: deadline)
        let seconds = MonotonicClock.now() - start
        let stopped = notReached > 0 ? " (the time budget ran out: \(notReached) more keep their bounds)" : ""
        context.remark("optimized \(optimized) neurons in \(Int(seconds.rounded())) s, tightened \(tightened)\(stopped); \(graph.reluCensus)")
    }
}
