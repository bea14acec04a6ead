import ArgumentParser
import NNMIPKit

extension SurrogatePruning {
    /// The sparse surrogates of a `--surrogate` value (`prune=0.9,0.8`, `prune-random=S`, `prune-neurons=S`),
    /// for `solve` and `verify` alike.
    static func option(_ text: String) throws -> [SurrogatePruning] {
        guard let list = parseList(text) else {
            throw ValidationError("--surrogate '\(text)': expected METHOD=S or METHOD=S1,S2,... (METHOD prune, prune-random or prune-neurons) with sparsities in [0, 1)")
        }
        return list
    }
}
