import Foundation

/// Runs programs for tests: the built `nnmip` binary and system tools.
public enum Tool {
    /// What a finished process printed and returned.
    public struct Result {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Whether a signal ended the process (a crash: SIGSEGV, SIGABRT, SIGILL, ...).
        public var terminatedBySignal = false
    }

    /// The `nnmip` executable built beside the test bundle.
    public static var nnmip: String {
        let bundleDir = Bundle.main.bundleURL
        let candidates = [bundleDir.appendingPathComponent("nnmip"),
                          bundleDir.deletingLastPathComponent().appendingPathComponent("nnmip"),
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("nnmip")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path ?? candidates[0].path
    }

    /// Runs `nnmip` with `arguments` in the package root, feeding `stdin`; `environment` overrides
    /// variables of the test's own environment.
    public static func nnmip(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(nnmip, arguments, stdin: stdin, environment: environment)
    }

    /// Runs `nnmip` with `arguments` and sends it `signal` (SIGINT, SIGTERM) `seconds` after it started,
    /// as a user's Ctrl-C or a batch scheduler would.
    public static func nnmip(_ arguments: [String], sending signal: Int32, after seconds: Double) throws -> Result {
        try run(nnmip, arguments, signal: (signal, seconds))
    }

    /// Runs `executable` with `arguments` in the package root; `environment` overrides variables of
    /// the test's own environment; `signal` is sent to the process the given seconds after it started.
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           environment: [String: String] = [:], signal: (number: Int32, after: Double)? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, override in override }
        }
        process.currentDirectoryURL = Paths.root
        let (out, err, input) = (Pipe(), Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        if let signal {
            DispatchQueue.global().asyncAfter(deadline: .now() + signal.after) {
                if process.isRunning { kill(process.processIdentifier, signal.number) }
            }
        }
        // Read both pipes concurrently so a chatty process cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), terminatedBySignal: process.terminationReason == .uncaughtSignal)
    }
}
