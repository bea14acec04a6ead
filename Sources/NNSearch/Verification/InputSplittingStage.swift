import NNIR

extension PropertyVerification {
    /// What the input-splitting stage established for one case.
    enum SplittingOutcome {
        /// A checked counterexample.
        case counterexample(Counterexample)
        /// No box of the input domain holds a counterexample of the case.
        case refuted
        /// The stage could not decide the case in the boxes it left (none: it does not apply to the
        /// case, or left too many): the MILPs follow.
        case undecided(boxes: [Bounds])
    }

    /// The share of the time left that input splitting gets for one case; the MILPs get the rest if
    /// they must. On ACAS Xu, splitting decides most cases in a second, and the MILPs the rest.
    static let splittingShare = 0.25
    /// The most boxes left by splitting that get a MILP each; with more, one MILP takes the whole box.
    static let boxMILPs = 256

    /// Stage 3: branch and bound over the input box (`InputSplitting`) for a network with few inputs.
    func splitInputs(_ verificationCase: VerificationCase, check: CounterexampleCheck, deadline: Deadline,
                     log: (String) -> Void) throws -> SplittingOutcome {
        guard splitsInputs, let splitting = InputSplitting(graph: graph, constraints: verificationCase.constraints, box: check.box[0])
        else { return .undecided(boxes: []) }
        let budget = deadline.share(Self.splittingShare)
        var found: Counterexample?
        let outcome = try splitting.run(deadline: budget) { center in
            found = check.confirm([center])
            return found != nil
        }
        switch outcome {
        case .counterexample:
            log("input splitting of \(verificationCase): counterexample")
            return found.map { .counterexample($0) } ?? .undecided(boxes: [])
        case .refuted(let explored):
            log("input splitting of \(verificationCase): no counterexample in \(explored) boxes")
            return .refuted
        case .undecided(let boxes, let explored):
            let each = boxes.count <= Self.boxMILPs
            log("input splitting of \(verificationCase): \(boxes.count) boxes left after \(explored); trying \(each ? "a MILP for each" : "the MILP")")
            return .undecided(boxes: each ? boxes : [])
        }
    }
}
