/// One local rewrite of `canonicalize`, after MLIR's RewritePattern: it looks
/// at one node and, when it matches, rewrites that node in place, keeping the
/// value the node defines (so bounds stay valid).
struct RewritePattern: Sendable {
    /// What the pattern does, as the pass's remark counts it.
    let name: String
    /// Rewrites node `index` if the pattern matches there; returns whether it did.
    let apply: @Sendable (inout RewriteGraph, Int) -> Bool

    /// A pattern called `name` that `apply` implements.
    init(_ name: String, _ apply: @escaping @Sendable (inout RewriteGraph, Int) -> Bool) {
        self.name = name
        self.apply = apply
    }
}
