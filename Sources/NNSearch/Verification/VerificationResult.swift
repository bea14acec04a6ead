/// The answers of the VNN-COMP result format.
public enum VerificationAnswer: String, Sendable {
    /// A counterexample exists (and was checked on the network).
    case sat
    /// No input in the domain violates the property.
    case unsat
    /// The time ran out first.
    case timeout
    /// Neither could be established (a solver failure, or a MILP point that
    /// did not hold up on the network).
    case unknown
}

/// The stages of `PropertyVerification`, by the names reports give them (`verify --format json`'s `stage`).
public enum VerificationStage: String, Sendable, CaseIterable {
    /// The bounds passes, whose output bounds rule cases out.
    case bounds
    /// The box center and the random points and corners.
    case sampling
    /// The local searches on the network: gradient descents and the pattern search from the sampled
    /// points closest to a counterexample, region walks, and the gradient restarts of the attack.
    case localSearch = "local-search"
    /// The margin MILPs of pruned surrogates (`--surrogate`).
    case surrogate
    /// Branch and bound over the input box with symbolic bounds.
    case inputSplitting = "input-splitting"
    /// Branch and bound over ReLU splits with optimised linear bounds.
    case branchAndBound = "branch-and-bound"
    /// The margin MILP of each case on the embedded HiGHS.
    case milp
}

/// An input that violates a property, clamped into the input box, with the
/// network's outputs there by the reference evaluator.
public typealias Counterexample = (inputs: [[Double]], outputs: [[Double]])

/// The outcome of `PropertyVerification.run`.
public struct VerificationResult: Sendable {
    /// The answer.
    public var answer: VerificationAnswer
    /// For `sat`: the input and the network's outputs there, by the reference evaluator.
    public var counterexample: Counterexample?
    /// How the answer was reached, for people ("random point 17", "bounds", "MILP of disjunct 2").
    public var reason: String
    /// The stage that gave the answer: for `sat` the one that found the counterexample, for `unsat`
    /// the last one that ruled a case out, for `timeout` and `unknown` the one that was running when
    /// the run ended.
    public var stage: VerificationStage
    /// Wall-clock seconds.
    public var seconds: Double
}
