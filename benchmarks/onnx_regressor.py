"""The peers' view of the benchmarks' networks: a scikit-learn MLPRegressor holding the weights of a
file that make_dense_network.py wrote (Gemm(transB=1) layers named fcK, one activation between them),
since PySCIPOpt-ML reads no ONNX. Used by compile_large_peer.py and smooth_activations_peer.py."""
import warnings

import numpy as np
import onnx
from onnx import numpy_helper
from sklearn.neural_network import MLPRegressor

# ONNX operator -> scikit-learn's name for the activation.
ACTIVATIONS = {"Relu": "relu", "Sigmoid": "logistic", "Tanh": "tanh"}


def regressor(path: str) -> MLPRegressor:
    """An MLPRegressor with the file's layers and activation."""
    model = onnx.load(path)
    weights = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    activation = next(ACTIVATIONS[n.op_type] for n in model.graph.node if n.op_type in ACTIVATIONS)
    layers = sorted({name.split(".")[0] for name in weights}, key=lambda n: int(n[2:]))
    coefs = [weights[f"{layer}.weight"].T for layer in layers]
    intercepts = [weights[f"{layer}.bias"] for layer in layers]
    network = MLPRegressor(hidden_layer_sizes=[c.shape[1] for c in coefs[:-1]], activation=activation, max_iter=1)
    rng = np.random.default_rng(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # one iteration does not converge; the weights are replaced below
        network.fit(rng.random((4, coefs[0].shape[0])), rng.random((4, coefs[-1].shape[1])))
    network.coefs_, network.intercepts_ = coefs, intercepts
    return network
