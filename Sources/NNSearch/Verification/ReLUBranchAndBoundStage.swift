import NNIR
import NNPasses
import NNSolve

extension PropertyVerification {
    /// The share of the time left that branch and bound over ReLU splits gets; the MILPs of the
    /// cases it leaves open get the rest. On mnistfc at 60 s, the MILPs after half of the time in
    /// branch and bound decided none of the 11 instances it left open.
    static let branchingShare = 0.8

    /// What branch and bound over ReLU splits established for the open cases.
    enum BranchingOutcome {
        /// A checked counterexample.
        case counterexample(Counterexample)
        /// The cases (of those given) that it could not close, empty when it refuted them all, and the
        /// network with the bounds it started from (the MILPs' formulation takes them).
        case open([VerificationCase], bounded: Graph)
    }

    /// Branch and bound over ReLU splits (`ReLUBranchAndBound`) for the open cases of a network it
    /// applies to (`ReLUBranchAndBound.applies`, which the caller checks), within `branchingShare` of the time left, on
    /// `branchingWorkers` threads (the attack `beside` ends first when there are several). Its root
    /// gets `bounds-alpha`'s intermediate bounds first when the passes did not compute them: every
    /// domain's relaxations start from those bounds, so they pay many times over.
    func branchOnReLUs(_ cases: [VerificationCase], bounded: Graph, check: CounterexampleCheck, beside: ConcurrentAttack?,
                       deadline: Deadline, library: HiGHSLibrary, log: (String) -> Void) throws -> BranchingOutcome {
        // A counterexample the attack found has stopped the stages; the run reports it.
        if branchingWorkers > 1, try beside?.yieldCore() != nil { return .open(cases, bounded: bounded) }
        let budget = deadline.share(Self.branchingShare)
        var root = bounded
        if !passes.entries.contains(where: { $0.name == "bounds-alpha" }) {
            root = try BoundedNetwork.refined(bounded, pipeline: Pipeline(parsing: "bounds-alpha"), library: library, deadline: budget)
        }
        guard let search = ReLUBranchAndBound(bounded: root, cases: cases) else { return .open(cases, bounded: root) }
        let outcome = search.run(deadline: budget, workers: branchingWorkers, check: check) { explored, pending in
            log("branch and bound: \(explored) domains bounded, \(pending) pending")
        }
        switch outcome {
        case .counterexample(let found):
            log("branch and bound: counterexample")
            return .counterexample(found)
        case .refuted(let domains):
            log("branch and bound: no counterexample in \(domains) domains")
            return .open([], bounded: root)
        case .undecided(let open, let domains, let left):
            log("branch and bound: \(open.count) of \(cases.count) cases open after \(domains) domains (\(left) pending); trying the MILP")
            return .open(open.map { cases[$0] }, bounded: root)
        }
    }
}
