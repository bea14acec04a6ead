import NNMIPKit

/// The check of a command's input domain before any work: every input element must be bounded
/// (an error whose fix names what this command can give), and an empty domain, a problem whose
/// answer is that nothing is feasible, is said in a warning.
enum DomainCheck {
    /// Checks `spec`'s domain for the network `symbols` describe; `fix` says how to bound an element
    /// with this command (`give --input-box LO:HI, ...`).
    static func check(_ spec: Spec, symbols: SymbolTable, fix: (_ input: Int, _ element: Int) -> String) throws {
        if let (t, k, lower) = spec.unboundedElement(symbols: symbols) {
            throw Diagnostic(.usage, location: "input '\(symbols.inputs[t].name)'",
                             "element \(k) has no \(lower ? "lower" : "upper") bound; a MILP needs every input element bounded: \(fix(t, k))")
        }
        if let reason = spec.emptyDomainReason(symbols: symbols) {
            Diagnostics.report(Diagnostic(.usage, severity: .warning, "the input domain is empty (\(reason)), so no input is feasible"))
        }
    }
}
