import NNMIPKit

/// The documented exit statuses (sysexits.h values where one fits).
enum ExitStatus {
    static let unsupportedModel: Int32 = 1
    static let infeasibleSolution: Int32 = 2
    static let mismatchedSolution: Int32 = 3
    static let usage: Int32 = 64
    static let malformedInput: Int32 = 65
    static let cannotRead: Int32 = 66
    static let unavailable: Int32 = 69
    static let internalError: Int32 = 70
    static let cannotWrite: Int32 = 73

    /// The status for a failure kind.
    static func status(for kind: FailureKind) -> Int32 {
        switch kind {
        case .unsupported: unsupportedModel
        case .usage: usage
        case .malformedInput: malformedInput
        case .io: cannotRead
        case .unavailable: unavailable
        case .internal: internalError
        case .cannotWrite: cannotWrite
        case .infeasibleSolution: infeasibleSolution
        case .mismatchedSolution: mismatchedSolution
        }
    }
}
