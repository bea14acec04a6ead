#!/usr/bin/env bash
# Benchmark of the evaluations the searches make (sampled starts, gradient steps), whose dense layers
# go through OpenBLAS: points/s of the reference Evaluator one point at a time and of BatchEvaluator on
# batches of 10 and 100, and gradient steps/s, on random dense networks from
# benchmarks/make_dense_network.py. It is a measurement, not a test; it builds first (under the build
# lock), then measures holding the lock.
#
#   benchmarks/evaluator.sh [SECONDS_PER_FIGURE]      (default 2)
#   BENCHMARK=path/to/nnmip-evaluator-benchmark benchmarks/evaluator.sh     (a binary already built)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
. benchmarks/fixture-venv.sh
benchmark=${BENCHMARK:-.build/release/nnmip-evaluator-benchmark}
[ -n "${BENCHMARK:-}" ] || flock /tmp/nnmip-build.lock swift build -c release --product nnmip-evaluator-benchmark >/dev/null
mkdir -p bench-out
# The measurements hold the build lock, so that no build on the shared machine runs beside them.
exec 9>/tmp/nnmip-build.lock
flock 9
for sizes in "784 256 256 256 256 256 256 10" "784 1024 1024 1024 10" "1000 2000 2000 1"; do
  read -ra layers <<<"$sizes"
  model=bench-out/dense_$(tr ' ' _ <<<"$sizes").onnx
  [ -f "$model" ] || .venv-fixtures/bin/python benchmarks/make_dense_network.py "$model" "${layers[@]}"
  "$benchmark" "$model" "${1:-2}"
done
