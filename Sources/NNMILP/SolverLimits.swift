import NNIR

/// The numbers a MILP can hold so that a solver reads exactly the model nnmip
/// wrote, with HiGHS's limits (its defaults; CBC and GLPK accept at least as
/// much): a matrix coefficient above `largestCoefficient` in magnitude is an
/// error to HiGHS ("LP matrix packed vector contains ... greater than 1e+15"),
/// and a bound, right-hand side or objective coefficient of magnitude at least
/// `infinity` is infinite to it, which would silently drop a constraint or a
/// term. Such numbers come from the user's input (the box, the weights, the
/// objective), so `check` reports them as malformed input naming where each
/// came from, before any file is written or any solver is called.
public enum SolverLimits {
    /// HiGHS's `large_matrix_value`: the largest |coefficient| a constraint matrix may hold.
    public static let largestCoefficient = 1e15
    /// HiGHS's `infinite_bound` and `infinite_cost`: numbers of at least this magnitude are infinite to it.
    public static let infinity = 1e20

    /// Throws for the first number of `model` a solver cannot be given exactly.
    /// - Parameters:
    ///   - names: what each column means, to name the network node a number came from.
    ///   - graph: the formulated graph, for the nodes' source locations.
    /// - Throws: `Diagnostic(.malformedInput)` naming the number, the column or row and the node.
    public static func check(_ model: MILPModel, names: NameMap, graph: Graph) throws {
        func column(_ c: Int) -> String {
            let entry = c < names.entries.count ? names.entries[c] : nil
            let origin = entry.map { $0.node >= 0 ? " (\($0.role.rawValue) of \(node($0.node)), element \($0.element))" : " (\($0.role.rawValue))" } ?? ""
            return "column \(model.columnNames[c])\(origin)"
        }
        func node(_ index: Int) -> String {
            guard index >= 0, index < graph.nodes.count else { return "node %\(index)" }
            let n = graph.nodes[index]
            return "node %\(index) (\(n.operation.keyword)\(n.location.map { " '\($0)'" } ?? ""))"
        }
        func row(_ r: Int) -> String {
            let name = model.rowNames[r]
            // Readable row names carry their node as `_l<node>_` (r_l1_n0, ru_l2_n3); spec rows start with spec_.
            if let range = name.range(of: #"_l[0-9]+"#, options: .regularExpression), let index = Int(name[range].dropFirst(2)) {
                return "row \(name) of \(node(index))"
            }
            return name.hasPrefix("spec") ? "row \(name) (a constraint of the spec)" : "row \(name)"
        }
        for c in 0..<model.columnCount where model.objective[c] != 0 {
            let value = model.objective[c]
            guard value.isFinite, abs(value) < infinity else {
                throw refusal("the objective coefficient \(value) of \(column(c))", "is not below 1e20 in magnitude, so HiGHS takes it as infinite", fix: "scale the objective down")
            }
        }
        for c in 0..<model.columnCount where names.entries.indices.contains(c) && names.entries[c].role == .input {
            for bound in [model.columnLower[c], model.columnUpper[c]] where !(bound.isFinite && abs(bound) < infinity) {
                throw refusal("the input bound \(bound) of \(column(c))", "is not below 1e20 in magnitude, so HiGHS takes it as infinite", fix: "bound the inputs more tightly")
            }
        }
        for c in 0..<model.columnCount where model.columnLower[c].isNaN || model.columnUpper[c].isNaN {
            throw refusal("a NaN bound of \(column(c))", "is not a number", fix: "check the network's weights")
        }
        for r in 0..<model.rowCount {
            let rhs = model.rowRHS[r]
            guard rhs.isFinite, abs(rhs) < infinity else {
                throw refusal("the right-hand side \(rhs) of \(row(r))", "is not below 1e20 in magnitude, so HiGHS takes it as infinite and drops the constraint",
                              fix: "bound the inputs more tightly, or scale the network or the constraint down")
            }
            for e in model.rowStart[r]..<model.rowStart[r + 1] {
                let value = model.entryValue[e]
                guard value.isFinite, abs(value) <= largestCoefficient else {
                    throw refusal("the coefficient \(value) of \(column(Int(model.entryColumn[e]))) in \(row(r))",
                                  "is larger in magnitude than 1e15, the largest matrix value HiGHS accepts (it is a weight, or a big-M from a neuron's bounds over the input domain)",
                                  fix: "bound the inputs more tightly, or scale the network's weights down")
                }
            }
        }
    }

    private static func refusal(_ what: String, _ why: String, fix: String) -> Diagnostic {
        Diagnostic(.malformedInput, "the MILP would need \(what), which \(why); \(fix)")
    }
}
