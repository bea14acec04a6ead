#!/usr/bin/env bash
# Benchmark: `nnmip compile --input-box 0:1 --maximize y0` to free MPS on a 784-1024x4-10 dense ReLU
# network (about 4M weights) and on 784-256-256-10, at -O0 (interval bounds, as the peers use) and at
# the default -O2 (symbolic bounds and dead-neuron elimination). Prints, per network and level: wall
# time (median of RUNS, each run to a new file), peak memory, the MILP's size, nonzeros written per
# second and the MPS size, and its time over the floor; then the floor itself
# (nnmip-write-floor-benchmark, median of RUNS processes: formatting the file's numbers with the
# writer's own formatter, plus writing its bytes to a new file; nnmip overlaps the two, so it can go
# below their sum); and, when .venv-embedding is there (scripts/fixtures/embedding-venv.sh makes it),
# PySCIPOpt-ML + SCIP building and writing the same MILP (one run, its default SOS1 formulation). It checks that two runs write the same bytes. It is a measurement, not a test.
#
#   benchmarks/compile_large.sh [RUNS]      (default 5)
#
# Issue 18's targets on 784-1024x4-10: -O2 under 1.5 s, -O0 within 2x of the floor, peak memory under
# 3x the MPS size. Peers measured earlier on this machine (issue 3): OMLT 58 s / 1.26 GB, PySCIPOpt-ML
# 24 s / 311 MB. Needs the fixture venv (.venv-fixtures) to write the networks and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
. scripts/env.sh
. benchmarks/fixture-venv.sh
flock /tmp/nnmip-build.lock swift build -c release --product nnmip >/dev/null
flock /tmp/nnmip-build.lock swift build -c release --product nnmip-write-floor-benchmark >/dev/null
mkdir -p bench-out
declare -A nets=([dense_784_1024x4_10]="784 1024 1024 1024 1024 10" [dense_784_256x2_10]="784 256 256 10")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-20s %-5s %8s %8s %8s %9s %9s %9s %12s %8s %9s %7s\n' network level columns binaries rows nonzeros \
  "median s" "peak MB" "nnz/s" "MPS MB" "peak/MPS" "/floor"
for name in dense_784_256x2_10 dense_784_1024x4_10; do
  model=bench-out/$name.onnx
  [ -f "$model" ] || .venv-fixtures/bin/python benchmarks/make_dense_network.py "$model" ${nets[$name]}
  out=bench-out/$name.mps
  # The floor of the file -O0 writes (the -O2 file has the same numbers of numbers and bytes within a few %).
  rm -f "$out"
  .build/release/nnmip compile "$model" --input-box 0:1 --maximize y0 -O0 -o "$out" 2>/dev/null
  for _ in $(seq "$runs"); do .build/release/nnmip-write-floor-benchmark "$out"; done >bench-out/floor.txt
  numbers=$(awk 'NR == 1 {print $1}' bench-out/floor.txt)
  format_s=$(awk '{print $2}' bench-out/floor.txt | median)
  write_s=$(awk '{print $3}' bench-out/floor.txt | median)
  floor_s=$(awk '{print $4}' bench-out/floor.txt | median)
  rm -f bench-out/floor.txt
  for level in -O0 -O2; do
    times=(); peak=0
    for _ in $(seq "$runs"); do
      rm -f "$out"
      /usr/bin/time -o bench-out/time.txt -f '%e %M' .build/release/nnmip compile "$model" \
          --input-box 0:1 --maximize y0 "$level" -o "$out" >/dev/null 2>&1
      read -r seconds kb < bench-out/time.txt
      times+=("$seconds"); (( kb > peak )) && peak=$kb
    done
    wall=$(printf '%s\n' "${times[@]}" | median)
    rm -f bench-out/$name.again.mps
    stats=$(.build/release/nnmip compile "$model" --input-box 0:1 --maximize y0 "$level" -o bench-out/$name.again.mps --stats 2>&1 >/dev/null)
    cmp -s "$out" bench-out/$name.again.mps || echo "warning: $name $level: two runs wrote different bytes" >&2
    value() { awk -v k="$1:" '$1 == k {print $2}' <<<"$stats"; }
    awk -v n="$name" -v l="$level" -v c="$(value variables)" -v b="$(value binaries)" -v r="$(value constraints)" \
        -v z="$(value nonzeros)" -v t="$wall" -v k="$peak" -v s="$(stat -c %s "$out")" -v f="$floor_s" \
      'BEGIN {printf "%-20s %-5s %8d %8d %8d %9d %9.3f %9.1f %12.0f %8.1f %9.2f %7.2f\n",
              n, l, c, b, r, z, t, k/1024, (t > 0 ? z/t : 0), s/1e6, k*1024/s, (f > 0 ? t/f : 0)}'
    rm -f bench-out/$name.again.mps
  done
  printf '%-20s floor: %d numbers formatted in %.3f s + the file written in %.3f s = %.3f s (median of %d)\n' \
    "$name" "$numbers" "$format_s" "$write_s" "$floor_s" "$runs"
  if [ -x .venv-embedding/bin/python ]; then
    peer_out=bench-out/$name.peer.mps
    rm -f "$peer_out"
    /usr/bin/time -o bench-out/time.txt -f '%M' .venv-embedding/bin/python benchmarks/compile_large_peer.py \
        "$model" "$peer_out" >bench-out/peer.txt
    read -r peer_s peer_bytes < bench-out/peer.txt
    read -r kb < bench-out/time.txt
    printf '%-20s PySCIPOpt-ML + SCIP (SOS1): %.3f s to build and write, peak %.1f MB (whole Python process), MPS %.1f MB\n' \
      "$name" "$peer_s" "$(awk -v k="$kb" 'BEGIN {print k/1024}')" "$(awk -v s="$peer_bytes" 'BEGIN {print s/1e6}')"
    rm -f "$peer_out" bench-out/time.txt bench-out/peer.txt
  else
    echo "$name: PySCIPOpt-ML not measured (no .venv-embedding; scripts/fixtures/embedding-venv.sh makes it)"
  fi
done
