import ArgumentParser
import Foundation
import NNMIPKit

/// The documented exit statuses (sysexits.h values where one fits), and the
/// one place that turns errors into them.
enum ExitStatus {
    static let unsupportedModel: Int32 = 1
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
        case .cannotWrite: cannotWrite
        }
    }
}

/// Runs a command body; a `Diagnostic` is printed as `nnmip: error: ...` on
/// standard error and ends the process with its documented status.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let diagnostic as Diagnostic {
        FileHandle.standardError.write(Data("nnmip: error: \(diagnostic)\n".utf8))
        throw ExitCode(ExitStatus.status(for: diagnostic.kind))
    } catch let exit as ExitCode {
        throw exit
    } catch {
        FileHandle.standardError.write(Data("nnmip: internal error: \(error)\n".utf8))
        throw ExitCode(ExitStatus.internalError)
    }
}

/// A vector as nnmip's reports print it, `[v0, v1, ...]`, each number in the
/// shortest form that reads back to the same Float64.
func vectorText(_ values: [Double]) -> String {
    "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
}

/// Writes a line to standard output.
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
