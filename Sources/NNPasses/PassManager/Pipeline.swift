import NNIR

/// A pass pipeline as text: `canonicalize,bounds-lp{timeout=30,threads=2},dead-neuron-elim`.
///
/// Parsing checks every name against `PassRegistry` and every option against
/// the pass's declared options; `description` prints the same text back.
public struct Pipeline: Equatable, Sendable, CustomStringConvertible {
    /// One pass of a pipeline with the options written for it.
    public struct Entry: Equatable, Sendable {
        /// The pass's registered name.
        public var name: String
        /// The options as written, in order.
        public var options: [Option]

        /// One `key=value` option.
        public struct Option: Equatable, Sendable {
            /// The option's name.
            public var key: String
            /// Its value as written.
            public var value: String
        }
    }

    /// The passes, in the order they run.
    public var entries: [Entry]

    /// The passes of the pipeline that change the function the network computes (pruning); a
    /// pipeline whose result stands for the network itself must have none.
    public var functionChangingPasses: [String] {
        entries.map(\.name).filter { PassRegistry.pass(named: $0)?.preservesFunction == false }
    }

    /// The pipeline cut before its first pass with a time budget of its own
    /// (`Pass.hasTimeBudget`, such as `bounds-lp`): the cheap passes, and the
    /// rest, which runs on the cheap passes' result to give what the whole
    /// pipeline gives. `rest` is empty when no pass has a budget.
    public var splitBeforeFirstTimedPass: (cheap: Pipeline, rest: Pipeline) {
        let cut = entries.firstIndex { PassRegistry.pass(named: $0.name)?.hasTimeBudget == true } ?? entries.endIndex
        return (Pipeline(entries: Array(entries[..<cut])), Pipeline(entries: Array(entries[cut...])))
    }

    /// A pipeline of the given entries (names and options are not checked).
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses pipeline text; an empty text is the empty pipeline.
    public init(parsing text: String) throws {
        entries = []
        var rest = Substring(text.filter { !$0.isWhitespace })
        while !rest.isEmpty {
            let nameEnd = rest.firstIndex { $0 == "," || $0 == "{" } ?? rest.endIndex
            let name = String(rest[..<nameEnd])
            guard let pass = PassRegistry.pass(named: name) else {
                throw Self.error(text, name.isEmpty ? "a pass name is missing" : "unknown pass '\(name)'\(PassRegistry.suggestion(for: name)); 'nnmip passes' lists them")
            }
            rest = rest[nameEnd...]
            var options: [Entry.Option] = []
            if rest.first == "{" {
                guard let close = rest.firstIndex(of: "}") else { throw Self.error(text, "'{' after '\(name)' is not closed") }
                for item in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",", omittingEmptySubsequences: false) {
                    let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    guard parts.count == 2, !parts[0].isEmpty else { throw Self.error(text, "'\(item)' in \(name){...} is not key=value") }
                    options.append(Entry.Option(key: String(parts[0]), value: String(parts[1])))
                }
                do {
                    _ = try PassOptionValues(pass: name, options: pass.options, given: options)
                } catch let diagnostic as Diagnostic {
                    throw Self.error(text, diagnostic.message)
                }
                rest = rest[rest.index(after: close)...]
            }
            entries.append(Entry(name: name, options: options))
            if rest.first == "," {
                rest = rest.dropFirst()
                if rest.isEmpty { throw Self.error(text, "a pass name is missing after the last ','") }
            } else if !rest.isEmpty {
                throw Self.error(text, "expected ',' after '\(name)'")
            }
        }
    }

    /// The pipeline text, which parses back to the same pipeline.
    public var description: String {
        entries.map { entry in
            entry.options.isEmpty ? entry.name : entry.name + "{" + entry.options.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
        }.joined(separator: ",")
    }

    /// This pipeline with `pwl-approx` (given `segments`, and `enclosure=true` when
    /// asked) right after its first bounds pass, which then runs again to bound the
    /// approximation's new nodes; first, after interval bounds, when the pipeline has
    /// no bounds pass. A pipeline that runs `pwl-approx` already is returned as it is.
    public func approximatingSmoothActivations(segments: Int, enclosure: Bool) -> Pipeline {
        if entries.contains(where: { $0.name == PiecewiseLinearApproximationPass.name }) { return self }
        let approximation = Self.approximation(segments: segments, enclosure: enclosure)
        guard let first = entries.firstIndex(where: { $0.name.hasPrefix("bounds-") }) else {
            return Pipeline(entries: [Entry(name: IntervalBoundsPass.name, options: []), approximation] + entries)
        }
        var result = entries
        result.insert(contentsOf: [approximation, entries[first]], at: first + 1)
        return Pipeline(entries: result)
    }

    /// The entry `pwl-approx{segments=K}`, with `enclosure=true` when asked.
    public static func approximation(segments: Int, enclosure: Bool) -> Entry {
        var options = [Entry.Option(key: PiecewiseLinearApproximationPass.segments.name, value: String(segments))]
        if enclosure { options.append(Entry.Option(key: PiecewiseLinearApproximationPass.enclosure.name, value: "true")) }
        return Entry(name: PiecewiseLinearApproximationPass.name, options: options)
    }

    /// The named pipelines behind `-O0` ... `-O3`.
    public static func optimizationLevel(_ level: Int) -> Pipeline? {
        let text: String
        switch level {
        case 0: text = "bounds-ia"
        case 1: text = "canonicalize,bounds-ia,dead-neuron-elim"
        case 2: text = "canonicalize,bounds-symbolic,dead-neuron-elim"
        case 3: text = "canonicalize,bounds-symbolic,bounds-alpha,bounds-lp,dead-neuron-elim"
        default: return nil
        }
        // The texts above name registered passes only; a test parses every level.
        return try? Pipeline(parsing: text)
    }

    /// The level used when neither `-O` nor `--passes` is given.
    public static let defaultOptimizationLevel = 2

    private static func error(_ text: String, _ message: String) -> Diagnostic {
        Diagnostic(.usage, location: "--passes '\(text)'", message)
    }
}
