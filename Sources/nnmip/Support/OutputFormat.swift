import ArgumentParser

/// Output formats of commands that print results (`inspect`, `eval`, `solve`).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
