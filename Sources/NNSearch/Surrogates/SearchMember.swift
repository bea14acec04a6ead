/// A member of the surrogate search's portfolio, as `--members` spells it; every member's points
/// are judged on the original network under its own trace source.
public enum SearchMember: String, CaseIterable, Sendable {
    /// The best of the domain's center and seeded random points, improved by gradient ascent
    /// (sources `sample`, `gradient`): the first incumbent.
    case sample
    /// Projected gradient ascent from seeded random points, restart after restart (source `gradient`).
    case gradient
    /// The region walk (Relax-and-Walk) from the dense LP relaxation's point, then from seeded
    /// random points (source `walk`).
    case walk
    /// The dense MILP's LP relaxation: its input point, evaluated and polished (source `lp-relaxation`).
    case lpRelaxation = "lp-relaxation"
    /// The surrogates' MILPs, the polishing of their points and, with `finishDense`, the dense MILP.
    case milp

    /// The members of a comma-separated list (`walk,milp`), or nil when one is not a member's name
    /// or the list is empty.
    public static func parseList(_ text: String) -> Set<SearchMember>? {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let members = names.compactMap(SearchMember.init(rawValue:))
        guard !names.isEmpty, members.count == names.count else { return nil }
        return Set(members)
    }
}
