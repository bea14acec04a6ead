/// A model's phase-one LP: how far from feasible each point is, in a few of its
/// rows and column bounds, as an objective to minimize.
///
/// Every column is continuous and keeps its bounds, except those of
/// `elasticBounds`, whose bounds become a row of their own; each row of
/// `elasticRows` and each such bound row gets two slack columns (one that
/// raises the row's activity, one that lowers it), and the objective is their
/// sum. Its optimum is 0 exactly when the LP with those rows and bounds as
/// given is feasible; otherwise it is the least total violation.
public extension MILPModel {
    /// This model with `elasticRows` and the bounds of the columns `elasticBounds` elastic, as above.
    func elastic(rows elasticRows: Set<Int>, bounds elasticBounds: [Int]) -> MILPModel {
        var model = MILPModel(name: name + "_elastic")
        model.sense = .minimize
        let freed = Set(elasticBounds)
        for c in 0..<columnCount {
            let free = freed.contains(c)
            _ = model.addColumn(columnNames[c], lower: free ? -.infinity : columnLower[c], upper: free ? .infinity : columnUpper[c])
        }
        func slacks(_ label: String) -> (raise: Int, lower: Int) {
            let raise = model.addColumn("elastic_\(model.columnCount)_raise_\(label)", lower: 0, upper: .infinity)
            let lower = model.addColumn("elastic_\(model.columnCount)_lower_\(label)", lower: 0, upper: .infinity)
            model.setObjective(raise, 1)
            model.setObjective(lower, 1)
            return (raise, lower)
        }
        let rowSlacks = (0..<rowCount).map { elasticRows.contains($0) ? slacks(rowNames[$0]) : nil }
        let boundSlacks = elasticBounds.map { slacks(columnNames[$0]) }
        for r in 0..<rowCount {
            let (low, high) = rowBounds(r)
            guard low.isFinite || high.isFinite else { continue }  // a free row bounds nothing
            for (c, coefficient) in row(r) { model.addEntry(c, coefficient) }
            if let (raise, lower) = rowSlacks[r] {
                model.addEntry(raise, 1)
                model.addEntry(lower, -1)
            }
            model.finishRow(rowNames[r], lower: low, upper: high)
        }
        for (c, (raise, lower)) in zip(elasticBounds, boundSlacks) where columnLower[c].isFinite || columnUpper[c].isFinite {
            model.addEntry(c, 1)
            model.addEntry(raise, 1)
            model.addEntry(lower, -1)
            model.finishRow("elastic_bound_\(columnNames[c])", lower: columnLower[c], upper: columnUpper[c])
        }
        return model
    }
}
