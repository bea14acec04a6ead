import Synchronization

/// A request to stop early, made from outside the work: by a signal handler
/// (SIGINT, SIGTERM) or by another thread.
///
/// It is one atomic integer, so that a signal handler may set it (an atomic
/// store is async-signal-safe, unlike locks or allocation); the work polls it
/// at its own pace, as HiGHS's interrupt callback and verify's stages do.
///
/// An interruption may follow another (`init(following:)`): it is requested
/// when either is, so that one part of a command can stop the work it started
/// without its stop looking like the user's signal.
public final class Interruption: Sendable {
    private let signal = Atomic<Int32>(0)
    private let parent: Interruption?

    /// A request that nobody has made yet; also requested whenever `parent` is.
    public init(following parent: Interruption? = nil) {
        self.parent = parent
    }

    /// Asks the work to stop, naming the signal that asked (any positive number when none did).
    /// Only an atomic store: safe inside a signal handler.
    public func request(signal number: Int32) {
        signal.store(max(number, 1), ordering: .relaxed)
    }

    /// Whether a stop was requested, of this interruption or of the one it follows.
    public var isRequested: Bool {
        signal.load(ordering: .relaxed) != 0 || (parent?.isRequested ?? false)
    }

    /// The signal that requested the stop (SIGINT is 2, SIGTERM 15), or nil when none was requested:
    /// the followed interruption's first, so that a signal is reported as such whoever else asked.
    public var signalNumber: Int32? {
        if let number = parent?.signalNumber { return number }
        let number = signal.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}
