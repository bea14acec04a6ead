import NNIR

/// A transformation of the IR, after LLVM's new pass manager and MLIR.
///
/// A pass has a kebab-case name, a one-line summary and typed options, all
/// static, so that one registry (`PassRegistry`) backs `nnmip passes`, the
/// pipeline parser and the manual page. A pass keeps no global state, never
/// prints and never exits: it rewrites the graph, records remarks in the
/// context, and throws a `Diagnostic` to stop the pipeline.
public protocol Pass: Sendable {
    /// The name used in pipelines (`bounds-symbolic`).
    static var name: String { get }
    /// One line saying what the pass does.
    static var summary: String { get }
    /// The options the pass accepts in `name{key=value,...}`, in the order
    /// listings show them: the pass's `PassOption` declarations.
    static var options: [any PassOptionDeclaration] { get }
    /// Whether the network computes the same function after the pass (false
    /// only for passes that build a surrogate, such as pruning).
    static var preservesFunction: Bool { get }
    /// Whether the pass spends a time budget of its own (solving LPs, say), so
    /// that it may cost seconds where the others cost milliseconds: drivers
    /// that order their work by cost run the passes before it first.
    static var hasTimeBudget: Bool { get }

    /// Creates the pass from its option values (already checked against `options`).
    init(options: PassOptionValues) throws

    /// Runs the pass on `graph`.
    func run(on graph: inout Graph, context: inout PassContext) throws
}

extension Pass {
    /// Passes preserve the function unless they say otherwise.
    public static var preservesFunction: Bool { true }
    /// Passes have no time budget unless they say otherwise.
    public static var hasTimeBudget: Bool { false }
}
