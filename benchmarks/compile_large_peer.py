"""The peer's side of benchmarks/compile_large.sh: PySCIPOpt-ML builds the same MILP as
`nnmip compile MODEL --input-box 0:1 --maximize y0` (inputs in [0, 1], maximise output 0, each ReLU
in its default formulation) and SCIP writes it as MPS. Prints the seconds from the loaded weights to
the written file, and the MPS size in bytes.

    .venv-embedding/bin/python benchmarks/compile_large_peer.py MODEL.onnx OUT.mps [sos|bigm]

The network is handed over as a scikit-learn MLPRegressor holding the ONNX file's weights (PySCIPOpt-ML
reads no ONNX); the time counts the formulation and the writing only, not reading the ONNX file.
"""
import sys
import time

import numpy as np
from pyscipopt import Model
from pyscipopt_ml.add_predictor import add_predictor_constr

from onnx_regressor import regressor


def main() -> None:
    path, out = sys.argv[1], sys.argv[2]
    formulation = sys.argv[3] if len(sys.argv) > 3 else "sos"
    network = regressor(path)
    start = time.perf_counter()
    scip = Model()
    scip.hideOutput()
    inputs = np.array([[scip.addVar(lb=0, ub=1, name=f"x{i}") for i in range(network.coefs_[0].shape[0])]])
    outputs = np.array([[scip.addVar(lb=None, ub=None, name=f"y{i}") for i in range(network.coefs_[-1].shape[1])]])
    add_predictor_constr(scip, network, inputs, outputs, unique_naming_prefix="net_", formulation=formulation)
    scip.setObjective(outputs[0, 0], sense="maximize")
    scip.writeProblem(out, verbose=False)
    seconds = time.perf_counter() - start
    with open(out, "rb") as written:
        size = written.seek(0, 2)
    print(f"{seconds:.3f} {size}")


if __name__ == "__main__":
    main()
