import Foundation
import NNMIPKit
import TestSupport
import Testing

/// The deadline a command hands its passes (issue 14): a pass manager runs no pass once it has
/// passed, the graph still gets bounds everywhere, and verify can cut a pipeline before its passes
/// with a time budget of their own.
@Suite struct DeadlineTests {
    /// mlp_2x8 with its inputs in [-1, 1].
    func boundedInputs() throws -> Graph {
        var graph = try ModelLoader.load(Paths.fixture("onnx/mlp_2x8.onnx")).graph
        for input in graph.inputs {
            let count = graph[input].elementCount
            graph[input].bounds = Bounds(lower: Array(repeating: -1, count: count), upper: Array(repeating: 1, count: count))
        }
        return graph
    }

    @Test func aPassedDeadlineSkipsEveryPassButTheGraphIsStillBounded() throws {
        let original = try boundedInputs()
        var graph = original
        var context = PassContext(deadline: Deadline(time: MonotonicClock.now() - 1))
        try PassManager(pipeline: try Pipeline(parsing: "canonicalize,bounds-symbolic,dead-neuron-elim")).runCompletingBounds(on: &graph, context: &context)
        #expect(context.remarks.map(\.pass) == ["canonicalize", "bounds-symbolic", "dead-neuron-elim"])
        #expect(context.remarks.allSatisfy { $0.message == "skipped: the time limit ran out" }, "\(context.remarks)")
        #expect(graph.nodes.count == original.nodes.count, "canonicalize ran")
        #expect(graph.nodes.allSatisfy { $0.bounds != nil }, "interval bounds complete the graph")
        var interval = original
        IntervalBounds.annotate(&interval)
        #expect(graph.nodes.map(\.bounds) == interval.nodes.map(\.bounds))
    }

    /// bounds-symbolic itself stops at the deadline (it can take longer than the rest of a search
    /// on a 10^4-wide surrogate): run with a deadline that passes before its first neuron, it leaves
    /// every neuron with the interval bounds, which are sound, and its remark says how many.
    @Test func symbolicBoundsStopAtTheDeadlineWithIntervalBounds() throws {
        var graph = try boundedInputs()
        var context = PassContext(deadline: Deadline(time: MonotonicClock.now() - 1))
        try SymbolicBoundsPass(options: try PassOptionValues(pass: SymbolicBoundsPass.name, options: [], given: [])).run(on: &graph, context: &context)
        var interval = try boundedInputs()
        IntervalBounds.annotate(&interval)
        #expect(graph.nodes.map(\.bounds) == interval.nodes.map(\.bounds))
        let remark = try #require(context.remarks.last?.message)
        #expect(remark.hasPrefix("bounded 0 neurons symbolically (the time limit ran out: "), "\(remark)")
        var unhurried = try boundedInputs()
        var noLimit = PassContext()
        try SymbolicBoundsPass(options: try PassOptionValues(pass: SymbolicBoundsPass.name, options: [], given: [])).run(on: &unhurried, context: &noLimit)
        #expect(noLimit.remarks.last?.message.contains("time limit") == false)
        #expect(unhurried.nodes.map(\.bounds) != interval.nodes.map(\.bounds), "without a limit the symbolic bounds are tighter somewhere")
    }

    @Test func anInterruptionSkipsThePassesToo() throws {
        let interruption = Interruption()
        var graph = try boundedInputs()
        var context = PassContext(deadline: Deadline(seconds: 3600, interruption: interruption))
        interruption.request(signal: SIGINT)
        try PassManager(pipeline: try Pipeline(parsing: "bounds-symbolic")).run(on: &graph, context: &context)
        #expect(context.remarks.map(\.message) == ["skipped: interrupted"])
    }

    @Test func aDeadlineInTheFutureRunsEveryPass() throws {
        var graph = try boundedInputs()
        var context = PassContext(deadline: Deadline(seconds: 3600))
        try PassManager(pipeline: try Pipeline(parsing: "bounds-symbolic")).run(on: &graph, context: &context)
        #expect(!context.remarks.contains { $0.message.hasPrefix("skipped") })
        #expect(graph.nodes.allSatisfy { $0.bounds != nil })
    }

    @Test func budgetsComeOutOfTheDeadline() {
        let now = MonotonicClock.now()
        let deadline = Deadline(seconds: 10, from: now)
        #expect(deadline.limited(toSeconds: 60).time == deadline.time, "a pass's 60 s budget ends at the command's deadline")
        #expect(deadline.limited(toSeconds: 1).time < now + 2)
        let half = deadline.share(0.5).time - now
        #expect(half > 4 && half < 6, "\(half)")
        #expect(Deadline.none.remaining == .infinity && !Deadline.none.hasPassed)
        let interruption = Interruption()
        let interruptible = Deadline(seconds: 10, interruption: interruption)
        #expect(!interruptible.hasPassed && interruption.signalNumber == nil)
        interruption.request(signal: SIGTERM)
        #expect(interruptible.hasPassed && interruptible.remaining == 0 && interruption.signalNumber == SIGTERM)
        #expect(interruptible.limited(toSeconds: 5).hasPassed, "budgets inside an interrupted deadline are interrupted too")
    }

    @Test func anInterruptionThatFollowsAnotherIsRequestedWithItButNotTheOtherWayRound() {
        let signal = Interruption()
        let child = Interruption(following: signal)
        child.request(signal: 0)
        #expect(child.isRequested && child.signalNumber == 1 && !signal.isRequested && signal.signalNumber == nil)
        let other = Interruption(following: signal)
        signal.request(signal: SIGINT)
        #expect(other.isRequested && other.signalNumber == SIGINT)
        #expect(child.signalNumber == SIGINT, "the user's signal is reported as such, even after the child's own request")
    }

    @Test func verifyCutsAPipelineBeforeItsFirstTimedPass() throws {
        let o3 = try #require(Pipeline.optimizationLevel(3)).splitBeforeFirstTimedPass
        #expect(o3.cheap.description == "canonicalize,bounds-symbolic" && o3.rest.description == "bounds-alpha,bounds-lp,dead-neuron-elim")
        let o2 = try #require(Pipeline.optimizationLevel(2))
        #expect(o2.splitBeforeFirstTimedPass.cheap == o2 && o2.splitBeforeFirstTimedPass.rest.entries.isEmpty)
        #expect(LPBoundsPass.hasTimeBudget && AlphaBoundsPass.hasTimeBudget && !SymbolicBoundsPass.hasTimeBudget)
    }
}
