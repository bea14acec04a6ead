// NNMIPKit: the nnmip pipeline as a library, for Swift programs that want it
// without the command-line tool. It re-exports every stage: the IR, the input
// reader, the front ends, the passes, specs, the MILP back end, the solver
// (HiGHS, loaded at run time) and the search algorithms; and it holds the
// compile facade (`Compilation`, `ModelExport`, the `--stats` instrumentation).
@_exported import NNIR
@_exported import NNExport
@_exported import NNImport
@_exported import NNInput
@_exported import NNMILP
@_exported import NNPasses
@_exported import NNSearch
@_exported import NNSolve
@_exported import NNSpec
