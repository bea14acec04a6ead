/// How the written file names columns and rows.
public enum NamingStyle: Sendable {
    /// The formulation's readable names (`x_l0_n3`, `h_l2_n17`, `r_l2_n17`).
    case readable
    /// `C` or `R` and the index in base 36: at most 8 characters, for solvers and formats with name limits.
    case short
}

extension MILPModel {
    /// The column names in `style`.
    public func columnNames(_ style: NamingStyle) -> [String] {
        style == .readable ? columnNames : (0..<columnCount).map { Self.shortName("C", $0) }
    }

    /// The row names in `style`.
    public func rowNames(_ style: NamingStyle) -> [String] {
        style == .readable ? rowNames : (0..<rowCount).map { Self.shortName("R", $0) }
    }

    private static func shortName(_ prefix: String, _ index: Int) -> String {
        prefix + String(index, radix: 36, uppercase: true)
    }
}
