#!/usr/bin/env bash
# Benchmark: maximize output 0 of random dense sigmoid and tanh networks over [0, 1]^n, nnmip against
# the exact MINLP. For each network and each number of pieces K (4, 8, 16):
#   - `nnmip solve --pwl-segments K --time-limit SECONDS`: the interpolant's MILP, its point judged on the
#     smooth network and refined there by gradient ascent. Printed: wall seconds, the network's value
#     at the point reported (network_objective), and the surrogate's status.
#   - `nnmip compile --pwl-segments K --pwl-enclosure`, solved by the highs binary within SECONDS: the
#     enclosure's dual bound, a proved upper bound on the network's maximum; and the binaries.
# and, when .venv-embedding is there (scripts/fixtures/embedding-venv.sh makes it), PySCIPOpt-ML + SCIP
# on the same network with its activations as SCIP's nonlinear expressions (spatial branch and bound):
# its best point's value on the network (`nnmip eval`) and its dual bound, within SECONDS.
# It is a measurement, not a test.
#
#   benchmarks/smooth_activations.sh [SECONDS]      (default 60)
#
# Needs the fixture venv (.venv-fixtures) to write the networks and the highs binary (scripts/setup.sh puts it in .tools/highs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
. scripts/env.sh
. benchmarks/fixture-venv.sh
flock /tmp/nnmip-build.lock swift build -c release --product nnmip >/dev/null
nnmip=.build/release/nnmip
highs=${NNMIP_HIGHS_BIN:-$(command -v highs)}
out=bench-out/smooth
mkdir -p "$out"
field() { awk -v key="$1:" '$1 == key {print $2; exit}' <<<"$2"; }

printf '%-22s %-22s %4s %8s %9s %14s %14s\n' network method K binaries seconds network_value proved_bound
for spec in "Sigmoid 10 32 32 1" "Tanh 10 32 32 1" "Sigmoid 20 64 64 1" "Tanh 20 64 64 1"; do
  read -r act sizes <<<"$spec"
  name="$(tr 'A-Z' 'a-z' <<<"$act")_$(tr ' ' 'x' <<<"$sizes")"
  net="$out/$name.onnx"
  [ -f "$net" ] || .venv-fixtures/bin/python benchmarks/make_dense_network.py "$net" --activation "$act" $sizes
  problem=(--input-box 0:1 --maximize y0)
  for k in 4 8 16; do
    begin=$(date +%s.%N)
    report=$("$nnmip" solve "$net" "${problem[@]}" --pwl-segments "$k" --time-limit "$seconds" 2>/dev/null)
    wall=$(echo "$(date +%s.%N) - $begin" | bc)
    stats=$("$nnmip" compile "$net" "${problem[@]}" --pwl-segments "$k" --pwl-enclosure -o "$out/$name.k$k.mps" --stats 2>&1 >/dev/null)
    binaries=$(awk '$1 == "binaries:" {print $2; exit}' <<<"$stats")
    # (highs exits non-zero when its time limit ends the solve; its dual bound holds all the same.)
    bound=$("$highs" --model_file "$out/$name.k$k.mps" --time_limit "$seconds" 2>/dev/null | awk '/Dual bound/ && !seen {print -$3; seen = 1}' || true)
    printf '%-22s %-22s %4s %8s %9.2f %14s %14s\n' "$name" "nnmip ($(field surrogate_status "$report"))" "$k" "$binaries" "$wall" \
      "$(field network_objective "$report")" "${bound:--}"
  done
  if [ -x .venv-embedding/bin/python ]; then
    read -r took status primal dual point < <(.venv-embedding/bin/python benchmarks/smooth_activations_peer.py "$net" "$seconds" 2>/dev/null)
    value=-
    [ "$point" != "null" ] && value=$("$nnmip" eval "$net" --input "$point" | sed -n 1p)
    printf '%-22s %-22s %4s %8s %9.2f %14s %14s\n' "$name" "PySCIPOpt-ML+SCIP ($status)" - - "$took" "$value" "$dual"
  fi
done
