// NNMIPKit: the nnmip pipeline as a library, for Swift programs that want it
// without the command-line tool. It re-exports every stage: the IR, the front
// ends, the passes, specs and the MILP back end.
@_exported import NNIR
@_exported import NNImport
@_exported import NNMILP
@_exported import NNPasses
@_exported import NNSpec
