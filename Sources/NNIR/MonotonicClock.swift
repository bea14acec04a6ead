import Foundation

/// Wall-clock time for deadlines and reports, from a clock that never jumps
/// (`CLOCK_MONOTONIC`), in seconds from an arbitrary start.
public enum MonotonicClock {
    /// The current time in seconds.
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
