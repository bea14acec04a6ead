import ArgumentParser
import Foundation
import NNMIPKit

/// SIGINT (Ctrl-C) and SIGTERM during `solve` and `verify`, handled as HiGHS
/// and SCIP do: the work stops at its next check (HiGHS through its interrupt
/// callback), the command prints what it has and writes the files it was asked
/// for, and then exits with 128 plus the signal's number (130 for SIGINT, 143
/// for SIGTERM), as a shell reports a process the signal ended.
enum InterruptSignals {
    /// The process's one interruption, which the handlers set.
    static let interruption = Interruption()

    /// Installs the handlers (`sigaction`) and returns the interruption they
    /// set. Each handler only stores the signal's number in an atomic; it is
    /// reset to the default action as it runs (`SA_RESETHAND`), so a second
    /// Ctrl-C ends the process at once. The two signals are unblocked too: a parent may have started
    /// nnmip with them blocked (Foundation's `Process` passes on its thread's mask), and a blocked
    /// signal stays pending instead of reaching the handler.
    static func install() -> Interruption {
        let interruption = Self.interruption  // initialized here, never first inside a handler
        var signals = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in InterruptSignals.interruption.request(signal: signal) }
        action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)  // 0x80000000, past Int32.max
        sigemptyset(&action.sa_mask)
        for signal in [SIGINT, SIGTERM] { sigaction(signal, &action, nil) }
        return interruption
    }

    /// The exit status of a command that a signal stopped: 128 plus the signal's number.
    static func exitStatus(forSignal signal: Int32) -> Int32 {
        128 + signal
    }

    /// Ends the command with `exitStatus(forSignal:)` when a signal stopped it; call it once
    /// everything is printed and written.
    static func exitIfInterrupted() throws {
        if let signal = interruption.signalNumber { throw ExitCode(exitStatus(forSignal: signal)) }
    }
}
