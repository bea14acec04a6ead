import ArgumentParser
import NNMIPKit

/// `nnmip passes`: every pass with its summary and options, and the -O levels.
struct PassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passes",
        abstract: "List the passes, their options and the -O pipelines.",
        discussion: """
            A pipeline is a comma-separated list of passes, each optionally followed by options in braces: \
            --passes='canonicalize,bounds-lp{timeout=30,threads=2},dead-neuron-elim'. Bounds passes only ever \
            tighten bounds; any node still without bounds after the pipeline gets interval bounds.
            """
    )

    func run() throws {
        var lines: [String] = ["passes:"]
        for pass in PassRegistry.passes {
            lines.append("  \(pass.name)")
            lines.append("      \(pass.summary)")
            for option in pass.options {
                lines.append("      \(option.name)=<\(option.valueName)>  \(option.help) (default \(option.defaultText))")
            }
        }
        lines.append("")
        lines.append("optimization levels:")
        for level in 0...3 {
            let marker = level == Pipeline.defaultOptimizationLevel ? "  (default)" : ""
            lines.append("  -O\(level)  \(Pipeline.optimizationLevel(level)!)\(marker)")
        }
        printLine(lines.joined(separator: "\n"))
    }
}
