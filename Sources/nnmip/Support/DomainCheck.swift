import NNMIPKit

/// The check of a command's input domain before any work: every input element must be bounded
/// (an error whose fix names what this command can give), and an empty domain, a problem whose
/// answer is that nothing is feasible, is said in a warning.
enum DomainCheck {
    /// Checks `spec`'s domain for the network `symbols` describe; `fix` says how to bound an element
    /// with this command (`give --input-box LO:HI, ...`). An unbounded element is a usage error (64)
    /// when options make the domain, and the fault of `property` (65) when that file alone does.
    static func check(_ spec: Spec, symbols: SymbolTable, property: String? = nil, fix: (_ input: Int, _ element: Int) -> String) throws {
        if let (t, k, lower) = spec.unboundedElement(symbols: symbols) {
            throw Diagnostic(property == nil ? .usage : .malformedInput, file: property, location: "input '\(symbols.inputs[t].name)'",
                             "element \(k) has no \(lower ? "lower" : "upper") bound; a MILP needs every input element bounded: \(fix(t, k))")
        }
        if let reason = spec.emptyDomainReason(symbols: symbols) {
            Diagnostics.report(Diagnostic(.usage, severity: .warning, "the input domain is empty (\(reason)), so no input is feasible"))
        }
    }
}
