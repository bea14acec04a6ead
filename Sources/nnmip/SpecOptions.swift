import ArgumentParser
import NNMIPKit

/// The flags that describe the input domain, the objective and the output constraints.
struct SpecOptions: ParsableArguments {
    @Option(name: .customLong("input-box"), parsing: .unconditional,
            help: ArgumentHelp("Bound every input element to [LO, HI].", valueName: "LO:HI"))
    var inputBox: String?

    @Option(name: .customLong("input-bounds"),
            help: ArgumentHelp("Per-element input bounds: JSON {\"lower\": [...], \"upper\": [...]} in flattened order or nested as the input's shape, one such object per input name, or OMLT's list of {\"key\", \"lower_bound\", \"upper_bound\"}.", valueName: "file"))
    var inputBounds: String?

    @Option(name: .customLong("linf-ball"), parsing: .unconditional,
            help: ArgumentHelp("Inputs within L-inf distance EPS of the point in X0.json (intersected with any box; - reads the point from standard input).", valueName: "X0.json:EPS"))
    var linfBall: String?

    @Option(name: .customLong("l1-ball"), parsing: .unconditional,
            help: ArgumentHelp("Inputs within L1 distance EPS of the point in X0.json (intersected with any box; adds one variable and two rows per input element).", valueName: "X0.json:EPS"))
    var l1Ball: String?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Maximize a linear expression of outputs and inputs: 'y3 - y7', '2*y0 + y1', 'x5', 'NAME[K]'.", valueName: "expr"))
    var maximize: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Minimize a linear expression (as for --maximize).", valueName: "expr"))
    var minimize: String?

    @Option(name: .customLong("constraint"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("A linear constraint that must hold, e.g. 'y3 >= y7' (<=, >= or ==); repeat for several.", valueName: "constraint"))
    var constraints: [String] = []

    @Option(help: ArgumentHelp("A spec file: VNN-LIB (.vnnlib) or nnmip JSON (.json, see schemas/spec.schema.json), gzipped or not, by content when the name has neither extension; - reads standard input.", valueName: "file"))
    var spec: String?

    @Option(help: ArgumentHelp("Enforce only disjunct K (from 0) of the spec's disjunction, as plain rows.", valueName: "K"))
    var disjunct: Int?

    func validate() throws {
        if maximize != nil && minimize != nil { throw ValidationError("give either --maximize or --minimize, not both") }
    }

    /// Whether any flag gives the inputs a domain (so bounds can be computed).
    var describesDomain: Bool {
        inputBox != nil || inputBounds != nil || linfBall != nil || l1Ball != nil || spec != nil
    }

    /// Declares the files these flags read: the spec, the bounds and the balls' center points.
    func declareInputs(_ files: inout CommandFiles) {
        files.reads(spec, as: "the --spec file")
        files.reads(inputBounds, as: "the --input-bounds file")
        files.reads(linfBall.flatMap(SpecBuilder.ballFile), as: "the --linf-ball point file")
        files.reads(l1Ball.flatMap(SpecBuilder.ballFile), as: "the --l1-ball point file")
    }

    /// The spec these flags describe, for `graph`, with its domain checked (`DomainCheck`) and
    /// --disjunct checked against its disjunction.
    func build(for graph: Graph) throws -> Spec {
        let built = try unchecked(for: graph)
        try disjunctChoice.check(against: built)
        try DomainCheck.check(built, symbols: SymbolTable(graph: graph)) { _, _ in
            spec == nil ? "give --input-box LO:HI, --input-bounds FILE, --linf-ball X0:EPS, --l1-ball X0:EPS or --spec FILE"
                : "the --spec file leaves it unbounded; bound it there, or add --input-box LO:HI or --input-bounds FILE"
        }
        return built
    }

    private func unchecked(for graph: Graph) throws -> Spec {
        var builder = SpecBuilder(symbols: SymbolTable(graph: graph))
        if let spec { try builder.addSpecFile(path: spec) }
        if let inputBox { try builder.addInputBox(inputBox) }
        if let inputBounds { try builder.addInputBounds(path: inputBounds) }
        if let linfBall { try builder.addBall(.linf, argument: linfBall, source: "--linf-ball") }
        if let l1Ball { try builder.addBall(.l1, argument: l1Ball, source: "--l1-ball") }
        if let maximize { try builder.setObjective(.maximize, maximize, source: "--maximize") }
        if let minimize { try builder.setObjective(.minimize, minimize, source: "--minimize") }
        for constraint in constraints { try builder.addConstraint(constraint, source: "--constraint") }
        return builder.finish()
    }

    /// Which disjuncts to enforce.
    var disjunctChoice: DisjunctChoice {
        disjunct.map { .only($0) } ?? .any
    }
}
