#!/usr/bin/env bash
# Benchmark: time and peak memory of `nnmip inspect` on a 784-1024x4-10 dense ReLU network
# (about 4M weights), and on 784-256-256-10 for scale. Prints a table; it is not a test.
#
#   benchmarks/inspect_large.sh [RUNS]      (default 5 runs each; the median is reported)
#
# Needs the fixture venv (.venv-fixtures, scripts/fixtures/requirements.txt) to write the networks
# and /usr/bin/time (Debian: time) for peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
. scripts/env.sh
if [ ! -x .venv-fixtures/bin/python ]; then
  python3 -m venv .venv-fixtures
  .venv-fixtures/bin/pip install -q -r scripts/fixtures/requirements.txt
fi
swift build -c release >/dev/null
mkdir -p bench-out
declare -A nets=([dense_784_1024x4_10]="784 1024 1024 1024 1024 10" [dense_784_256x2_10]="784 256 256 10")

printf '%-24s %10s %10s %12s %12s %8s\n' network weights "file MB" "median s" "peak RSS MB" "RSS/file"
for name in dense_784_256x2_10 dense_784_1024x4_10; do
  model=bench-out/$name.onnx
  [ -f "$model" ] || .venv-fixtures/bin/python benchmarks/make_dense_network.py "$model" ${nets[$name]}
  times=(); peak=0
  for _ in $(seq "$runs"); do
    read -r seconds kb < <( { /usr/bin/time -f '%e %M' .build/release/nnmip inspect "$model" >/dev/null; } 2>&1 | tail -1)
    times+=("$seconds"); (( kb > peak )) && peak=$kb
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  bytes=$(stat -c %s "$model")
  weights=$(.build/release/nnmip inspect "$model" | awk '/^parameters:/ {print $2}')
  awk -v n="$name" -v w="$weights" -v b="$bytes" -v t="$median" -v k="$peak" \
    'BEGIN {printf "%-24s %10d %10.1f %12.3f %12.1f %8.2f\n", n, w, b/1e6, t, k/1024, k*1024/b}'
done
echo "baseline (nnmip --version): peak RSS $( { /usr/bin/time -f '%M' .build/release/nnmip --version >/dev/null; } 2>&1 | tail -1) KB"
