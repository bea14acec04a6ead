import Foundation

/// The most threads nnmip lets one solver or pass start: a few per core. More
/// only add start-up and switching costs (10,000 HiGHS threads made a 0.1 s
/// solve take minutes), so larger requests are capped at this.
public enum ThreadLimit {
    /// Threads allowed per active core.
    public static let perCore = 4

    /// `perCore` times the cores this process may use.
    public static var maximum: Int {
        perCore * max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `requested`, or `maximum` when it asks for more.
    public static func capped(_ requested: Int) -> Int {
        min(requested, maximum)
    }
}
