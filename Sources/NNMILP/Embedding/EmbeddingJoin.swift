import NNIR

/// A user's model with networks embedded: one MILP for any solver.
///
/// Its columns are the plan's (the user's, verbatim, then the new ones), then
/// each instance's formulation columns, renamed `NAME.` + the formulation's
/// name; its rows are the user's, then each instance's, renamed likewise.
public struct EmbeddedModel: Sendable {
    /// One network instance inside the model.
    public struct Instance: Sendable {
        /// The instance's name.
        public var name: String
        /// What feeds each input element (a column of `model` or a constant), in flattened order.
        public var inputs: [EmbeddingPlan.InputSource]
        /// The column of `model` that holds each output element, in flattened order.
        public var outputs: [Int]
        /// The columns of `model` that the instance added.
        public var columns: Range<Int>
        /// The rows of `model` that the instance added.
        public var rows: Range<Int>
        /// Its formulation's map from columns to network neurons (in the formulation's own numbering:
        /// `columnOfFormulation` gives each one's column in `model`).
        public var names: NameMap
        /// Each formulation column's column in `model`, nil for an input fixed to a constant.
        public var columnOfFormulation: [Int?]
        /// The formulation's counts.
        public var statistics: FormulationStatistics
    }

    /// The combined MILP.
    public var model: MILPModel
    /// How many of its columns are the user's own.
    public var userColumnCount: Int
    /// How many of its rows are the user's own.
    public var userRowCount: Int
    /// The instances, in order.
    public var instances: [Instance]
    /// The combined model's counts, with every instance's layers.
    public var statistics: FormulationStatistics
}

/// Joins each instance's formulation (from the existing `Formulator`) to the
/// user's model of an `EmbeddingPlan`.
///
/// A formulation's input columns become the columns (or constants) that feed
/// them: a constant is folded into the rows' right-hand sides. An output
/// column becomes the column that holds the output, whose bounds are then
/// the user's bounds intersected with the network's (the network's are
/// implied by its rows, and the user's were never used to bound the network);
/// where that cannot be (the output is an input column, or the bounds do not
/// meet), a row `NAME.link_yK` equates the two instead. Integrality is kept.
public enum EmbeddingJoin {
    /// The model of `plan` with `formulations[i]` (of instance `i`, whose flattened inputs and outputs
    /// are in the order of its `NameMap`'s tensors) joined in.
    /// - Throws: `Diagnostic(.usage)` when a name the join gives is already a name of the model.
    public static func join(_ plan: EmbeddingPlan, formulations: [Formulation]) throws -> EmbeddedModel {
        precondition(formulations.count == plan.instances.count, "one formulation per instance")
        var model = plan.base
        let userRowCount = model.rowCount
        var instances: [EmbeddedModel.Instance] = []
        for (instance, formulation) in zip(plan.instances, formulations) {
            instances.append(add(formulation, of: instance, to: &model))
        }
        model.objectiveName = uniqueObjectiveName(model)
        try checkUniqueNames(model, userColumns: plan.userColumnCount, userRows: userRowCount)
        var statistics = FormulationStatistics()
        (statistics.variables, statistics.binaries, statistics.constraints, statistics.nonzeros) =
            (model.columnCount, model.integerCount, model.rowCount, model.nonzeroCount)
        statistics.layers = instances.flatMap(\.statistics.layers)
        return EmbeddedModel(model: model, userColumnCount: plan.userColumnCount, userRowCount: userRowCount, instances: instances,
                             statistics: statistics)
    }

    /// Adds `formulation`'s columns and rows for `instance` to `model`.
    private static func add(_ formulation: Formulation, of instance: EmbeddingPlan.Instance, to model: inout MILPModel) -> EmbeddedModel.Instance {
        let f = formulation.model, prefix = "\(instance.name)."
        var target = [Int?](repeating: nil, count: f.columnCount)
        var constant = [Double?](repeating: nil, count: f.columnCount)
        for (k, column) in formulation.names.inputs.flatMap(\.columns).enumerated() {
            switch instance.inputs[k] {
            case .column(let c): target[column] = c
            case .constant(let value): constant[column] = value
            }
        }
        // Outputs held by a column of the model take that column's place where they can.
        var links: [(output: Int, holder: Int, k: Int)] = []
        for (k, column) in formulation.names.outputs.flatMap(\.columns).enumerated() {
            let holder = instance.outputs[k]
            let (lower, upper) = (max(model.columnLower[holder], f.columnLower[column]), min(model.columnUpper[holder], f.columnUpper[column]))
            if target[column] == nil, constant[column] == nil, lower <= upper {
                target[column] = holder
                model.setBounds(holder, lower: lower, upper: upper)
            } else {
                links.append((column, holder, k))
            }
        }
        let firstColumn = model.columnCount
        for c in 0..<f.columnCount where target[c] == nil && constant[c] == nil {
            target[c] = model.addColumn(prefix + f.columnNames[c], lower: f.columnLower[c], upper: f.columnUpper[c], integer: f.columnIsInteger[c])
        }
        let firstRow = model.rowCount
        for r in 0..<f.rowCount {
            var shift = 0.0
            for (c, coefficient) in f.row(r) {
                if let value = constant[c] { shift += coefficient * value } else { model.addEntry(target[c]!, coefficient) }
            }
            let (lower, upper) = f.rowBounds(r)
            model.finishRow(prefix + f.rowNames[r], lower: lower - shift, upper: upper - shift)
        }
        for (output, holder, k) in links {
            // holder − output = 0, with a constant output moved to the right-hand side.
            model.addEntry(holder, 1)
            if let value = constant[output] {
                model.finishRow("\(prefix)link_y\(k)", .equal, value)
            } else {
                model.addEntry(target[output]!, -1)
                model.finishRow("\(prefix)link_y\(k)", .equal, 0)
            }
        }
        return EmbeddedModel.Instance(name: instance.name, inputs: instance.inputs, outputs: instance.outputs,
                                      columns: firstColumn..<model.columnCount, rows: firstRow..<model.rowCount,
                                      names: formulation.names, columnOfFormulation: target, statistics: formulation.statistics)
    }

    /// `obj`, or `obj_1`, `obj_2`, ... when a row of the model already has the name.
    private static func uniqueObjectiveName(_ model: MILPModel) -> String {
        let rows = Set(model.rowNames)
        var name = "obj", k = 0
        while rows.contains(name) {
            k += 1
            name = "obj_\(k)"
        }
        return name
    }

    /// Refuses a model in which a name the join gave is also a name of the user's.
    private static func checkUniqueNames(_ model: MILPModel, userColumns: Int, userRows: Int) throws {
        for (kind, names, userCount) in [("column", model.columnNames, userColumns), ("row", model.rowNames, userRows)] {
            var seen: [String: Int] = [:]
            seen.reserveCapacity(names.count)
            for (i, name) in names.enumerated() {
                if let earlier = seen.updateValue(i, forKey: name) {
                    let owner = earlier < userCount ? "the model's own \(kind)" : "another \(kind) of an embedded network"
                    throw Diagnostic(.usage, location: "\(kind) '\(name)'",
                                     "an embedded network's \(kind) would have the name of \(owner); rename the network instance")
                }
            }
        }
    }
}
