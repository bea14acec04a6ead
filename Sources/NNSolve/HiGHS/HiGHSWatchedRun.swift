import Foundation
import Synchronization

/// `Highs_run` on a thread of its own, watched by the caller, who may give it up.
///
/// HiGHS looks for a stop (its time limit, the interrupt callback) only at points of its search;
/// between two of them it can work for seconds (HiGHS 1.15's cut separation at the root node of a
/// wide network, measured 8.8 s past a 30 s limit). A command that promised a wall-clock limit
/// cannot wait for that: it gives the run up, reports what the callback saw, and goes on. The run
/// goes on too, on its thread, until HiGHS reaches its next check (the callback then asks it to
/// stop); that thread holds the solver and frees it when `Highs_run` returns.
extension HiGHSSolver {
    /// Runs given up whose `Highs_run` has not returned yet. A process must not end through
    /// `exit` while this is above 0 (the library's static destructors would run under a solving
    /// thread): `nnmip` then ends through `_exit`, after flushing its output.
    public static var runsStillSolving: Int {
        detachedRuns.load(ordering: .relaxed)
    }

    private static let detachedRuns = Atomic<Int>(0)

    /// Runs `run()` on a new thread and waits for it, asking `shouldGiveUp` about every 20 ms
    /// whether to wait on; nil when it gave up. The solver must not be touched after a nil
    /// (its thread still uses it), and a callback installed must stop calling back into the
    /// caller by then (see `HiGHSRun`).
    public func run(givingUpWhen shouldGiveUp: () -> Bool) throws -> HiGHSStatus? {
        let state = WatchedRunState()
        // The thread keeps the solver alive; HiGHS's parallel scheduler is per calling thread, so a
        // run on a new thread starts (and, when the thread ends, stops) its own worker threads.
        // Handed over: the caller touches the solver again only after the thread is done with it.
        nonisolated(unsafe) let solver = self
        let thread = Thread {
            let outcome = Result { try solver.run() }
            if state.finish(with: outcome) { Self.detachedRuns.subtract(1, ordering: .relaxed) }
        }
        // HiGHS recurses deeply in presolve and its search; the main thread's 8 MiB is what it is used to.
        thread.stackSize = 1 << 23
        thread.start()
        while state.done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            guard shouldGiveUp() else { continue }
            // Counted before the thread can see the run given up, so the count never dips below 0.
            Self.detachedRuns.add(1, ordering: .relaxed)
            if state.giveUp() { return nil }
            // The run ended just as it was given up: its result is there.
            Self.detachedRuns.subtract(1, ordering: .relaxed)
            state.done.wait()
            break
        }
        return try state.outcome!.get()
    }
}

/// What the watched thread and its watcher share, under one lock: the outcome, once `Highs_run`
/// returned, and whether the watcher gave the run up first.
private final class WatchedRunState: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private(set) var outcome: Result<HiGHSStatus, any Error>?
    private var givenUp = false

    /// Keeps the outcome and wakes the watcher, unless the run was given up (then true: nobody waits).
    func finish(with result: Result<HiGHSStatus, any Error>) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if givenUp { return true }
        outcome = result
        done.signal()
        return false
    }

    /// Gives the run up, unless it has already finished (then false).
    func giveUp() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if outcome != nil { return false }
        givenUp = true
        return true
    }
}
