#!/usr/bin/env bash
# Benchmark of bounds-symbolic alone (its dense products go through OpenBLAS): the pass's time and the
# unstable ReLUs it leaves, on random dense networks (benchmarks/make_dense_network.py, where random
# weights leave nearly every ReLU unstable, the worst case) over two boxes, and its total time over
# mnistfc 256x4's prop_*_0.05 boxes (from ../shared/realnets). It is a measurement, not a test; it
# builds first, then measures holding the build lock.
#
#   NNMIP=path/to/nnmip benchmarks/symbolic.sh      (default: the release build, made first)
set -euo pipefail
cd "$(dirname "$0")/.."
realnets=../shared/realnets
. scripts/env.sh
. benchmarks/fixture-venv.sh
. benchmarks/nnmip-binary.sh
mkdir -p bench-out
# The measurements hold the build lock, so that no build on the shared machine runs beside them.
exec 9>/tmp/nnmip-build.lock
flock 9

seconds() { awk '/bounds-symbolic$/ {print $1; exit}' <<<"$1"; }
unstable() { awk '$1 == "relu_unstable:" {print $2}' <<<"$1"; }

for sizes in "784 256 256 256 256 256 256 10" "784 1024 1024 1024 10" "1000 2000 2000 1"; do
  read -ra layers <<<"$sizes"
  name=$(tr ' ' _ <<<"$sizes")
  model=bench-out/dense_$name.onnx
  [ -f "$model" ] || .venv-fixtures/bin/python benchmarks/make_dense_network.py "$model" "${layers[@]}"
  hidden=$(awk '{s = 0; for (i = 2; i < NF; i++) s += $i; print s}' <<<"$sizes")
  for box in 0:1 0.45:0.55; do
    out=$("$nnmip" compile "$model" --input-box "$box" --maximize y0 --passes=bounds-symbolic --time-passes --stats -o /dev/null 2>&1)
    echo "dense $(tr ' ' - <<<"$sizes"), box $box: bounds-symbolic $(seconds "$out") s, unstable $(unstable "$out") of $hidden"
  done
done

total=0 count=0
for prop in $(ls $realnets/mnistfc/prop_*_0.05.vnnlib | sort -V); do
  out=$("$nnmip" compile $realnets/mnistfc/mnist-net_256x4.onnx --spec "$prop" --passes=bounds-symbolic --time-passes --stats -o /dev/null 2>&1)
  total=$(awk -v a="$total" -v b="$(seconds "$out")" 'BEGIN {print a + b}')
  count=$((count + 1))
done
echo "mnistfc 256x4, $count prop_*_0.05 boxes: bounds-symbolic $total s in all"
