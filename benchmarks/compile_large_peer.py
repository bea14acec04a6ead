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
import warnings

import numpy as np
import onnx
from onnx import numpy_helper
from pyscipopt import Model
from pyscipopt_ml.add_predictor import add_predictor_constr
from sklearn.neural_network import MLPRegressor


def regressor(path: str) -> MLPRegressor:
    """An MLPRegressor whose layers are the Gemm(transB=1) layers of make_dense_network.py's file."""
    weights = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in onnx.load(path).graph.initializer}
    layers = sorted({name.split(".")[0] for name in weights}, key=lambda n: int(n[2:]))
    coefs = [weights[f"{layer}.weight"].T for layer in layers]
    intercepts = [weights[f"{layer}.bias"] for layer in layers]
    sizes = [c.shape[1] for c in coefs[:-1]]
    model = MLPRegressor(hidden_layer_sizes=sizes, activation="relu", max_iter=1)
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one iteration does not converge; the weights are replaced below
        model.fit(rng.random((4, coefs[0].shape[0])), rng.random((4, coefs[-1].shape[1])))
    model.coefs_, model.intercepts_ = coefs, intercepts
    return model


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
