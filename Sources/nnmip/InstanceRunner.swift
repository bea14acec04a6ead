import Foundation
import NNMIPKit

/// Runs a VNN-COMP instance list (`verify --instances`): one `nnmip verify`
/// process per instance, at most `jobs` at a time, and one result record per
/// instance in the list's order.
///
/// Separate processes keep instances apart (memory, HiGHS's threads, a crash)
/// and are what a batch scheduler would run on other machines, so one list
/// can be split across a cluster without nnmip knowing.
struct InstanceRunner {
    /// One row of the list.
    struct Instance {
        var onnx: String
        var vnnlib: String
        var timeout: Double
        /// The two paths as the list writes them, for the results.
        var listed: (onnx: String, vnnlib: String)
        /// `onnx,vnnlib` as the list writes them.
        var written: String { "\(listed.onnx),\(listed.vnnlib)" }
    }

    let listPath: String
    let jobs: Int
    /// Options passed on to every worker (passes, HiGHS library, threads, seed).
    let forwarded: [String]
    /// Set by SIGINT or SIGTERM (see `InterruptSignals`): the run stops and writes what it has.
    let interruption: Interruption
    /// No progress line per finished instance on standard error (`--quiet`).
    let quiet: Bool

    /// Extra seconds a worker may take beyond its instance's timeout (loading,
    /// writing) before it is stopped and the instance counted as a timeout.
    static let grace = 30.0

    /// Reads the list (`-`: standard input; gzipped or not): `onnx,vnnlib,timeout` rows, paths
    /// relative to the list's folder (the current directory for standard input).
    func instances() throws -> [Instance] {
        let input = try InputFile.read(listPath, for: "the instance list")
        let text = try input.text(expected: "CSV rows onnx,vnnlib,timeout")
        let folder = URL(fileURLWithPath: listPath).deletingLastPathComponent()
        var instances: [Instance] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, let timeout = Double(fields[2]), timeout > 0 else {
                if number == 0 && fields.count == 3 && Double(fields[2]) == nil { continue }  // a header row
                throw Diagnostic(.malformedInput, file: input.name, location: "line \(number + 1)", "expected onnx,vnnlib,timeout (seconds > 0), found '\(line)'")
            }
            func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path }
            instances.append(Instance(onnx: resolve(fields[0]), vnnlib: resolve(fields[1]), timeout: timeout, listed: (fields[0], fields[1])))
        }
        return instances
    }

    /// Runs every instance and writes one record per instance into `results` (which the caller
    /// commits), in the list's order: CSV or JSON Lines (see `InstanceResults`). When `interruption`
    /// is requested (SIGINT, SIGTERM), no further instance starts, the workers running get a SIGTERM
    /// and report `interrupted` (unless they had decided already), and the instances run so far are
    /// written.
    func run(results: OutputFile, format: OutputFormat) throws {
        let list = try instances()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let outcomes = Outcomes(count: list.count)
        let workers = WorkerProcesses()
        let slots = DispatchSemaphore(value: jobs)
        let group = DispatchGroup()
        for (index, instance) in list.enumerated() {
            waitStoppingWorkers(workers) { slots.wait(timeout: $0) }
            // A semaphore must be back at its starting count before it goes away.
            guard !interruption.isRequested else {
                slots.signal()
                break
            }
            group.enter()
            Thread.detachNewThread {
                if let outcome = runWorker(executable: executable, instance: instance, workers: workers) {
                    outcomes.set(index, outcome)
                    let why = ["sat", "unsat"].contains(outcome.result) ? "" : " (\(outcome.reason))"
                    if !quiet {
                        writeToStandardError("nnmip: verify: [\(index + 1)/\(list.count)] \(outcome.result)\(why) in \(secondsText(outcome.seconds, decimals: 1)) s: \(instance.written)\n")
                    }
                }
                slots.signal()
                group.leave()
            }
        }
        waitStoppingWorkers(workers) { group.wait(timeout: $0) }
        let run = InstanceResults(records: zip(list, outcomes.values).compactMap { instance, outcome in outcome.map { (instance, $0) } })
        results.write(format == .json ? run.jsonLines : run.csv)
    }

    /// Waits for `wait` (a semaphore or a group, given a time to wait until), passing an
    /// interruption on to the workers as soon as it is requested.
    private func waitStoppingWorkers(_ workers: WorkerProcesses, _ wait: (DispatchTime) -> DispatchTimeoutResult) {
        while wait(.now() + .milliseconds(50)) == .timedOut {
            if interruption.isRequested { workers.stopAll() }
        }
    }

    /// The answer of a worker, from the JSON object that `verify --format json` prints.
    private struct WorkerAnswer: Decodable {
        var result: String
        var reason: String
    }

    /// Runs one `nnmip verify` process and says how it ended, or nil when the interruption came
    /// before it started. See `InstanceResults.Outcome` for the results.
    private func runWorker(executable: String, instance: Instance, workers: WorkerProcesses) -> InstanceResults.Outcome? {
        let start = MonotonicClock.now()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["verify", instance.onnx, instance.vnnlib, "--timeout", "\(instance.timeout)", "--quiet", "--format", "json"] + forwarded
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        do {
            guard try workers.start(process) else { return nil }
        } catch {
            return .init(result: "error", seconds: 0, reason: "cannot start \(executable): \(error.localizedDescription)", report: nil)
        }
        defer { workers.finished(process) }
        let overran = StopFlag()
        let killer = DispatchWorkItem {
            if process.isRunning {
                overran.set()
                process.terminate()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + instance.timeout + Self.grace, execute: killer)
        // Both pipes are read at once, so that a worker that writes much to one cannot block on the other.
        nonisolated(unsafe) var errorData = Data()
        let readingErrors = DispatchGroup()
        readingErrors.enter()
        DispatchQueue.global().async {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            readingErrors.leave()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        readingErrors.wait()
        process.waitUntilExit()
        killer.cancel()
        let seconds = MonotonicClock.now() - start

        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init)
        let answer = line.flatMap { try? JSONDecoder().decode(WorkerAnswer.self, from: Data($0.utf8)) }
            .flatMap { ["sat", "unsat", "timeout", "unknown"].contains($0.result) ? $0 : nil }
        func outcome(_ result: String, _ reason: String) -> InstanceResults.Outcome {
            .init(result: result, seconds: seconds, reason: reason, report: answer == nil ? nil : line)
        }
        // An answer that decides stands, however the worker ended; else a stop by signal or by the clock says so.
        if let answer, ["sat", "unsat"].contains(answer.result) { return outcome(answer.result, answer.reason) }
        if let signal = interruption.signalNumber { return outcome("interrupted", "interrupted by signal \(signal)") }
        if overran.isSet {
            return outcome("timeout", "still running \(Int(Self.grace)) s after its timeout of \(formatNumber(instance.timeout)) s; stopped")
        }
        if process.terminationStatus == 0, let answer { return outcome(answer.result, answer.reason) }
        let died = process.terminationReason == .uncaughtSignal
        let status = died ? "killed by signal \(process.terminationStatus)" : "exit status \(process.terminationStatus)"
        return outcome("error", Self.firstError(in: String(decoding: errorData, as: UTF8.self)).map { "\($0) (\(status))" } ?? status)
    }

    /// The first error line a worker printed on standard error, without its `nnmip: error: ` prefix
    /// (it names the file and the place); the first line of any kind when none says error.
    private static func firstError(in text: String) -> String? {
        let lines = text.split(separator: "\n").map(String.init)
        guard let line = lines.first(where: { $0.hasPrefix("nnmip: error: ") || $0.hasPrefix("nnmip: internal error: ") }) ?? lines.first else { return nil }
        for prefix in ["nnmip: error: ", "nnmip: "] where line.hasPrefix(prefix) { return String(line.dropFirst(prefix.count)) }
        return line
    }
}

/// Whether the runner stopped a worker that overran its time.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// The worker processes that are running, so that an interruption reaches every one of them (a
/// SIGTERM each, which verify handles as it handles its own) and no new one starts after it.
private final class WorkerProcesses: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [ObjectIdentifier: Process] = [:]
    private var stopping = false

    /// Starts `process`, unless the workers are being stopped; whether it started.
    func start(_ process: Process) throws -> Bool {
        try lock.withLock {
            guard !stopping else { return false }
            try process.run()
            running[ObjectIdentifier(process)] = process
            return true
        }
    }

    /// Forgets `process`, which has ended.
    func finished(_ process: Process) {
        lock.withLock { running[ObjectIdentifier(process)] = nil }
    }

    /// Seconds a worker has to stop after its SIGTERM before it is killed: HiGHS looks for a stop
    /// only at points of its search, and some of its root-node work (cut separation on dense rows)
    /// runs for many seconds between them.
    static let stopGrace = 3.0

    /// Sends SIGTERM to every worker running and starts no more (once; later calls do nothing);
    /// the workers still running `stopGrace` seconds later get SIGKILL.
    func stopAll() {
        lock.withLock {
            guard !stopping else { return }
            stopping = true
            for process in running.values where process.isRunning { process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + Self.stopGrace) { [self] in
            lock.withLock {
                for process in running.values where process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
    }
}

/// The outcomes, filled in by the worker threads; nil for instances that never started.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [InstanceResults.Outcome?]

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: InstanceResults.Outcome) { lock.withLock { outcomes[index] = outcome } }
    var values: [InstanceResults.Outcome?] { lock.withLock { outcomes } }
}
