// NNMIPKit: the nnmip pipeline as a library, for Swift programs that want it
// without the command-line tool. It re-exports the IR and the front ends.
@_exported import NNIR
@_exported import NNImport
