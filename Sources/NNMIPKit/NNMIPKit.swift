// NNMIPKit: the nnmip pipeline as a library, for Swift programs that want it
// without the command-line tool. It re-exports every stage: the IR, the front
// ends, the passes, specs, the MILP back end and the solver (HiGHS, loaded at
// run time).
@_exported import NNIR
@_exported import NNExport
@_exported import NNImport
@_exported import NNMILP
@_exported import NNPasses
@_exported import NNSolve
@_exported import NNSpec
