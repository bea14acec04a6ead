import NNIR
import NNSpec

/// What identifies a compiled MILP for `solution read`: the network (its IR
/// with every weight, so the file format and path do not matter) and the
/// spec, hashed together with SHA-256. `compile --names` stores the hash and
/// the spec in the name map; `solution read` recomputes the hash from the
/// model it loads and the spec in the map, and refuses a solution when they
/// differ.
public struct ModelIdentity: Sendable {
    /// `sha256:` and 64 hexadecimal digits.
    public let hash: String
    /// The spec, as the name map records it (`SpecRecord`).
    public let specJSON: String

    /// The identity of `graph` (the network as loaded, before the passes) under `spec`.
    public init(graph: Graph, spec: Spec) {
        specJSON = SpecRecord.json(spec)
        var digest = SHA256()
        digest.update("nnmip-model-identity-1\n")
        digest.update(IRPrinter(elideListsLongerThan: nil).print(graph))
        digest.update("\n")
        digest.update(specJSON)
        hash = "sha256:" + digest.hexDigest()
    }
}
