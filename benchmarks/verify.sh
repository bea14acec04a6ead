#!/usr/bin/env bash
# Benchmark of `nnmip verify` (issue 5): every instance of ../shared/realnets/expected.csv with a time
# limit per instance, run as a VNN-COMP instance list with worker processes. Prints, per benchmark
# family, the instances solved (sat + unsat), timeouts and unknowns, and the wrong answers (must be 0),
# next to the answers alpha-beta-CROWN reached in VNN-COMP 2022 (expected.csv's sat/unsat; "unknown"
# there means no tool solved the instance). It is a measurement, not a test.
#
#   benchmarks/verify.sh [TIMEOUT] [JOBS]        (defaults 60 and 2)
set -euo pipefail
cd "$(dirname "$0")/.."
timeout=${1:-60}
jobs=${2:-2}
realnets=$(cd ../shared/realnets && pwd)
. scripts/env.sh
swift build -c release --product nnmip >/dev/null
mkdir -p bench-out
list=bench-out/verify-instances.csv
tail -n +2 "$realnets/expected.csv" | awk -F, -v d="$realnets" -v t="$timeout" '{print d "/" $1 "," d "/" $2 "," t}' > "$list"
start=$(date +%s)
# One HiGHS thread per worker: the workers already share the cores.
.build/release/nnmip verify --instances "$list" --jobs "$jobs" --threads 1 --results bench-out/verify-results.csv 2>bench-out/verify-progress.log
end=$(date +%s)
printf '%-14s %9s %6s %6s %8s %8s %6s | %s\n' benchmark instances sat unsat timeout unknown wrong "alpha-beta-CROWN 2022 (sat/unsat/unsolved)"
awk -F, -v d="$realnets/" '
  FNR == NR { if (FNR > 1) expected[$1 "," $2] = $3; next }
  FNR == 1 { next }
  {
    onnx = $1; vnnlib = $2; sub(d, "", onnx); sub(d, "", vnnlib)
    family = onnx; sub(/\/.*/, "", family)
    want = expected[onnx "," vnnlib]; got = $3
    n[family]++; count[family, got]++; ref[family, want]++
    if ((got == "sat" || got == "unsat") && (want == "sat" || want == "unsat") && got != want) { wrong[family]++; print "WRONG: " onnx " " vnnlib " nnmip " got " expected " want > "/dev/stderr" }
    seconds[family] += $4
  }
  END {
    for (f in n) {
      printf "%-14s %9d %6d %6d %8d %8d %6d | %d/%d/%d\n", f, n[f], count[f, "sat"], count[f, "unsat"], count[f, "timeout"], count[f, "unknown"] + count[f, "error"], wrong[f], ref[f, "sat"], ref[f, "unsat"], ref[f, "unknown"]
      total += n[f]; solved += count[f, "sat"] + count[f, "unsat"]; bad += wrong[f]
    }
    printf "solved %d of %d, wrong %d\n", solved, total, bad
  }' "$realnets/expected.csv" bench-out/verify-results.csv
echo "wall time: $((end - start)) s with $jobs jobs and a ${timeout} s limit per instance"
