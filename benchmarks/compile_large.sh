#!/usr/bin/env bash
# Benchmark: `nnmip compile --input-box 0:1 --maximize y0` to free MPS on a 784-1024x4-10 dense ReLU
# network (about 4M weights) and on 784-256-256-10. Prints wall time (median of RUNS), peak memory,
# MILP size and nonzeros written per second, and checks that two runs give the same bytes.
# It is a measurement, not a test.
#
#   benchmarks/compile_large.sh [RUNS]      (default 5)
#
# Peers measured on this machine with the same network and formulation (issue 3):
#   784-1024x4-10: OMLT 58 s / 1.26 GB, PySCIPOpt-ML 24 s / 311 MB; target < 1.5 s and < 400 MB.
#   784-256-256-10: OMLT 4.1 s, PySCIPOpt-ML 1.9 s.
# It runs -O0 (interval bounds, as the peers use): it measures the front and back ends, not the
# passes (benchmarks/passes.sh does).
# Needs the fixture venv (.venv-fixtures) to write the networks and /usr/bin/time for peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
. scripts/env.sh
. benchmarks/fixture-venv.sh
swift build -c release >/dev/null
mkdir -p bench-out
declare -A nets=([dense_784_1024x4_10]="784 1024 1024 1024 1024 10" [dense_784_256x2_10]="784 256 256 10")

printf '%-22s %9s %9s %9s %9s %10s %10s %12s %s\n' network columns binaries rows nonzeros "median s" "peak MB" "nnz/s" "MPS MB"
for name in dense_784_256x2_10 dense_784_1024x4_10; do
  model=bench-out/$name.onnx
  out=bench-out/$name.mps
  [ -f "$model" ] || .venv-fixtures/bin/python benchmarks/make_dense_network.py "$model" ${nets[$name]}
  times=(); peak=0
  for _ in $(seq "$runs"); do
    read -r seconds kb < <( { /usr/bin/time -f '%e %M' .build/release/nnmip compile "$model" \
        --input-box 0:1 --maximize y0 -O0 -o "$out" >/dev/null; } 2>&1 | tail -1)
    times+=("$seconds"); (( kb > peak )) && peak=$kb
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  stats=$(.build/release/nnmip compile "$model" --input-box 0:1 --maximize y0 -O0 -o bench-out/$name.again.mps --stats 2>&1 >/dev/null)
  cmp -s "$out" bench-out/$name.again.mps || echo "warning: $name: two runs wrote different bytes" >&2
  value() { awk -v k="$1:" '$1 == k {print $2}' <<<"$stats"; }
  awk -v n="$name" -v c="$(value variables)" -v b="$(value binaries)" -v r="$(value constraints)" -v z="$(value nonzeros)" \
      -v t="$median" -v k="$peak" -v s="$(stat -c %s "$out")" \
    'BEGIN {printf "%-22s %9d %9d %9d %9d %10.3f %10.1f %12.0f %.1f\n", n, c, b, r, z, t, k/1024, (t > 0 ? z/t : 0), s/1e6}'
  rm -f bench-out/$name.again.mps
done
