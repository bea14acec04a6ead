import NNIR
import NNSpec

/// A solver's solution file, mapped back to the network through a name map
/// and judged as `solve` judges its own solutions, in this order:
///
/// 1. model identity: the map's `model_hash` must be the hash of the network
///    loaded now and the map's spec (`ModelIdentity`); a map without one (an
///    older nnmip's) gives a warning;
/// 2. every input and output value of the file is finite;
/// 3. the inputs lie in the spec's input domain (boxes and balls);
/// 4. the network's outputs at those inputs meet the spec's constraints (and
///    one disjunct of its disjunction);
/// 5. the file's output values are the network's, within
///    `Tolerance.allowed(scale:)` of the values' magnitude.
///
/// 1 and 2 throw (`.malformedInput`); 3 to 5 are recorded in `failure`, so the
/// caller can print the point before reporting why it was rejected.
public struct SolutionCheck {
    /// The file's value of every element of every network input.
    public let inputs: [[Double]]
    /// The file's value of every element of every network output.
    public let fileOutputs: [[Double]]
    /// The reference evaluator's outputs at `inputs`.
    public let networkOutputs: [[Double]]
    /// The largest |file output − network output|.
    public let outputDifference: Double
    /// The largest magnitude among the inputs and outputs, the scale the difference is judged at.
    public let scale: Double
    /// Warnings to print (a map without a model hash).
    public private(set) var warnings: [Diagnostic] = []
    /// Why the solution is rejected (`.infeasibleSolution` or `.mismatchedSolution`), or nil when it passes.
    public private(set) var failure: Diagnostic?

    /// Checks `solution` (read from `solutionFile`) against `graph` (loaded from `modelFile`) through `map`
    /// (read from `mapFile`).
    /// - Throws: `Diagnostic(.malformedInput)` when the map belongs to another model or spec, when the
    ///   map does not fit the network, or when a value is not finite; `Diagnostic(.malformedInput)` naming
    ///   the solution file when it lacks a variable.
    public init(map: NameMapFile, mapFile: String, solution: SolutionFile, solutionFile: String, graph: Graph, modelFile: String) throws {
        let spec = try Self.spec(of: map, mapFile: mapFile, graph: graph, modelFile: modelFile, warnings: &warnings)
        func values(_ tensors: [NameMapFile.Tensor], _ side: String) throws -> [[Double]] {
            try tensors.map { tensor in
                try tensor.variables.enumerated().map { k, variable in
                    let value = try map.value(of: variable, in: solution, solutionPath: solutionFile)
                    guard value.isFinite else {
                        throw Diagnostic(.malformedInput, file: solutionFile, location: "variable \(variable)",
                                         "the value of \(side) '\(tensor.name)' element \(k) is \(value), not a finite number")
                    }
                    return value
                }
            }
        }
        inputs = try values(map.inputs, "input")
        fileOutputs = try values(map.outputs, "output")
        guard inputs.map(\.count) == graph.inputs.map({ graph[$0].elementCount }),
              fileOutputs.map(\.count) == graph.outputs.map({ graph[$0.value].elementCount }) else {
            throw Diagnostic(.usage, file: mapFile, "its inputs and outputs do not match those of \(modelFile)")
        }
        networkOutputs = try Evaluator(graph: graph).evaluate(inputs: inputs)
        outputDifference = Tolerance.largestDifference(fileOutputs, networkOutputs)
        scale = Tolerance.scale(of: [inputs, fileOutputs, networkOutputs].joined().joined())
        failure = domainFailure(spec, graph: graph, file: solutionFile)
            ?? constraintFailure(spec, file: solutionFile)
            ?? outputFailure(graph: graph, file: solutionFile)
    }

    /// The map's spec, after checking that the map was written for `graph` and fits it.
    private static func spec(of map: NameMapFile, mapFile: String, graph: Graph, modelFile: String,
                             warnings: inout [Diagnostic]) throws -> Spec {
        guard let hash = map.modelHash, let spec = map.spec else {
            warnings.append(Diagnostic(.malformedInput, severity: .warning, file: mapFile,
                                       "has no model_hash (an older nnmip wrote it): nnmip cannot tell whether it belongs to \(modelFile), and checks no input domain or constraints; run 'nnmip compile --names' again"))
            return Spec(inputCount: graph.inputs.count)
        }
        let actual = ModelIdentity(graph: graph, spec: spec).hash
        guard actual == hash else {
            throw Diagnostic(.malformedInput, file: mapFile, location: "model_hash",
                             "the map was written for a different model or spec than \(modelFile) (the map says \(hash), the model and the map's spec give \(actual)); give the --model it was compiled from, or run 'nnmip compile --names' again")
        }
        try validate(spec, against: graph, mapFile: mapFile)
        return spec
    }

    /// Refuses a spec whose indices do not fit the network (a hand-edited map whose hash was forged).
    private static func validate(_ spec: Spec, against graph: Graph, mapFile: String) throws {
        let inputSizes = graph.inputs.map { graph[$0].elementCount }, outputSizes = graph.outputs.map { graph[$0.value].elementCount }
        func fail(_ message: String) -> Diagnostic { Diagnostic(.malformedInput, file: mapFile, location: "spec", message) }
        guard spec.inputBounds.count == inputSizes.count else { throw fail("has \(spec.inputBounds.count) inputs; the network has \(inputSizes.count)") }
        for (t, bounds) in spec.inputBounds.enumerated() {
            guard let bounds else { continue }
            guard bounds.lower.count == inputSizes[t], bounds.upper.count == inputSizes[t] else { throw fail("input_bounds[\(t)] has the wrong length") }
        }
        for ball in spec.balls where ball.input >= inputSizes.count || ball.center.count != inputSizes[ball.input] {
            throw fail("a ball does not fit input \(ball.input)")
        }
        let expressions = (spec.constraints + spec.disjuncts.joined()).map(\.expression) + (spec.objective.map { [$0.expression] } ?? [])
        for term in expressions.flatMap(\.terms) {
            let sizes = term.element.side == .input ? inputSizes : outputSizes
            guard term.element.tensor < sizes.count, term.element.element < sizes[term.element.tensor] else {
                throw fail("names \(term.element), which the network does not have")
            }
        }
    }

    /// The first input element outside its box, or the first ball the inputs leave.
    private func domainFailure(_ spec: Spec, graph: Graph, file: String) -> Diagnostic? {
        for (t, bounds) in spec.inputBounds.enumerated() {
            guard let bounds else { continue }
            for (k, x) in inputs[t].enumerated() {
                let (lower, upper) = (bounds.lower[k], bounds.upper[k])
                let slack = Tolerance.allowed(scale: max(abs(lower), abs(upper)))
                if x < lower - slack || x > upper + slack {
                    return Diagnostic(.infeasibleSolution, file: file, location: "input '\(graph.inputName(graph.inputs[t]) ?? "?")' element \(k)",
                                      "is \(x), outside the input domain [\(lower), \(upper)]")
                }
            }
        }
        for ball in spec.balls {
            let distances = zip(inputs[ball.input], ball.center).map { abs($0 - $1) }
            let norm = ball.norm == .linf ? (distances.max() ?? 0) : distances.reduce(0, +)
            // An L1 distance sums one rounding error per element.
            let elements = ball.norm == .linf ? 1 : max(1, ball.center.count)
            if norm > ball.radius + Tolerance.allowed(scale: Tolerance.scale(of: ball.center + [ball.radius])) * Double(elements) {
                return Diagnostic(.infeasibleSolution, file: file, location: "input '\(graph.inputName(graph.inputs[ball.input]) ?? "?")'",
                                  "is at \(ball.norm == .linf ? "L-inf" : "L1") distance \(norm) from the ball's center, more than its radius \(ball.radius)")
            }
        }
        return nil
    }

    /// The first constraint the network's outputs violate, or the disjunction when no disjunct holds.
    private func constraintFailure(_ spec: Spec, file: String) -> Diagnostic? {
        // A point the solver put on a constraint's boundary misses it on the network by up to the outputs'
        // own tolerance times the coefficients, so the slack is that, at the larger of the two scales.
        func slack(_ constraint: LinearConstraint) -> Double {
            let terms = constraint.expression.terms.map { abs($0.coefficient * value(of: $0.element)) }
            let weight = 1 + constraint.expression.terms.reduce(0) { $0 + abs($1.coefficient) }
            return Tolerance.allowed(scale: max(scale, Tolerance.scale(of: terms + [constraint.expression.constant]))) * weight
        }
        func excess(_ constraint: LinearConstraint) -> Double {
            constraint.violation(inputs: inputs, outputs: networkOutputs) - slack(constraint)
        }
        for constraint in spec.constraints where excess(constraint) > 0 {
            return Diagnostic(.infeasibleSolution, file: file, location: "the constraint from \(constraint.origin)",
                              "the network's outputs at the solution's inputs violate it by \(constraint.violation(inputs: inputs, outputs: networkOutputs))")
        }
        guard !spec.disjuncts.isEmpty else { return nil }
        let worst = spec.disjuncts.map { disjunct in disjunct.map(excess).max() ?? 0 }
        guard let closest = worst.indices.min(by: { worst[$0] < worst[$1] }), worst[closest] > 0 else { return nil }
        let violated = spec.disjuncts[closest].max { excess($0) < excess($1) }
        return Diagnostic(.infeasibleSolution, file: file, location: "disjunction",
                          "the network's outputs at the solution's inputs meet none of its \(spec.disjuncts.count) disjuncts (the closest, disjunct \(closest), violates \(violated?.origin ?? "a constraint") by \(violated.map { $0.violation(inputs: inputs, outputs: networkOutputs) } ?? 0))")
    }

    /// A mismatch between the file's outputs and the network's beyond the tolerance.
    private func outputFailure(graph: Graph, file: String) -> Diagnostic? {
        let allowed = Tolerance.allowed(scale: scale)
        guard outputDifference > allowed else { return nil }
        var place = "outputs"
        outer: for (j, (fileValues, networkValues)) in zip(fileOutputs, networkOutputs).enumerated() {
            for (k, (a, b)) in zip(fileValues, networkValues).enumerated() where !(abs(a - b) <= allowed) {
                place = "output '\(graph.outputs[j].name)' element \(k)"
                break outer
            }
        }
        return Diagnostic(.mismatchedSolution, file: file, location: place,
                          "the file's output values differ from the network's at its inputs by \(outputDifference) (more than \(allowed), \(Tolerance.feasibility) times the values' scale \(max(1, scale))): the solution is not one of this model's MILP, or the solver's numbers are off")
    }

    private func value(of element: TensorElement) -> Double {
        (element.side == .input ? inputs : networkOutputs)[element.tensor][element.element]
    }
}
