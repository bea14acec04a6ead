import ArgumentParser
import NNMIPKit

/// The one place that prints diagnostics and turns them into exit statuses.
enum Diagnostics {
    /// Prints `nnmip: SEVERITY: file: place: message` on standard error, with the diagnostic's hint
    /// when the running command has the option it suggests.
    static func report(_ diagnostic: Diagnostic) {
        writeToStandardError("nnmip: \(diagnostic.severity.rawValue): \(diagnostic.description(offering: CommandSurface.currentOptions))\n")
    }
}

/// Runs a command body. A thrown `Diagnostic` is reported and ends the process
/// with its kind's documented status; any other error is an internal error
/// (exit 70), printed without a stack trace.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let diagnostic as Diagnostic {
        Diagnostics.report(diagnostic)
        throw ExitCode(ExitStatus.status(for: diagnostic.kind))
    } catch let exit as ExitCode {
        throw exit
    } catch {
        writeToStandardError("nnmip: internal error: \(error)\n")
        throw ExitCode(ExitStatus.internalError)
    }
}
