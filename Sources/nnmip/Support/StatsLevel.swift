import ArgumentParser

/// How much `--stats` prints (`compile`, `prune`): the totals, or the totals and every layer.
enum StatsLevel: String, ExpressibleByArgument, CaseIterable {
    case summary
    case layers
}
