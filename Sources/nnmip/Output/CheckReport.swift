import NNMIPKit

/// What `check --model` prints: the file's own claims, and the point judged on the original networks.
struct CheckReport {
    let solution: SolutionFile
    let plan: EmbeddingPlan
    let check: EmbeddedSolutionCheck
    /// How many output columns the file lacked (they took their network's outputs).
    let missingOutputs: Int

    /// `maximize (the model file)`: the sense applied and where it came from.
    var senseText: String {
        "\(plan.base.sense == .maximize ? "maximize" : "minimize") (\(plan.objectiveOrigin))"
    }

    /// Why the point does not hold, with the exit status's kind; nil when it holds.
    var failure: (kind: FailureKind, message: String)? {
        if let instance = check.instances.first(where: { !$0.outputsAgree }) {
            return (.mismatchedSolution, "network '\(instance.name)': the solution's output values differ from the network's at its inputs by \(instance.outputDifference)")
        }
        guard check.violationCount > 0, let largest = check.largestViolation else { return nil }
        return (.infeasibleSolution, "with the networks' true outputs, \(check.violationCount) rows, bounds or integralities of the model break; the largest: \(largest.place) by \(largest.amount)")
    }

    private var outputDifference: Double {
        check.instances.map(\.outputDifference).max() ?? 0
    }

    var text: String {
        var lines = ["format: \(solution.format)", "status: \(solution.status ?? "-")", "objective: \(solution.objective.map { "\($0)" } ?? "-")",
                     "sense: \(senseText)", "network_objective: \(check.objective)", "output_difference: \(outputDifference)"]
        if missingOutputs > 0 { lines.append("outputs_from_networks: \(missingOutputs)") }
        lines += EmbeddedCheckText(check).lines
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        var object = JSONObject()
        object.add("format", string: solution.format)
        object.add("status", string: solution.status)
        object.add("objective", number: solution.objective)
        object.add("sense", string: plan.base.sense == .maximize ? "maximize" : "minimize")
        object.add("sense_origin", string: "\(plan.objectiveOrigin)")
        object.add("network_objective", number: check.objective)
        object.add("output_difference", number: outputDifference)
        object.add("outputs_from_networks", json: "\(missingOutputs)")
        EmbeddedCheckText(check).addFields(to: &object)
        object.add("failure", string: failure?.message)
        object.add("networks", json: EmbeddedCheckText(check).instancesJSON)
        return object.pretty
    }
}
