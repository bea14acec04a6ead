"""The peer's side of benchmarks/smooth_activations.sh: PySCIPOpt-ML puts the network into a SCIP
model as it is (its sigmoid or tanh as SCIP's own nonlinear expressions, so SCIP solves the exact
MINLP by spatial branch and bound), maximises output 0 over [0, 1]^n and stops at the time limit.
Prints one line: seconds, SCIP's status, its primal and dual bounds, and the input of its best point
as JSON (for `nnmip eval`).

    .venv-embedding/bin/python benchmarks/smooth_activations_peer.py MODEL.onnx SECONDS

The network is handed over as a scikit-learn MLPRegressor holding the ONNX file's weights (the
activation read from the file's node types); PySCIPOpt-ML reads no ONNX.
"""
import json
import sys
import time

import numpy as np
from pyscipopt import Model
from pyscipopt_ml.add_predictor import add_predictor_constr

from onnx_regressor import regressor


def main() -> None:
    path, seconds = sys.argv[1], float(sys.argv[2])
    network = regressor(path)
    start = time.perf_counter()
    scip = Model()
    scip.hideOutput()
    n = network.coefs_[0].shape[0]
    x = np.array([[scip.addVar(lb=0, ub=1, name=f"x{i}") for i in range(n)]])
    y = np.array([[scip.addVar(lb=None, ub=None, name="y0")]])
    add_predictor_constr(scip, network, x, y, unique_naming_prefix="net_")
    scip.setObjective(y[0, 0], "maximize")
    scip.setParam("limits/time", max(1.0, seconds - (time.perf_counter() - start)))
    scip.setParam("parallel/maxnthreads", 1)
    scip.optimize()
    elapsed = time.perf_counter() - start
    best = scip.getBestSol() if scip.getNSols() > 0 else None
    point = [scip.getSolVal(best, v) for v in x[0]] if best is not None else None
    primal = scip.getPrimalbound() if best is not None else float("nan")
    print(f"{elapsed:.2f} {scip.getStatus()} {primal:.9g} {scip.getDualbound():.9g} {json.dumps(point)}")


if __name__ == "__main__":
    main()
