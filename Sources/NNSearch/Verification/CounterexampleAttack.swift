import Foundation
import NNIR
import NNSpec
import Synchronization

/// The attack a user would otherwise run before a verifier: projected gradient descent on the
/// property's violation (`PointScore`'s counterexample goal) from one seeded random point of the
/// domain after another, each end confirmed on the original network by `CounterexampleCheck`.
///
/// `verify` runs it beside its other stages on a core of its own (`ConcurrentAttack`), and alone
/// with `--attack-only`.
struct CounterexampleAttack {
    private let descent: ProjectedGradient
    private let projection: DomainProjection
    private let check: CounterexampleCheck
    private var generator: SplitMix64
    /// Restarts so far.
    private(set) var restarts = 0

    /// Gradient steps from each start: as many as the local search after sampling takes.
    static let steps = CounterexampleSearch.gradientSteps

    /// The attack on `graph` under `spec` (whose domain `projection` projects onto), judged by
    /// `check`, its starts drawn with `seed`.
    init(graph: Graph, spec: Spec, projection: DomainProjection, check: CounterexampleCheck, seed: UInt64) {
        descent = ProjectedGradient(graph: graph, score: PointScore(spec: spec, goal: .counterexample), projection: projection,
                                    steps: Self.steps)
        self.projection = projection
        self.check = check
        generator = SplitMix64(seed: seed)
    }

    /// One descent from the next random point (projected onto the domain), stopping at `deadline`:
    /// the counterexample where it ended, if the check confirms one.
    mutating func next(deadline: Deadline) throws -> Counterexample? {
        restarts += 1
        // Sample 0 would be the box's center, which the sampled points have tried already.
        let start = projection.boxes.samplePoint(restarts, using: &generator)
        let end = try descent.descend(from: start, deadline: deadline)
        guard end.value.violation <= 0 else { return nil }
        return check.confirm(end.inputs)
    }

    /// Restarts until one finds a counterexample or `deadline` passes: the counterexample and
    /// how it was found.
    mutating func run(until deadline: Deadline, label: String) throws -> (counterexample: Counterexample, source: String)? {
        while !deadline.hasPassed {
            if let found = try next(deadline: deadline) { return (found, "projected gradient restart \(restarts)\(label)") }
        }
        return nil
    }
}

/// `CounterexampleAttack` on a thread of its own beside the caller's stages: the first
/// counterexample it finds is kept and stops the caller's work through `stop`, which the caller's
/// deadline follows.
final class ConcurrentAttack: @unchecked Sendable {
    /// Requested when the attack finds a counterexample, and by `finish`; follows the user's signal.
    let stop: Interruption
    /// Ends the restarts alone (`yieldCore`); follows `stop`.
    private let retire: Interruption
    private var attack: CounterexampleAttack
    private let found = Mutex<(counterexample: Counterexample, source: String)?>(nil)
    private let group = DispatchGroup()
    private var failure: (any Error)?
    private var started = false

    /// The attack of `attack`, stopped also by `signal` (the user's interruption).
    init(_ attack: CounterexampleAttack, following signal: Interruption?) {
        self.attack = attack
        stop = Interruption(following: signal)
        retire = Interruption(following: stop)
    }

    /// Starts the restarts on their own thread, until `deadline` or `stop`.
    func start(until deadline: Deadline) {
        guard !started else { return }
        started = true
        let until = Deadline(time: deadline.time, interruption: retire)
        group.enter()
        Thread { [self] in
            defer { group.leave() }
            do {
                if let result = try attack.run(until: until, label: " beside the other stages") {
                    found.withLock { $0 = result }
                    stop.request(signal: 0)
                }
            } catch { failure = error }
        }.start()
    }

    /// Ends the restarts without stopping the caller's stages, and waits for their thread, so that a
    /// stage can take their core: the counterexample they found, if any (it has stopped the stages).
    func yieldCore() throws -> (counterexample: Counterexample, source: String)? {
        retire.request(signal: 0)
        group.wait()
        if let failure { throw failure }
        return found.withLock { $0 }
    }

    /// Stops the restarts and waits for their thread: the counterexample they found, if any. An
    /// error on their thread (none is expected: the network evaluated before) is rethrown.
    func finish() throws -> (counterexample: Counterexample, source: String)? {
        stop.request(signal: 0)
        group.wait()
        if let failure { throw failure }
        return found.withLock { $0 }
    }
}
