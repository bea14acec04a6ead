/// A HiGHS C function that failed: which one, what it returned, and what it
/// was asked to do.
public struct HiGHSError: Error, Sendable, CustomStringConvertible {
    /// The C function, e.g. "Highs_setBoolOptionValue".
    public var function: String
    /// The `kHighsStatus` value it returned (-1 is `kHighsStatusError`), or
    /// nil when it returned no object (`Highs_create`) or a value outside the
    /// header's constants (`Highs_getModelStatus`).
    public var status: Int32?
    /// What the call was about: the option and value, the model's size...
    public var context: String

    /// Creates an error.
    public init(function: String, status: Int32?, context: String) {
        self.function = function
        self.status = status
        self.context = context
    }

    /// "HiGHS: Highs_run failed (status -1): model status solve error".
    public var description: String {
        "HiGHS: \(function) failed" + (status.map { " (status \($0))" } ?? "") + ": \(context)"
    }
}
