import NNIR

/// Hooks the pass manager calls around every pass, after LLVM's
/// PassInstrumentation: IR printing, verification, timing and statistics
/// live here, outside pass code.
public protocol PassInstrumentation: AnyObject {
    /// Called before `pass` runs on `graph`.
    func beforePass(_ pass: Pipeline.Entry, graph: Graph) throws
    /// Called after `pass` ran; `graph` is the result, `seconds` its running time.
    func afterPass(_ pass: Pipeline.Entry, graph: Graph, seconds: Double) throws
}

/// Which IR dumps to print, as LLVM's `-print-before`/`-print-after`/`-print-changed`.
public final class IRPrintingInstrumentation: PassInstrumentation {
    /// Print after every pass.
    public var afterAll = false
    /// Print after the passes with these names.
    public var after: Set<String> = []
    /// Print before the passes with these names.
    public var before: Set<String> = []
    /// Print after a pass only if it changed the IR (with `afterAll` or `after`, or alone for every pass).
    public var changedOnly = false

    private let printer: IRPrinter
    private let write: (String) -> Void
    private var lastText: String?

    /// Creates the instrumentation; dumps go to `write`, each opened by one banner line.
    public init(printer: IRPrinter, write: @escaping (String) -> Void) {
        self.printer = printer
        self.write = write
    }

    public func beforePass(_ pass: Pipeline.Entry, graph: Graph) throws {
        if before.contains(pass.name) {
            write("; *** IR Dump Before \(Pipeline(entries: [pass])) ***\n" + printer.print(graph))
        }
        if changedOnly, lastText == nil { lastText = printer.print(graph) }
    }

    public func afterPass(_ pass: Pipeline.Entry, graph: Graph, seconds: Double) throws {
        let wanted = afterAll || after.contains(pass.name) || (changedOnly && after.isEmpty)
        guard wanted || changedOnly else { return }
        let text = printer.print(graph)
        defer { if changedOnly { lastText = text } }
        guard wanted else { return }
        if changedOnly, text == lastText {
            write("; *** IR Dump After \(Pipeline(entries: [pass])) omitted because no change ***\n")
            return
        }
        write("; *** IR Dump After \(Pipeline(entries: [pass])) ***\n" + text)
    }
}

/// Runs the IR verifier after every pass (`--verify-each`), naming the pass
/// that broke an invariant.
public final class VerifyingInstrumentation: PassInstrumentation {
    /// Creates the instrumentation.
    public init() {}

    public func beforePass(_ pass: Pipeline.Entry, graph: Graph) throws {}

    public func afterPass(_ pass: Pipeline.Entry, graph: Graph, seconds: Double) throws {
        do {
            try Verifier.verify(graph)
        } catch let diagnostic as Diagnostic {
            throw BrokenInvariant(pass: pass.name, finding: diagnostic.description)
        }
    }
}

/// The IR verifier failed after a pass: a bug in nnmip, not in the input.
public struct BrokenInvariant: Error, CustomStringConvertible {
    /// The pass after which the verifier failed.
    public var pass: String
    /// What the verifier found.
    public var finding: String

    public var description: String {
        "the IR verifier failed after pass \(pass) (a bug in nnmip; please report it with the model): \(finding)"
    }
}

/// Collects each pass's running time (`--time-passes`).
public final class TimingInstrumentation: PassInstrumentation {
    /// The pipeline text of each pass that ran and its wall-clock seconds, in order.
    public private(set) var timings: [(pass: String, seconds: Double)] = []

    /// Creates the instrumentation.
    public init() {}

    public func beforePass(_ pass: Pipeline.Entry, graph: Graph) throws {}

    public func afterPass(_ pass: Pipeline.Entry, graph: Graph, seconds: Double) throws {
        timings.append((Pipeline(entries: [pass]).description, seconds))
    }

    /// A report in the manner of LLVM's `-time-passes`: one line per pass, then the total.
    public var report: String {
        let total = timings.reduce(0) { $0 + $1.seconds }
        var lines = ["===== pass execution timing report =====", "  wall (s)   share   pass"]
        for (pass, seconds) in timings {
            lines.append(Self.row(seconds, total, pass))
        }
        lines.append(Self.row(total, total, "total"))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ seconds: Double, _ total: Double, _ name: String) -> String {
        let share = total > 0 ? 100 * seconds / total : 0
        return "\(pad(fixed(seconds, 4), 10))  \(pad(fixed(share, 1), 5))%   \(name)"
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        let scale = Double((0..<digits).reduce(1) { r, _ in r * 10 })
        let scaled = Int((value * scale).rounded())
        let whole = scaled / Int(scale), fraction = scaled % Int(scale)
        let digitsText = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - digitsText.count) + digitsText
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
