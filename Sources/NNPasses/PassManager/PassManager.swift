import NNIR

/// Runs a pipeline on a graph, calling the instrumentation around every pass.
///
/// The first pass that throws stops the pipeline; its error names the pass.
/// Once the context's deadline has passed, the passes left are skipped (each
/// with a remark): the graph stays valid, only less optimized, and
/// `runCompletingBounds` still bounds every node.
public struct PassManager {
    /// The pipeline to run.
    public var pipeline: Pipeline
    /// Hooks called around every pass, in order.
    public var instrumentations: [any PassInstrumentation] = []

    /// Creates a pass manager for `pipeline`.
    public init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    /// Runs every pass of the pipeline on `graph`.
    public func run(on graph: inout Graph, context: inout PassContext) throws {
        for entry in pipeline.entries {
            guard let passType = PassRegistry.pass(named: entry.name) else {
                throw Diagnostic(.usage, location: "--passes", "unknown pass '\(entry.name)'")
            }
            let values: PassOptionValues
            do {
                values = try PassOptionValues(pass: entry.name, options: passType.options, given: entry.options)
            } catch var diagnostic as Diagnostic {
                diagnostic.location = "--passes"
                throw diagnostic
            }
            let pass = try passType.init(options: values)
            if context.deadline.hasPassed {
                context.currentPass = entry.name
                context.remark(context.deadline.isInterrupted ? "skipped: interrupted" : "skipped: the time limit ran out")
                context.currentPass = ""
                continue
            }
            for instrumentation in instrumentations { try instrumentation.beforePass(entry, graph: graph) }
            context.currentPass = entry.name
            let start = MonotonicClock.now()
            do {
                try pass.run(on: &graph, context: &context)
            } catch let diagnostic as Diagnostic {
                var located = diagnostic
                located.location = "pass \(entry.name)" + (diagnostic.location.map { ": \($0)" } ?? "")
                throw located
            }
            let seconds = MonotonicClock.now() - start
            context.currentPass = ""
            for instrumentation in instrumentations { try instrumentation.afterPass(entry, graph: graph, seconds: seconds) }
        }
    }
}
