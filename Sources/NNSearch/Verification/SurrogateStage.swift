import Foundation
import NNIR
import NNMILP
import NNPasses
import NNSolve

extension PropertyVerification {
    /// The share of a surrogate run's time that its MILP gets; polishing its closest point gets the rest.
    static let surrogateMILPShare = 0.75

    /// Stage 4, the surrogate stage: for each surrogate and each open case, the margin MILP of the
    /// pruned network (bounded by the same passes) with its share of `surrogateShare` of the time
    /// left; every solution HiGHS finds is checked on the original network, and the first that
    /// violates the property there ends the stage. The surrogate's MILP has no objective bound: its
    /// own optimum says nothing of the original network, so every improving point is worth a check.
    func searchSurrogates(_ open: [VerificationCase], check: CounterexampleCheck, deadline: Deadline,
                          library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void)
        throws -> (counterexample: Counterexample, source: String)? {
        guard !surrogates.isEmpty else { return nil }
        let stageEnd = deadline.share(surrogateShare)
        var runs = surrogates.count * open.count
        for surrogate in surrogates {
            guard !stageEnd.hasPassed else { return nil }
            let pruned = try BoundedNetwork.optimized(graph, spec: spec, pipeline: surrogate.pipeline(then: passes), library: library,
                                                      deadline: stageEnd)
            for verificationCase in open {
                let run = stageEnd.share(1 / Double(runs))
                runs -= 1
                guard !run.hasPassed else { return nil }
                let source = "surrogate \(surrogate) MILP of \(verificationCase)"
                if let found = try searchSurrogate(pruned, verificationCase, source: source, check: check, run: run,
                                                   library: library, settings: settings, log: log) {
                    return found
                }
            }
        }
        return nil
    }

    /// One surrogate run: the pruned network's margin MILP for one case, then, if no solution is a
    /// counterexample on the original network, the polish of the one that came closest.
    private func searchSurrogate(_ pruned: Graph, _ verificationCase: VerificationCase, source: String, check: CounterexampleCheck,
                                 run: Deadline, library: HiGHSLibrary, settings: SolverSettings,
                                 log: (String) -> Void) throws -> (counterexample: Counterexample, source: String)? {
        var solve = settings
        solve.timeLimit = nil
        solve.deadline = run.share(Self.surrogateMILPShare)
        solve.relativeGap = nil
        var found: Counterexample?
        // The surrogate's point closest to a counterexample on the original network, for polishing.
        var closest: (inputs: [[Double]], violation: Double)?
        let outcome = try EmbeddedSolve(original: graph, formulated: pruned, spec: spec,
                                        formulation: verificationCase.marginFormulation(pruned, spec: spec), library: library)
            .run(settings: solve, onSolution: { point, _, _ in
                if found == nil { found = check.confirm(point.inputs) }
                let violation = verificationCase.violation(inputs: point.inputs, outputs: point.networkOutputs)
                if violation < closest?.violation ?? .infinity { closest = (point.inputs, violation) }
                return found == nil ? .proceed : .interrupt
            })
        if found == nil, let point = outcome.point { found = check.confirm(point.inputs) }
        log("\(source): \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s; \(found == nil ? "no counterexample on the original network" : "counterexample on the original network")")
        if let found { return (found, source) }
        guard let closest else { return nil }
        let polished = try polish(closest.inputs, verificationCase, check: check, deadline: run, library: library, settings: settings)
        log("polishing its closest point (violation \(closest.violation)) in the original network's linear region: \(polished == nil ? "no counterexample" : "counterexample")")
        return polished.map { ($0, source + ", polished") }
    }

    /// Linear-region LPs at most per surrogate point polished.
    static let polishRounds = 10

    /// Up to `polishRounds` LPs of the margin over the ORIGINAL network's linear region at the point,
    /// each from the last one's optimum while the margin grows: a counterexample if one reaches it.
    private func polish(_ inputs: [[Double]], _ verificationCase: VerificationCase, check: CounterexampleCheck, deadline: Deadline,
                        library: HiGHSLibrary, settings: SolverSettings) throws -> Counterexample? {
        var current = inputs
        var violation = Double.infinity
        for _ in 0..<Self.polishRounds {
            guard !deadline.hasPassed else { return nil }
            let region = try LinearRegion.fixed(graph, spec: spec, at: current)
            var solve = settings
            solve.timeLimit = nil
            solve.deadline = deadline
            solve.relativeGap = nil
            let outcome = try EmbeddedSolve(original: graph, formulated: region, spec: spec,
                                            formulation: verificationCase.marginFormulation(region, spec: spec), library: library)
                .run(settings: solve)
            guard let point = outcome.point else { return nil }
            if let found = check.confirm(point.inputs) { return found }
            let next = verificationCase.violation(inputs: point.inputs, outputs: point.networkOutputs)
            guard next < violation - Tolerance.feasibility else { return nil }
            (current, violation) = (point.inputs, next)
        }
        return nil
    }
}
