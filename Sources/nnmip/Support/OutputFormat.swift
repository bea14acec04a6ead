import ArgumentParser
import NNMIPKit

/// Output formats of commands that print results (`inspect`, `eval`, `solve`).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The MILP file formats of `compile --format` (mps, fixed-mps, lp).
extension MILPFileFormat: ExpressibleByArgument {}
