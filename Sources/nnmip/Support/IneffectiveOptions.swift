import ArgumentParser

/// Options that the rest of a command line leaves without effect are refused (exit 64), never
/// ignored without a word: each command's `validate()` lists its cases, each with the option as
/// typed, whether it was given where it does nothing, and why it would do nothing.
enum IneffectiveOptions {
    /// One case: `option` (`--names`) is `ignored` on this command line, because of `reason`.
    typealias Case = (option: String, ignored: Bool, reason: String)

    /// Throws for the first case that holds: "--names has no effect here: REASON".
    static func refuse(_ cases: [Case]) throws {
        if let found = cases.first(where: \.ignored) {
            throw ValidationError("\(found.option) has no effect here: \(found.reason)")
        }
    }
}
