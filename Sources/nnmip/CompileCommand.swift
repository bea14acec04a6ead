import ArgumentParser
import NNMIPKit

/// `nnmip compile`: the compiler driver. This build stops at the IR (`--emit-ir`).
struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Translate a network into nnmip IR (--emit-ir).",
        discussion: """
            With --emit-ir the IR that the MILP back ends consume is printed and compilation stops, as \
            clang -emit-llvm does. Tensors longer than 16 values are elided for reading unless --ir-full-weights \
            is given; only a full dump can be read back (nnmip accepts .nnir files wherever it accepts models). \
            The MPS and LP back ends are not part of this build, so --emit-ir is required.
            """
    )

    @OptionGroup var modelOptions: ModelOptions

    @Flag(name: .customLong("emit-ir"), help: "Print the IR and stop.")
    var emitIR = false

    @Flag(name: .customLong("ir-full-weights"), help: "Print every weight in IR dumps (needed to read the dump back).")
    var irFullWeights = false

    // Only the short form: --output names a tensor (see ModelOptions), as in the other subcommands.
    @Option(name: .customShort("o"), help: ArgumentHelp("Write to this file instead of standard output (- for standard output). The file appears only once it is complete.", valueName: "file"))
    var outputFile: String = "-"

    func validate() throws {
        guard emitIR else {
            throw ValidationError("this build of nnmip has no MILP back end yet; use --emit-ir to print the IR")
        }
    }

    func run() throws {
        try reportingErrors {
            let loaded = try modelOptions.load()
            let printer = IRPrinter(elideListsLongerThan: irFullWeights ? nil : 16)
            try AtomicFile.write(printer.print(loaded.graph), to: outputFile)
        }
    }
}
