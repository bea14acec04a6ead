import ArgumentParser
import Foundation
import NNMIPKit

/// The options of the embedded HiGHS, shared by `solve` and `verify`.
struct SolverOptions: ParsableArguments {
    @Option(name: .customLong("threads"), help: ArgumentHelp("Threads HiGHS may use (default: HiGHS's choice); at most 4 per core, larger counts are capped with a warning.", valueName: "n"))
    var threads: Int?

    @Option(name: .customLong("seed"), help: ArgumentHelp("The seed of HiGHS and of nnmip's own random points (sampling, gradient restarts, region walks; default 1): with --threads 1, two runs that end before their limits give the same answer and the same --trace but for its seconds.", valueName: "n"))
    var seed: Int?

    /// The seed of nnmip's own random points: `--seed`, or 1 (the searches' default).
    var searchSeed: UInt64 { seed.map { UInt64($0) } ?? 1 }

    @Option(name: .customLong("log"), help: ArgumentHelp("Write HiGHS's own log to this file (replacing what it held; every solve of the run goes in).", valueName: "file"))
    var log: String?

    @Flag(name: .customLong("quiet"), help: "No progress lines on standard error.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let seed, seed < 0 || seed > Int(Int32.max) { throw ValidationError("--seed must be between 0 and \(Int32.max)") }
        if log == "-" { throw ValidationError("--log: give a file name; HiGHS's log would mix with the answer on standard output") }
    }

    /// Declares the file these options write: the --log, which HiGHS writes itself.
    func declareOutputs(_ files: inout CommandFiles) {
        files.writes(log, as: "--log", external: true)
    }

    /// The settings these options give, with `timeLimit` and the command's `deadline`; HiGHS writes its
    /// log into the --log output of `outputs` (its temporary file, so the log replaces the file's old
    /// content when committed). A thread count above `ThreadLimit.maximum` is capped, with a warning.
    func settings(timeLimit: Double?, deadline: Deadline, outputs: OutputSet) throws -> SolverSettings {
        var settings = SolverSettings()
        settings.timeLimit = timeLimit
        settings.deadline = deadline
        settings.threads = threads.map { requested in
            let capped = ThreadLimit.capped(requested)
            if capped < requested {
                Diagnostics.report(Diagnostic(.usage, severity: .warning, location: "--threads",
                                              "\(requested) threads are more than \(ThreadLimit.perCore) per core; using \(capped) (\(ProcessInfo.processInfo.activeProcessorCount) cores)"))
            }
            return capped
        }
        settings.seed = seed
        settings.logFile = try log.flatMap { try outputs.file($0).writerPath }
        return settings
    }

    /// A progress printer: at most one line a second on standard error, and
    /// only when standard error is a terminal and --quiet is not given.
    func progressPrinter() -> ((HiGHSProgress) -> Void)? {
        guard !quiet, isatty(STDERR_FILENO) != 0 else { return nil }
        var last = -1.0
        return { state in
            guard state.seconds - last >= 1 else { return }
            last = state.seconds
            let gap = state.gap.isFinite ? String(format: "%.2f%%", 100 * state.gap) : "-"
            writeToStandardError(String(format: "nnmip: %6.1f s  incumbent %@  bound %@  gap %@  nodes %lld\n",
                                        state.seconds, formatNumber(state.primalBound), formatNumber(state.dualBound), gap, state.nodes))
        }
    }
}

/// The relative MIP gap, for `solve` alone: `verify` keeps HiGHS's default, on which its proofs rely.
struct MIPGapOption: ParsableArguments {
    @Option(name: .customLong("mip-gap"), help: ArgumentHelp("Relative gap at which HiGHS stops (default 1e-4); above 1e-4 the status is feasible, not optimal.", valueName: "gap"))
    var mipGap: Double?

    func validate() throws {
        if let mipGap, !(mipGap >= 0 && mipGap.isFinite) { throw ValidationError("--mip-gap must be a number >= 0") }
    }
}
