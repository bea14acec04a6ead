import Foundation

/// A vector as nnmip's reports print it, `[v0, v1, ...]`, each number in the
/// shortest form that reads back to the same Float64.
func vectorText(_ values: [Double]) -> String {
    "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
}

/// A number for progress lines: short, "-" when infinite or unknown.
func formatNumber(_ value: Double) -> String {
    value.isFinite ? String(format: "%.6g", value) : "-"
}

/// Seconds as reports print them, with `decimals` digits after the point.
func secondsText(_ seconds: Double, decimals: Int) -> String {
    String(format: "%.\(decimals)f", seconds)
}
