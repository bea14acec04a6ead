"""Checks `nnmip prune`'s ONNX files against onnxruntime, an independent evaluator.

For every ONNX fixture given (default: all of fixtures/onnx that nnmip reads
without --output), the script prunes it twice with the same flags, once to
.onnx and once to .nnir, then feeds random inputs to onnxruntime (on the .onnx)
and to `nnmip eval` (on the .nnir, nnmip's reference evaluator in Float64) and
reports the largest difference. Run it from the repository root with the
fixture venv (benchmarks/fixture-venv.sh makes it):

    .venv-fixtures/bin/python scripts/checks/check_onnx_export.py [--sparsity 0.8] [MODEL.onnx ...]

It prints one line per model and exits 1 if any difference exceeds 1e-4
relative (float32 arithmetic in onnxruntime against Float64 in nnmip).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

NNMIP = Path(".build/release/nnmip")


def nnmip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(NNMIP), *args], capture_output=True, text=True)


def check(model: Path, sparsity: float, extra: list[str], work: Path) -> tuple[str, float | None]:
    pruned_onnx = work / f"{model.stem}.onnx"
    pruned_ir = work / f"{model.stem}.nnir"
    for target in (pruned_onnx, pruned_ir):
        result = nnmip("prune", str(model), "--sparsity", str(sparsity), *extra, "-o", str(target))
        if result.returncode != 0:
            return f"skipped ({result.stderr.strip().splitlines()[-1]})", None
    onnx.checker.check_model(onnx.load(str(pruned_onnx)), full_check=True)
    session = ort.InferenceSession(str(pruned_onnx), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(5):
        feeds = {i.name: rng.uniform(-1, 1, size=i.shape).astype(np.float32) for i in session.get_inputs()}
        expected = np.concatenate([o.ravel() for o in session.run(None, feeds)]).astype(np.float64)
        point = work / "x.json"
        if len(feeds) == 1:
            point.write_text(json.dumps([float(v) for v in next(iter(feeds.values())).ravel()]))
        else:
            point.write_text(json.dumps({k: [float(v) for v in a.ravel()] for k, a in feeds.items()}))
        result = nnmip("eval", str(pruned_ir), "--input", str(point))
        if result.returncode != 0:
            return f"nnmip eval failed: {result.stderr.strip()}", None
        actual = np.array([float(line) for line in result.stdout.split()])
        scale = max(1.0, float(np.max(np.abs(expected))))
        worst = max(worst, float(np.max(np.abs(actual - expected))) / scale)
    return "ok", worst


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("models", nargs="*", type=Path)
    parser.add_argument("--sparsity", type=float, default=0.8)
    parser.add_argument("--structured", action="store_true")
    args = parser.parse_args()
    models = args.models or sorted(Path("fixtures/onnx").glob("*.onnx"))
    extra = ["--structured"] if args.structured else []
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        for model in models:
            status, worst = check(model, args.sparsity, extra, Path(folder))
            if worst is not None and worst > 1e-4:
                status, failed = "MISMATCH", True
            print(f"{model.name:45s} {status:10s} {'' if worst is None else f'max relative difference {worst:.2e}'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
