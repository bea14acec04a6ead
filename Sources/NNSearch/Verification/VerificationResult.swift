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
    /// Wall-clock seconds.
    public var seconds: Double
}
