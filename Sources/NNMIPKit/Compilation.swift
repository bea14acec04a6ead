import Foundation

/// The compile pipeline after the front end: input domain, passes, formulation.
public enum Compilation {
    /// A copy of `graph` with the spec's input domain on its input nodes and
    /// no bounds anywhere else: bounds read from an IR file belong to the
    /// domain they were computed for, which need not be this one.
    public static func withInputDomain(_ graph: Graph, spec: Spec) throws -> Graph {
        let inputBounds = try spec.resolvedInputBounds(symbols: SymbolTable(graph: graph))
        var result = graph
        result.removeBounds(keepingInputs: false)
        for (t, input) in result.inputs.enumerated() { result[input].bounds = inputBounds[t] }
        return result
    }

    /// A copy of `graph` with interval bounds on every node, from the spec's input domain (`-O0`).
    public static func bounded(_ graph: Graph, spec: Spec) throws -> Graph {
        var result = try withInputDomain(graph, spec: spec)
        IntervalBounds.annotate(&result)
        return result
    }

    /// Runs `passes` on `graph` (its inputs bounded by the spec's domain when
    /// it gives one) and then bounds every node the passes left unbounded by
    /// interval arithmetic, so the result can be formulated.
    public static func optimized(_ graph: Graph, spec: Spec?, passes: PassManager, context: inout PassContext) throws -> Graph {
        var result = try spec.map { try withInputDomain(graph, spec: $0) } ?? graph
        try passes.run(on: &result, context: &context)
        if result.inputs.allSatisfy({ result[$0].bounds != nil }) { IntervalBounds.annotate(&result) }
        return result
    }

    /// Bounds and formulates `graph` under `spec` in one step (interval bounds only).
    public static func formulate(_ graph: Graph, spec: Spec, disjuncts: DisjunctChoice = .any, name: String = "nnmip") throws -> Formulation {
        try Formulator.formulate(try bounded(graph, spec: spec), spec: spec, disjuncts: disjuncts, name: name)
    }
}

/// The text formats `compile` writes.
public enum MILPFileFormat: String, CaseIterable, Sendable {
    /// Free MPS.
    case mps
    /// Fixed (column-positioned) MPS.
    case fixedMPS = "fixed-mps"
    /// CPLEX LP.
    case lp

    /// The format a file name implies (`.lp`, `.lp.gz` → LP; otherwise MPS), or nil if the name says nothing.
    public static func implied(by path: String) -> MILPFileFormat? {
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        if name.hasSuffix(".lp") { return .lp }
        if name.hasSuffix(".mps") { return .mps }
        return nil
    }

    /// The usual file extension.
    public var fileExtension: String { self == .lp ? "lp" : "mps" }

    /// Writes `model` to `path` (`-` for standard output) in this format, atomically.
    /// Returns how many numbers had to be rounded (fixed MPS only).
    @discardableResult
    public func write(_ model: MILPModel, to path: String, naming: NamingStyle, comments: [String]) throws -> Int {
        let out = try OutputFile(path: path)
        var rounded = 0
        switch self {
        case .mps: rounded = try MPSWriter(layout: .free, naming: naming, comments: comments).write(model, to: out)
        case .fixedMPS: rounded = try MPSWriter(layout: .fixed, naming: naming, comments: comments).write(model, to: out)
        case .lp: LPWriter(naming: naming, comments: comments).write(model, to: out)
        }
        try out.commit()
        return rounded
    }
}
