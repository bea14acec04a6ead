import ArgumentParser
import NNMIPKit

/// How much `--stats` prints (`compile`, `prune`): the totals, or the totals and every layer.
enum StatsLevel: String, ExpressibleByArgument, CaseIterable {
    case summary
    case layers

    /// Whether this level prints `remark`: `summary` those about the whole graph, `layers` also those about one node.
    func prints(_ remark: PassRemark) -> Bool {
        self == .layers || remark.node == nil
    }
}
