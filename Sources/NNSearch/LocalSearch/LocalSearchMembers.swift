import Foundation
import NNIR
import NNPasses
import NNSolve
import NNSpec

/// The members of the surrogate search that search the original network itself: the dense LP
/// relaxation's point (once, first: judged and polished as `lp-relaxation`, and the walk's first
/// start), then gradient restarts, each new best of which a region walk continues from. They run
/// on the caller's thread (`run`) or beside the MILPs (`start`, then `finish`); either way they
/// judge through the search's one judge, whose best point the running MILPs are offered.
final class LocalSearchMembers: @unchecked Sendable {
    private let original: Graph
    private let spec: Spec
    private let passes: Pipeline
    private let library: HiGHSLibrary
    /// HiGHS's settings for the LPs (the relaxation, polishing, walks).
    private let settings: SolverSettings
    private let members: Set<SearchMember>
    private let judge: OriginalNetworkJudge<NetworkPoint>
    private var walks: RegionWalkRestarts?
    private var gradients: GradientRestarts?
    private var relaxationSolved = false
    /// Whether `start` left the LP members to `runLPMembers`.
    private var lpMembersWait = false
    private let stop = Interruption()
    private let group = DispatchGroup()
    /// The error that ended the members on their own thread, if one did (read after `finish`).
    private(set) var failure: (any Error)?

    /// The most of the time left that the LP relaxation (its bounds passes included) may take, and
    /// then its polishing: on a 1000-input 3x200 network, polishing without a share of its own kept
    /// the second core until 9 s of 10, and the gradient restarts after it found less.
    static let relaxationShare = 0.25

    /// The members of `members` among `lp-relaxation`, `walk` and `gradient`, on `original` under
    /// `spec` (with an objective), the relaxation's network bounded by `passes`, each LP with the
    /// MILPs' `settings`, random points drawn with `seed`. `besideMILPs` says whether they will
    /// be started beside the MILPs (`start`; which thread solves the LPs depends on it).
    init(original: Graph, spec: Spec, passes: Pipeline, members: Set<SearchMember>, besideMILPs: Bool, library: HiGHSLibrary,
         settings: SolverSettings, seed: UInt64, judge: OriginalNetworkJudge<NetworkPoint>) throws {
        self.original = original
        self.spec = spec
        self.passes = passes
        self.library = library
        self.members = members
        self.judge = judge
        // HiGHS's thread pool is the calling thread's: LPs solved on a thread of their own (the
        // walks when no gradient runs, see `start`) keep its default size.
        var settings = settings
        if besideMILPs && !members.contains(.gradient) { settings.threads = nil }
        self.settings = settings
        if members.contains(.walk) {
            var walk = RegionWalk(original: original, spec: spec, library: library)
            walk.settings = settings
            walks = try RegionWalkRestarts(walk: walk, seed: seed)
        }
        gradients = members.contains(.gradient) ? try GradientRestarts(graph: original, spec: spec, seed: seed) : nil
    }

    /// Whether there is nothing to run.
    var isEmpty: Bool { !members.contains(.lpRelaxation) && walks == nil && gradients == nil }

    /// The relaxation and a walk from its point (the first time), then rounds until `deadline` or
    /// after `rounds` rounds: a gradient restart, and a walk from its end when that is a new best;
    /// without the gradient member, a walk from the next sampled point.
    ///
    /// Walks from the gradient's best ends rather than from samples of their own: on the benchmark's
    /// random networks at 10 s, gradient restarts alone beat walks alone on three of five, and a walk
    /// from a point ends at least as good as the point.
    func run(until deadline: Deadline, rounds: Int = .max) throws {
        try relaxAndWalkOnce(until: deadline)
        try restarts(until: deadline, rounds: rounds, walkingFromGradientEnds: true)
    }

    /// Starts the members beside the MILPs, which the caller then runs, until `deadline` (or
    /// `finish()`): with the gradient member, gradient restarts alone take a thread of their own,
    /// and the LP members wait for `runLPMembers` on the caller's thread; without it, `run` takes
    /// the thread.
    ///
    /// The gradient's thread solves no LP: when walks continued from its ends there, on the
    /// benchmark's 5x500 networks they held that core for most of the minute, and the portfolio
    /// trailed the gradient alone at 10, 30 and 60 s (by up to 3%).
    func start(until deadline: Deadline) {
        let until = Deadline(time: deadline.time, interruption: stop)
        let restartsOnly = gradients != nil
        lpMembersWait = restartsOnly
        group.enter()
        let thread = Thread { [self] in
            defer { group.leave() }
            do {
                if restartsOnly { try restarts(until: until, rounds: .max, walkingFromGradientEnds: false) } else { try run(until: until) }
            } catch { failure = error }
        }
        thread.start()
    }

    /// After `start` with the gradient member, the LP members once, until `deadline`, on the
    /// caller's thread (before its MILPs): the relaxation and a walk from its point, then a walk
    /// from the best point so far. Nothing otherwise (they run, or ran, elsewhere).
    func runLPMembers(until deadline: Deadline) throws {
        guard lpMembersWait else { return }
        lpMembersWait = false
        try relaxAndWalkOnce(until: deadline)
        if let best = judge.best?.point.inputs, !deadline.hasPassed { try walks?.next(from: best, judge: judge, deadline: deadline) }
    }

    private func relaxAndWalkOnce(until deadline: Deadline) throws {
        guard !relaxationSolved && (members.contains(.lpRelaxation) || walks != nil) else { return }
        relaxationSolved = true
        try relax(until: deadline)
        if walks?.relaxationPoint != nil { try walks?.next(judge: judge, deadline: deadline) }
    }

    /// Gradient restarts (each new best end walked from when `walkingFromGradientEnds`), or without
    /// the gradient member walks from sampled points, until `deadline` or after `rounds`. With the
    /// gradient and not `walkingFromGradientEnds` it never touches `walks`, which `runLPMembers`
    /// uses on the other thread meanwhile.
    private func restarts(until deadline: Deadline, rounds: Int, walkingFromGradientEnds: Bool) throws {
        var round = 0
        while round < rounds && !deadline.hasPassed {
            if gradients != nil {
                if let end = gradients?.next(judge: judge, deadline: deadline), walkingFromGradientEnds, !deadline.hasPassed {
                    try walks?.next(from: end, judge: judge, deadline: deadline)
                }
            } else if walks != nil {
                try walks?.next(judge: judge, deadline: deadline)
            } else {
                break
            }
            round += 1
        }
    }

    /// The dense LP relaxation's point: the walk's first start, and with `lp-relaxation` judged
    /// and polished (every polishing round judged too).
    private func relax(until deadline: Deadline) throws {
        guard let (inputs, lpObjective) = try DenseRelaxationPoint.solve(original: original, spec: spec, passes: passes, library: library,
                                                                         settings: settings, deadline: deadline.share(Self.relaxationShare))
        else { return }
        walks?.relaxationPoint = inputs
        guard members.contains(.lpRelaxation) else { return }
        let source = SearchMember.lpRelaxation.rawValue
        judge.judge(try NetworkPoint(inputs: inputs, evaluator: Evaluator(graph: original)), lpObjective, source)
        var polish = RegionWalk(original: original, spec: spec, library: library)
        polish.settings = settings
        polish.crossesBoundaries = false
        _ = try polish.walk(from: inputs, deadline: deadline.share(Self.relaxationShare)) { judge.judge($0.point, $0.lpObjective, source) }
    }

    /// Stops the members started by `start` and waits until they have ended (at once when called again).
    func finish() {
        stop.request(signal: 0)
        group.wait()
    }
}
