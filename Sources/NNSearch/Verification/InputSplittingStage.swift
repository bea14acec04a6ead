import NNIR

extension PropertyVerification {
    /// What the input-splitting stage established for one case.
    enum SplittingOutcome {
        /// A checked counterexample.
        case counterexample(Counterexample)
        /// No box of the input domain holds a counterexample of the case.
        case refuted
        /// The stage could not decide the case (or does not apply to it): the MILP follows.
        case undecided
    }

    /// The share of the time left that input splitting gets for one case; the MILP gets the rest if it
    /// must. On ACAS Xu, splitting decides most cases in a second, and the MILP the rest.
    static let splittingShare = 0.25

    /// Stage 3: branch and bound over the input box (`InputSplitting`) for a network with few inputs.
    func splitInputs(_ verificationCase: VerificationCase, check: CounterexampleCheck, deadline: Deadline,
                     log: (String) -> Void) throws -> SplittingOutcome {
        guard splitsInputs, let splitting = InputSplitting(graph: graph, constraints: verificationCase.constraints, box: check.box[0])
        else { return .undecided }
        let budget = deadline.share(Self.splittingShare)
        var found: Counterexample?
        let outcome = try splitting.run(deadline: budget) { center in
            found = check.confirm([center])
            return found != nil
        }
        switch outcome {
        case .counterexample:
            log("input splitting of \(verificationCase): counterexample")
            return found.map { .counterexample($0) } ?? .undecided
        case .refuted(let explored):
            log("input splitting of \(verificationCase): no counterexample in \(explored) boxes")
            return .refuted
        case .undecided(let left, let explored):
            log("input splitting of \(verificationCase): \(left) boxes left after \(explored); trying the MILP")
            return .undecided
        }
    }
}
