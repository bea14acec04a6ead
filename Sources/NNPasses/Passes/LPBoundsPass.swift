import Foundation
import NNIR

/// `bounds-lp`: optimization-based bound tightening. For each unstable ReLU
/// (and Leaky ReLU), in topological order, two LPs over the LP relaxation of
/// the layers before it give its pre-activation's smallest and largest value.
///
/// Each LP's optimum is widened by `Tolerance.feasibility` relative to its
/// magnitude (at least 1), for the solver's feasibility and optimality
/// tolerances, before it replaces a bound, and bounds only ever
/// shrink. Neurons left when the time budget runs out keep their bounds. The
/// budget is `timeout` or what is left of the context's deadline, whichever
/// ends first; `threads` is capped at `ThreadLimit.maximum`.
public struct LPBoundsPass: Pass {
    public static let name = "bounds-lp"
    public static let summary = "LP bound tightening: two LPs per unstable ReLU over the LP relaxation before it (needs HiGHS)"
    /// Seconds for the whole pass.
    public static let timeout = PassOption("timeout", default: 60.0, "seconds for the whole pass; neurons not reached keep their bounds")
    /// LPs solved at the same time.
    public static let threads = PassOption("threads", default: 1, "LPs solved at the same time, each by its own solver instance")
    public static let options: [any PassOptionDeclaration] = [timeout, threads]
    public static let hasTimeBudget = true

    let timeout: Double
    let threads: Int

    public init(options: PassOptionValues) throws {
        timeout = options[Self.timeout]
        threads = max(1, options[Self.threads])
    }

    /// `threads`, at most `ThreadLimit.maximum`; a remark says when it was capped.
    private func threadCount(context: inout PassContext) -> Int {
        let capped = ThreadLimit.capped(threads)
        if capped < threads { context.remark("threads=\(threads) capped at \(capped) (\(ThreadLimit.perCore) per core)") }
        return capped
    }

    public func run(on graph: inout Graph, context: inout PassContext) throws {
        guard graph.canBound(context: &context) else { return }
        if let smooth = graph.nodes.first(where: { if case .smooth = $0.operation { true } else { false } }) {
            // Its LPs formulate the network, which has no LP form until pwl-approx replaced these.
            context.remark("skipped: the network has smooth activations (\(smooth.operation.keyword)); run pwl-approx first")
            return
        }
        guard let oracle = context.linearRelaxations else {
            throw Diagnostic(.unavailable, "needs an LP solver, and none is available (see the errors above, or drop bounds-lp)")
        }
        let start = MonotonicClock.now()
        let deadline = context.deadline.limited(toSeconds: timeout)
        let threads = threadCount(context: &context)
        let targets = Set(graph.nodes.compactMap { node -> Int? in
            switch node.operation {
            case .relu, .leakyRelu: node.operands[0].index
            default: nil
            }
        })
        var solved = 0, skipped = 0, improved = 0
        for index in graph.nodes.indices {
            if case .input = graph.nodes[index].operation { continue }
            IntervalBounds.tighten(nodeAt: index, in: &graph)
            guard targets.contains(index) else { continue }
            let bounds = graph.nodes[index].bounds!
            let unstable = bounds.lower.indices.filter { bounds.lower[$0] < 0 && bounds.upper[$0] > 0 }
            guard !unstable.isEmpty else { continue }
            if deadline.hasPassed {
                skipped += unstable.count
                continue
            }
            let prefix = Graph(nodes: Array(graph.nodes[0...index]), outputs: [GraphOutput(name: "bound", value: ValueID(index))])
            let workers = min(threads, unstable.count)
            let relaxations = try (0..<workers).map { _ in try oracle.relaxation(of: prefix) }
            let reporter = ProgressReporter(total: unstable.count, node: index, progress: context.progress)
            let results = try RelaxationRanges.solve(elements: unstable, relaxations: relaxations, deadline: deadline, step: { reporter.step() })
            for (element, result) in zip(unstable, results) {
                guard let (lower, upper) = result else { skipped += 1; continue }
                solved += 1
                if lower > bounds.lower[element] || upper < bounds.upper[element] { improved += 1 }
                graph.nodes[index].bounds!.lower[element] = max(bounds.lower[element], lower)
                graph.nodes[index].bounds!.upper[element] = min(bounds.upper[element], upper)
            }
        }
        let seconds = MonotonicClock.now() - start
        context.remark("solved \(solved) neurons (\(2 * solved) LPs) in \(Int(seconds.rounded())) s, tightened \(improved); \(skipped) kept their bounds (time budget or LP trouble); \(graph.reluCensus)")
    }
}

/// At most one progress line a second: neurons done of the layer's unstable ones.
private final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int, node: Int
    private let progress: ((String) -> Void)?
    private var done = 0
    private var lastReport = MonotonicClock.now()

    init(total: Int, node: Int, progress: ((String) -> Void)?) {
        self.total = total
        self.node = node
        self.progress = progress
    }

    func step() {
        lock.withLock {
            done += 1
            let now = MonotonicClock.now()
            if now - lastReport >= 1 || done == total {
                lastReport = now
                progress?("bounds-lp: %\(node): \(done)/\(total) unstable neurons")
            }
        }
    }
}
