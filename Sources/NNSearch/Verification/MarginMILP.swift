import Foundation
import NNIR
import NNMILP
import NNPasses
import NNSolve
import NNSpec

extension VerificationCase {
    /// The margin MILP of the case over `graph`: the network and the hard constraints (equalities
    /// and constraints on inputs only) as rows, and a column t with t <= slack of every other
    /// constraint of the case; minimize -t. A point with t >= 0 is a counterexample candidate.
    func marginFormulation(_ graph: Graph, spec: Spec) throws -> Formulation {
        let isHard = { (c: LinearConstraint) in c.isInputOnly || c.relation == .equal }
        var base = spec
        base.objective = nil
        base.disjuncts = []
        base.constraints = constraints.filter(isHard)
        var formulation = try Formulator.formulate(graph, spec: base, name: "verify")
        let names = formulation.names
        let soft = constraints.filter { !isHard($0) }
        // Without soft constraints any feasible point is a counterexample: t = 0 at most.
        let t = formulation.model.addColumn("margin_t", lower: -.infinity, upper: soft.isEmpty ? 0 : .infinity)
        formulation.model.setObjective(t, -1)
        formulation.model.sense = .minimize
        for (i, constraint) in soft.enumerated() {
            // slack = e for e >= 0 and -e for e <= 0; the row is t - slack <= 0.
            let sign = constraint.relation == .greaterEqual ? 1.0 : -1.0
            let entries = [(t, 1.0)] + constraint.expression.terms.map { (names.column(of: $0.element), -sign * $0.coefficient) }
            _ = formulation.model.addRow("margin_\(i)", entries, .lessEqual, sign * constraint.expression.constant)
        }
        return formulation
    }
}

extension PropertyVerification {
    /// What the exact margin MILP established for one case.
    enum MarginOutcome {
        /// A checked counterexample.
        case counterexample(Counterexample)
        /// No point of the case reaches margin 0: the case holds no counterexample.
        case refuted
        /// The time ran out before or in the MILP; the reason says which.
        case timeout(String)
        /// HiGHS ended without a proof or a counterexample; the reason says how.
        case unknown(String)
    }

    /// Stage 5: the margin MILP of one case over the bounded network, with HiGHS's objective
    /// bound just below t = 0 (nodes where t cannot reach it are pruned) and its callback stopping
    /// at the first solution that checks out on the original network. A refutation counts only if
    /// sampled points do not contradict it (`RefutationCheck`). `domain` is the spec with the part
    /// of the input domain the MILP covers (all of it when nil); `bounded` is bounded over it.
    func solveMargin(_ verificationCase: VerificationCase, over domain: Spec? = nil, bounded: Graph, check: CounterexampleCheck,
                     deadline: Deadline, library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void) throws -> MarginOutcome {
        let spec = domain ?? self.spec
        guard !deadline.hasPassed else { return .timeout("time ran out before the MILP of \(verificationCase)") }
        let formulation = try verificationCase.marginFormulation(bounded, spec: spec)
        var solve = settings
        solve.deadline = deadline
        // HiGHS's default gaps keep "optimal with t < 0" a proof; a loose user gap would not.
        solve.relativeGap = nil
        // Nodes where t cannot reach -tolerance are pruned; whatever is found is re-checked anyway.
        solve.objectiveBound = Tolerance.feasibility
        var found: Counterexample?
        let outcome = try EmbeddedSolve(original: graph, formulated: bounded, spec: spec, formulation: formulation, library: library)
            .run(settings: solve, onSolution: { point, _, _ in
                if let checked = check.confirm(point.inputs) { found = checked; return .interrupt }
                return .proceed
            })
        log("MILP of \(verificationCase): \(outcome.status.rawValue) in \(String(format: "%.2f", outcome.seconds)) s")
        if found == nil, let point = outcome.point { found = check.confirm(point.inputs) }
        // The enclosure's optimum is near the smooth network's best: descend from it there.
        if found == nil, isSmooth, let point = outcome.point { found = try descended(from: point.inputs, check: check, deadline: deadline) }
        if let found { return .counterexample(found) }
        let refutation = RefutationCheck(verificationCase: verificationCase, spec: spec, check: check)
        func refuted(claimedMaximum: Double) throws -> MarginOutcome {
            var confirm = solve
            confirm.deadline = Deadline(seconds: max(deadline.remaining, RefutationCheck.minimumSeconds), interruption: deadline.interruption)
            let doubt = try refutation.contradiction(claimedMaximum: claimedMaximum, seed: seed)
                ?? refutation.disagreementAtCenter(formulation, bounded: bounded, encloses: isSmooth, library: library, settings: confirm)
            return doubt.map { .unknown($0) } ?? .refuted
        }
        switch (outcome.solverStatus, outcome.point) {
        case (.infeasible, _), (.objectiveBound, nil):
            // No point reaches t = 0 (with the objective bound set, HiGHS reports that as infeasible too).
            return try refuted(claimedMaximum: -Tolerance.feasibility)
        case (.optimal, _?) where (outcome.objective ?? 0) > Tolerance.feasibility:
            // The largest margin is negative: no counterexample. HiGHS proved -t >= its dual bound.
            return try refuted(claimedMaximum: -(outcome.bound ?? outcome.objective ?? 0))
        case (.timeLimit, _):
            return .timeout("time ran out in the MILP of \(verificationCase)")
        case (.interrupt, _) where deadline.isInterrupted:
            return .timeout("interrupted in the MILP of \(verificationCase)")
        case (_, _?) where isSmooth:
            return .unknown("the MILP of the enclosure of \(verificationCase) found a point that is not a counterexample on the smooth network; more --pwl-segments make the enclosure tighter")
        case (_, _?):
            return .unknown("the MILP of \(verificationCase) found a point that is not a counterexample on the network (numerics)")
        default:
            return .unknown("HiGHS stopped on the MILP of \(verificationCase) with status \(outcome.solverStatus)")
        }
    }
}

extension PropertyVerification {
    /// A counterexample found by projected gradient descent on the (smooth) network from `start`
    /// toward the property's violation, confirmed by `check`; nil when the descent ends short of one.
    func descended(from start: [[Double]], check: CounterexampleCheck, deadline: Deadline) throws -> Counterexample? {
        let projection = try DomainProjection(spec: spec, symbols: SymbolTable(graph: graph))
        let descent = ProjectedGradient(graph: graph, score: PointScore(spec: spec, goal: .counterexample), projection: projection)
        return check.confirm(try descent.descend(from: start, deadline: deadline).inputs)
    }

    /// The margin MILP of one case in each of `boxes` (parts of the input box that input splitting
    /// left, the next to explore last), each bounded afresh by the `cheap` passes over its box and
    /// given an even share of the time left: a counterexample in any, a refutation when every box
    /// is refuted, else the first reason a box stayed open.
    func solveMargins(_ verificationCase: VerificationCase, boxes: [Bounds], cheap: Pipeline, check: CounterexampleCheck,
                      deadline: Deadline, library: HiGHSLibrary, settings: SolverSettings, log: (String) -> Void) throws -> MarginOutcome {
        var open: MarginOutcome?
        var refuted = 0
        for (k, box) in boxes.reversed().enumerated() {
            guard !deadline.hasPassed else { break }
            var part = spec
            part.inputBounds = [box]
            let share = deadline.limited(toSeconds: deadline.remaining / Double(boxes.count - k))
            let bounded = try milpGraph(BoundedNetwork.optimized(graph, spec: part, pipeline: cheap, library: library, deadline: share),
                                        cheap: cheap, library: library, deadline: share)
            let outcome = try solveMargin(verificationCase, over: part, bounded: bounded, check: check, deadline: share,
                                          library: library, settings: settings) { _ in }
            switch outcome {
            case .counterexample: return outcome
            case .refuted: refuted += 1
            case .timeout, .unknown: open = open ?? outcome
            }
        }
        log("MILPs of \(verificationCase) over the \(boxes.count) boxes left: \(refuted) refuted")
        if refuted == boxes.count { return .refuted }
        if deadline.hasPassed { return .timeout("time ran out in the MILPs of the boxes left of \(verificationCase)") }
        return open ?? .timeout("time ran out in the MILPs of the boxes left of \(verificationCase)")
    }
}
