import Foundation
import NNMIPKit
import Testing

/// What a test needs from outside the project: the HiGHS library, a solver
/// binary, or `../shared/realnets`.
///
/// A test states its need twice, for the two places it can be missing:
/// - as a trait, `@Test(.needsHiGHS)`: outside CI, a test whose need is
///   missing is skipped before it starts, and the runner reports it as skipped
///   with the reason;
/// - by the `require` that fetches the thing: in CI (`CI` set) a missing need
///   throws, so the test fails loudly; outside CI (a need of one argument of a
///   parameterized test, say) the test is canceled, which is also reported.
public enum Requirements {
    /// Whether the tests run in CI, where every need must be met.
    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// A need that is not met, in CI.
    public struct Unmet: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Throws `error` in CI; elsewhere cancels the running test with `reason`.
    static func missing(_ error: any Error, reason: String) throws -> Never {
        if inCI { throw error }
        try Test.cancel(Comment(rawValue: reason))
    }
}

extension Trait where Self == ConditionTrait {
    /// The test needs the embedded HiGHS (`scripts/setup.sh` installs it into `.tools/highs`).
    public static var needsHiGHS: Self {
        .enabled(if: Requirements.inCI || (try? HiGHSLibrary.load()) != nil, "needs the HiGHS library (scripts/setup.sh installs it)")
    }

    /// The test needs the third-party networks of `../shared/realnets`.
    public static var needsRealnets: Self {
        .enabled(if: Requirements.inCI || Realnets.isPresent, "needs ../shared/realnets beside the project")
    }

    /// The test needs `solver`'s executable.
    public static func needs(_ solver: Solver) -> Self {
        .enabled(if: Requirements.inCI || solver.isInstalled, "needs \(solver.rawValue) (scripts/setup.sh installs it)")
    }
}
