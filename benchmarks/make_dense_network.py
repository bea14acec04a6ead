"""Writes a dense network as ONNX for nnmip's benchmarks.

    python benchmarks/make_dense_network.py OUT.onnx [--activation Sigmoid] 784 1024 1024 1024 1024 10

Layer sizes are given input first; every hidden layer is Gemm(transB=1) + the activation (Relu unless
--activation names another ONNX operator, such as Sigmoid or Tanh), the last Gemm has none.
Weights are seeded random float32 (He initialization), stored as raw_data as PyTorch exports them.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main() -> None:
    out, rest = sys.argv[1], sys.argv[2:]
    activation = "Relu"
    if rest[:1] == ["--activation"]:
        activation, rest = rest[1], rest[2:]
    sizes = [int(s) for s in rest]
    rng = np.random.default_rng(2026)
    nodes, inits = [], []
    current = "input"
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        w = (rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        b = (rng.standard_normal(fan_out) * 0.01).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"fc{i}.weight"), numpy_helper.from_array(b, f"fc{i}.bias")]
        last = i == len(sizes) - 2
        gemm_out = "output" if last else f"fc{i}"
        nodes.append(helper.make_node("Gemm", [current, f"fc{i}.weight", f"fc{i}.bias"], [gemm_out], name=f"fc{i}", transB=1))
        if not last:
            nodes.append(helper.make_node(activation, [gemm_out], [f"act{i}"], name=f"act{i}"))
            current = f"act{i}"
    graph = helper.make_graph(nodes, "dense",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, sizes[0]])],
                              [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, sizes[-1]])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="nnmip-benchmark")
    model.ir_version = 7
    onnx.save(model, out)


if __name__ == "__main__":
    main()
