/// The value of one network scalar in the MILP: `coefficient · column + constant`,
/// or just `constant` when `column` is nil.
///
/// Reshapes, gathers and element-wise scale-and-shift layers cost no
/// variables: they only rewrite the terms of their operands.
struct AffineTerm: Sendable {
    /// The column, if the value depends on one.
    var column: Int?
    /// The column's multiplier.
    var coefficient: Double
    /// The constant part.
    var constant: Double

    /// The value `column` itself.
    static func variable(_ column: Int) -> AffineTerm { AffineTerm(column: column, coefficient: 1, constant: 0) }

    /// A fixed value.
    static func constant(_ value: Double) -> AffineTerm { AffineTerm(column: nil, coefficient: 0, constant: value) }

    /// The column, when the term is exactly that column (coefficient 1, no constant).
    var plainColumn: Int? { coefficient == 1 && constant == 0 ? column : nil }

    /// `scale · self + shift`.
    func scaled(_ scale: Double, plus shift: Double) -> AffineTerm {
        guard let column, scale != 0 else { return .constant(scale * constant + shift) }
        return AffineTerm(column: column, coefficient: scale * coefficient, constant: scale * constant + shift)
    }
}
