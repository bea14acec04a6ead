import Foundation

/// A final Softmax or LogSoftmax that a model applies to an output, which `verify` reads as its
/// logits: both keep the logits' order, and LogSoftmax keeps their differences, so a property that
/// only compares the output's elements means the same on the logits (see `Spec.normalizationConflict`).
public enum OutputNormalization: String, Equatable, Sendable {
    /// `e^z_i / Σ_j e^z_j`: the order of the elements is the logits' order.
    case softmax = "Softmax"
    /// `z_i − log Σ_j e^z_j`: the differences between elements are the logits' differences.
    case logSoftmax = "LogSoftmax"

    /// The normalized values of `logits` (shifted by their maximum, so no exponential overflows).
    public func apply(_ logits: [Double]) -> [Double] {
        guard let top = logits.max() else { return [] }
        let logSum = top + log(logits.reduce(0) { $0 + exp($1 - top) })
        switch self {
        case .softmax: return logits.map { exp($0 - logSum) }
        case .logSoftmax: return logits.map { $0 - logSum }
        }
    }
}
