/// The one table of every pass nnmip has, as LLVM's PassRegistry.def: the
/// pipeline parser, `nnmip passes` and the manual page all read it.
public enum PassRegistry {
    /// Every pass, in the order `nnmip passes` lists them.
    public static let passes: [any Pass.Type] = [
        CanonicalizePass.self,
        IntervalBoundsPass.self,
        SymbolicBoundsPass.self,
        AlphaBoundsPass.self,
        LPBoundsPass.self,
        DeadNeuronEliminationPass.self,
        PrunePass.self,
        PruneNeuronsPass.self,
        PiecewiseLinearApproximationPass.self,
    ]

    /// The pass called `name`, if any.
    public static func pass(named name: String) -> (any Pass.Type)? {
        passes.first { $0.name == name }
    }

    /// " (did you mean 'X'?)" for a name close to a registered one, else "".
    static func suggestion(for name: String) -> String {
        let close = passes.map { $0.name }.filter { editDistance($0, name) <= 2 || $0.hasPrefix(name) }
        return close.first.map { " (did you mean '\($0)'?)" } ?? ""
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
