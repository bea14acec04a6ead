/// When a command's work must end: a point on `MonotonicClock`, and an
/// `Interruption` that can end it sooner.
///
/// A command makes one from its user's limit at its start, and everything it
/// runs (passes, sampling, verify's stages, every MILP and LP) takes its own
/// budget out of what is left (`limited(toSeconds:)`, `share(_:)`), so that the
/// user's limit holds for the whole command.
public struct Deadline: Sendable {
    /// The end, in `MonotonicClock` seconds; infinite when there is none.
    public let time: Double
    /// A request to stop before `time` (a signal), if the owner listens for one.
    public let interruption: Interruption?

    /// No limit and no interruption.
    public static let none = Deadline(time: .infinity)

    /// The deadline at `time` (`MonotonicClock` seconds), ended sooner by `interruption`.
    public init(time: Double, interruption: Interruption? = nil) {
        self.time = time.isNaN ? .infinity : time
        self.interruption = interruption
    }

    /// The deadline `seconds` after `start` (none when `seconds` is nil), ended sooner by `interruption`.
    public init(seconds: Double?, from start: Double = MonotonicClock.now(), interruption: Interruption? = nil) {
        self.init(time: seconds.map { start + $0 } ?? .infinity, interruption: interruption)
    }

    /// Whether a stop was requested through the interruption.
    public var isInterrupted: Bool {
        interruption?.isRequested ?? false
    }

    /// Whether the work must stop now: the time has come or a stop was requested.
    public var hasPassed: Bool {
        isInterrupted || MonotonicClock.now() >= time
    }

    /// Seconds left (0 once passed or interrupted; infinite without a limit).
    public var remaining: Double {
        isInterrupted ? 0 : max(0, time - MonotonicClock.now())
    }

    /// This deadline, or `seconds` from now if that comes first: a budget of its own inside the limit.
    public func limited(toSeconds seconds: Double) -> Deadline {
        Deadline(time: min(time, MonotonicClock.now() + seconds), interruption: interruption)
    }

    /// The point `fraction` of the way from now to this deadline (this deadline when it is infinite).
    public func share(_ fraction: Double) -> Deadline {
        guard time.isFinite else { return self }
        let now = MonotonicClock.now()
        return Deadline(time: now + max(0, time - now) * fraction, interruption: interruption)
    }
}
