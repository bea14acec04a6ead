import Foundation
import NNMIPKit

/// Runs a VNN-COMP instance list (`verify --instances`): one `nnmip verify`
/// process per instance, at most `jobs` at a time, and one result line per
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
        /// `onnx,vnnlib` as the list writes them, for the results.
        var written: String
    }

    let listPath: String
    let jobs: Int
    /// Options passed on to every worker (passes, HiGHS library, threads, seed).
    let forwarded: [String]
    /// No progress line per finished instance on standard error (`--quiet`).
    let quiet: Bool

    /// Extra seconds a worker may take beyond its instance's timeout (loading,
    /// writing) before it is stopped and the instance counted as a timeout.
    static let grace = 30.0

    /// Reads the list: `onnx,vnnlib,timeout` rows, paths relative to the list's folder.
    func instances() throws -> [Instance] {
        guard let text = try? String(contentsOfFile: listPath, encoding: .utf8) else {
            throw Diagnostic(.io, file: listPath, "cannot read the instance list")
        }
        let folder = URL(fileURLWithPath: listPath).deletingLastPathComponent()
        var instances: [Instance] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3, let timeout = Double(fields[2]), timeout > 0 else {
                if number == 0 && fields.count == 3 && Double(fields[2]) == nil { continue }  // a header row
                throw Diagnostic(.malformedInput, file: listPath, location: "line \(number + 1)", "expected onnx,vnnlib,timeout (seconds > 0), found '\(line)'")
            }
            func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : folder.appendingPathComponent(path).path }
            instances.append(Instance(onnx: resolve(fields[0]), vnnlib: resolve(fields[1]), timeout: timeout, written: "\(fields[0]),\(fields[1])"))
        }
        return instances
    }

    /// Runs every instance and writes `onnx,vnnlib,result,seconds` lines into
    /// `results` (which the caller commits), in the list's order.
    func run(results: OutputFile) throws {
        let list = try instances()
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let lines = ResultLines(count: list.count)
        let slots = DispatchSemaphore(value: jobs)
        let group = DispatchGroup()
        for (index, instance) in list.enumerated() {
            slots.wait()
            group.enter()
            Thread.detachNewThread {
                let (result, seconds) = Self.runWorker(executable: executable, instance: instance, forwarded: forwarded)
                lines.set(index, "\(instance.written),\(result),\(secondsText(seconds, decimals: 2))")
                if !quiet {
                    writeToStandardError("nnmip: verify: [\(index + 1)/\(list.count)] \(result) in \(secondsText(seconds, decimals: 1)) s: \(instance.written)\n")
                }
                slots.signal()
                group.leave()
            }
        }
        group.wait()
        let text = "onnx,vnnlib,result,seconds\n" + lines.values.joined(separator: "\n") + "\n"
        results.write(text)
    }

    /// Runs one `nnmip verify` process; its answer (or `error` when it failed,
    /// `timeout` when it had to be stopped) and its wall-clock time.
    private static func runWorker(executable: String, instance: Instance, forwarded: [String]) -> (String, Double) {
        let start = MonotonicClock.now()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["verify", instance.onnx, instance.vnnlib, "--timeout", "\(instance.timeout)", "--quiet"] + forwarded
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return ("error", 0) }
        let stopped = StopFlag()
        let killer = DispatchWorkItem {
            if process.isRunning {
                stopped.set()
                process.terminate()
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + instance.timeout + grace, execute: killer)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        let seconds = MonotonicClock.now() - start
        // A worker stopped for overrunning answers `unknown` and exits 143 (or dies, if it did not get to answer).
        if stopped.isSet { return ("timeout", seconds) }
        if process.terminationReason == .uncaughtSignal { return ("error", seconds) }
        let first = String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        guard process.terminationStatus == 0, ["sat", "unsat", "timeout", "unknown"].contains(first) else { return ("error", seconds) }
        return (first, seconds)
    }
}

/// Whether the runner stopped a worker that overran its time.
private final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// The result lines, filled in by the worker threads.
private final class ResultLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String]

    init(count: Int) { lines = Array(repeating: "", count: count) }

    func set(_ index: Int, _ line: String) { lock.withLock { lines[index] = line } }
    var values: [String] { lock.withLock { lines } }
}
