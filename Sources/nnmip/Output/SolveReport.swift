import NNMIPKit

/// What `solve` prints, as text or JSON.
struct SolveReport {
    let result: SolveResult
    let graph: Graph
    let spec: Spec
    /// For a smooth network, the `pwl-approx` entry that made the piecewise-linear surrogate the
    /// MILP is: its status, objective, bound and gap are the surrogate's.
    var surrogate: String?
    /// A better point than the MILP's, from gradient ascent on the network, with the network
    /// objective at the MILP's point (nil when the MILP has none: the ascent began at the sampled start).
    var refined: (point: NetworkPoint, milpPointObjective: Double?)?

    init(result: SolveResult, graph: Graph, spec: Spec) {
        self.result = result
        self.graph = graph
        self.spec = spec
    }

    /// The point reported: the MILP's solution, or the refined one.
    var point: NetworkPoint? { refined?.point ?? result.point }

    /// The status reported. With a surrogate, a point judged on the network is `feasible` (the optimum
    /// proved is the surrogate's), and without one the surrogate's infeasibility proves nothing about
    /// the network (`unknown`), unless the input domain itself is empty.
    var status: SolveStatus {
        guard surrogate != nil else { return result.status }
        if point != nil { return .feasible }
        let emptyDomain = spec.emptyDomainReason(symbols: SymbolTable(graph: graph)) != nil
        return result.status == .infeasible && !emptyDomain ? .unknown : result.status
    }

    /// The objective evaluated on the network's own outputs at the reported point.
    var networkObjective: Double? {
        guard let point, let objective = spec.objective else { return nil }
        return objective.expression.value(inputs: point.inputs, outputs: point.networkOutputs)
    }

    /// The numbers of both forms, as JSON text (`null` where there is none).
    private var scalars: [(String, String)] {
        [
            ("objective", jsonNumber(result.objective)),
            ("bound", jsonNumber(result.bound)),
            ("gap", jsonNumber(result.gap)),
            ("seconds", secondsText(result.seconds, decimals: 3)),
            ("nodes", "\(result.nodes)"),
            ("network_objective", jsonNumber(networkObjective)),
            ("output_difference", jsonNumber(result.point?.outputDifference)),
        ]
    }

    /// The surrogate lines of a smooth network's report.
    private var surrogateScalars: [(String, String)] {
        guard let surrogate else { return [] }
        var lines = [("surrogate", JSONString.quoted(surrogate)), ("surrogate_status", JSONString.quoted(result.status.rawValue))]
        if let refined, let before = refined.milpPointObjective { lines.append(("milp_point_network_objective", jsonNumber(before))) }
        return lines
    }

    /// The status as the text report says it: `feasible` names its gap, `feasible (gap 0.41)`
    /// (JSON keeps the two apart, in `status` and `gap`).
    var statusText: String {
        surrogate != nil ? status.rawValue : Self.statusText(result.status, gap: result.gap)
    }

    /// `status` as a text report says it, with the gap of a `feasible` one.
    static func statusText(_ status: SolveStatus, gap: Double?) -> String {
        guard status == .feasible, let gap, gap.isFinite else { return status.rawValue }
        return "\(status.rawValue) (gap \(String(format: "%.4g", gap)))"
    }

    var text: String {
        var lines = ["status: \(statusText)"]
        lines += surrogateScalars.map { "\($0.0): \($0.1.trimmingCharacters(in: ["\""]))" }
        lines += scalars.map { "\($0.0): \($0.1 == "null" ? "-" : $0.1)" }
        if let point {
            for (input, values) in zip(graph.inputs, point.inputs) { lines.append("input \(graph.inputName(input) ?? "?"): \(vectorText(values))") }
            for (output, values) in zip(graph.outputs, point.networkOutputs) { lines.append("output \(output.name): \(vectorText(values))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        var object = JSONObject()
        object.add("status", string: status.rawValue)
        object.add("solver_status", string: "\(result.solverStatus)")
        for (name, value) in surrogateScalars + scalars { object.add(name, json: value) }
        if let point {
            let inputNames = graph.inputs.map { graph.inputName($0) ?? "?" }, outputNames = graph.outputs.map(\.name)
            object.add("inputs", json: jsonVectors(inputNames, point.inputs))
            object.add("outputs", json: jsonVectors(outputNames, point.networkOutputs))
            // The MILP's own solution; with a refined point, at the MILP's inputs, given too.
            if let milp = result.point {
                if refined != nil { object.add("milp_inputs", json: jsonVectors(inputNames, milp.inputs)) }
                object.add("milp_outputs", json: jsonVectors(outputNames, milp.milpOutputs))
            }
        }
        return object.pretty
    }
}
