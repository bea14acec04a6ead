import NNIR
import NNSolve

extension PropertyVerification {
    /// The share of the time left that the region walks take together.
    static let walkShare = 0.15
    /// The closest points of the counterexample search that each case's walks start from, at most.
    static let walkStarts = 2

    /// After sampling and the gradient descents, the local search's last step: for each open case,
    /// region walks (Relax-and-Walk, `RegionWalk`) on the original network that minimise the case's
    /// margin over one linear region after another, from the points of `closest` that come closest
    /// to meeting that case. The LPs are exact on each region, and every point that meets the case
    /// is confirmed by the reference evaluator (`check`) before it counts.
    func walkToCounterexample(_ open: [VerificationCase], from closest: [[[Double]]], check: CounterexampleCheck, deadline: Deadline,
                              library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void)
        throws -> (counterexample: Counterexample, source: String)? {
        guard !closest.isEmpty else { return nil }
        let stageEnd = deadline.share(Self.walkShare)
        var solve = settings
        solve.timeLimit = nil
        solve.relativeGap = nil
        let evaluator = Evaluator(graph: graph)
        let closestOutputs = try closest.map { try evaluator.evaluate(inputs: $0) }
        for (k, verificationCase) in open.enumerated() {
            let budget = stageEnd.share(1 / Double(open.count - k))
            guard !budget.hasPassed else { return nil }
            var walk = RegionWalk(original: graph, spec: spec, library: library)
            walk.goal = .counterexample(verificationCase)
            walk.settings = solve
            let lps = try walk.regionLPs()
            let starts = closest.indices
                .map { (violation: verificationCase.violation(inputs: closest[$0], outputs: closestOutputs[$0]), inputs: closest[$0]) }
                .sorted { $0.violation < $1.violation }
                .prefix(Self.walkStarts)
            for (rank, start) in starts.enumerated() {
                guard !budget.hasPassed else { break }
                var found: Counterexample?
                var regions = 0
                let end = try walk.walk(from: start.inputs, lps: lps, deadline: budget) { step in
                    regions += 1
                    if found == nil, step.objective <= Tolerance.feasibility { found = check.confirm(step.point.inputs) }
                }
                log("region walk of \(verificationCase) from closest point \(rank + 1) (violation \(start.violation)): \(regions) regions, violation \(end.map { "\($0.objective)" } ?? "-")\(found == nil ? "" : ", a counterexample")")
                if let found { return (found, "a region walk of \(verificationCase) from closest point \(rank + 1)") }
            }
        }
        return nil
    }
}
