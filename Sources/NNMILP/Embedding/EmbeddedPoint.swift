import NNIR

extension EmbeddingPlan {
    /// The value of every column of `base` in `solution`, read from `file`: by name, as zero where
    /// the format leaves zeros out (SCIP, CBC), or by column number (GLPK; the model's columns and
    /// then the new ones come first in the combined file, in `base`'s order). A new output column
    /// (`NAME.yK`) that the solution lacks is returned in `missingOutputs` (see `EmbeddedSolutionCheck`).
    /// - Throws: `Diagnostic(.malformedInput)` naming `file` and the first other column it lacks.
    public func point(in solution: SolutionFile, file: String) throws -> (values: [Double], missingOutputs: Set<Int>) {
        let newOutputs = Set(instances.flatMap(\.outputs).filter { $0 >= userColumnCount })
        var missing = Set<Int>()
        let values = try base.columnNames.enumerated().map { c, name -> Double in
            if let value = solution.valuesByName[name] ?? solution.valuesByColumn[c] { return value }
            if solution.omitsZeros { return 0 }
            guard newOutputs.contains(c) else {
                throw Diagnostic(.malformedInput, file: file, location: "column '\(name)'",
                                 "the solution (\(solution.format)) has no value for it; was it written for this model?")
            }
            missing.insert(c)
            return .nan
        }
        return (values, missing)
    }
}
