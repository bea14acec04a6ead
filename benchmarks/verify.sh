#!/usr/bin/env bash
# Benchmark of `nnmip verify` (issue 5): every instance of ../shared/realnets/expected.csv with a time
# limit per instance, run as a VNN-COMP instance list with worker processes. Prints, per benchmark
# family, the instances solved (sat + unsat), timeouts and unknowns, the wrong answers (must be 0), the mean
# seconds per solved instance and the seconds in all, and which stage solved how many,
# next to the answers alpha-beta-CROWN reached in VNN-COMP 2022 (expected.csv's sat/unsat; "unknown"
# there means no tool solved the instance). It is a measurement, not a test.
#
#   benchmarks/verify.sh [TIMEOUT] [JOBS]        (defaults 60 and 2; TIMEOUT "competition" takes
#                                                 VNN-COMP's limit of each instance: 116 s ACAS Xu,
#                                                 120 s mnistfc 256x2, 300 s 256x4, 30 s cartpole)
set -euo pipefail
cd "$(dirname "$0")/.."
timeout=${1:-60}
jobs=${2:-2}
realnets=$(cd ../shared/realnets && pwd)
. scripts/env.sh
swift build -c release --product nnmip >/dev/null
mkdir -p bench-out
list=bench-out/verify-instances.csv
if [ "$timeout" = competition ]; then
  # VNN-COMP's own limit per instance, from each folder's instance list.
  awk -F, -v d="$realnets" '
    FNR == 1 { family = FILENAME; sub(/\/[^\/]*$/, "", family); sub(/.*\//, "", family) }
    FILENAME !~ /expected.csv$/ { limit[family "/" $1 "," family "/" $2] = $3; next }
    FNR > 1 { if (!(($1 "," $2) in limit)) { print "no competition limit for " $1 "," $2 > "/dev/stderr"; exit 1 }
              print d "/" $1 "," d "/" $2 "," limit[$1 "," $2] }' \
    "$realnets/acasxu/acasxu_instances.csv" "$realnets/mnistfc/instances.csv" "$realnets/rl_benchmarks/instances.csv" \
    "$realnets/expected.csv" > "$list"
else
  tail -n +2 "$realnets/expected.csv" | awk -F, -v d="$realnets" -v t="$timeout" '{print d "/" $1 "," d "/" $2 "," t}' > "$list"
fi
start=$(date +%s)
# One HiGHS thread per worker: the workers already share the cores. JSON Lines keep each answer's stage.
results=bench-out/verify-results.jsonl
.build/release/nnmip verify --instances "$list" --jobs "$jobs" --threads 1 --format json --results "$results" 2>bench-out/verify-progress.log
end=$(date +%s)
printf '%-14s %9s %6s %6s %8s %8s %6s %10s %10s | %s\n' benchmark instances sat unsat timeout unknown wrong "s/solved" "s total" "alpha-beta-CROWN 2022 (sat/unsat/unsolved)"
awk -F, -v d="$realnets/" '
  # A string or number field of the first (outer) JSON object on the line.
  function field(line, name,    rest) {
    if (!match(line, "\"" name "\": *(\"[^\"]*\"|[-0-9.e+]+)")) return ""
    rest = substr(line, RSTART, RLENGTH); sub("^\"" name "\": *", "", rest); gsub("\"", "", rest)
    return rest
  }
  FNR == NR { if (FNR > 1) expected[$1 "," $2] = $3; next }
  {
    onnx = field($0, "onnx"); vnnlib = field($0, "vnnlib"); sub(d, "", onnx); sub(d, "", vnnlib)
    got = field($0, "result"); secs = field($0, "seconds") + 0
    stage = "-"; if (match($0, /"verify": \{[^{]*"stage": "[a-z-]*"/)) { stage = substr($0, RSTART, RLENGTH); sub(/.*"stage": "/, "", stage); sub(/"$/, "", stage) }
    family = onnx; sub(/\/.*/, "", family)
    want = expected[onnx "," vnnlib]
    n[family]++; count[family, got]++; ref[family, want]++; total[family] += secs
    if (got == "sat" || got == "unsat") { solvedTime[family] += secs; byStage[family " " got " by " stage]++ }
    if ((got == "sat" || got == "unsat") && (want == "sat" || want == "unsat") && got != want) { wrong[family]++; print "WRONG: " onnx " " vnnlib " nnmip " got " expected " want > "/dev/stderr" }
  }
  END {
    for (f in n) {
      solved = count[f, "sat"] + count[f, "unsat"]
      printf "%-14s %9d %6d %6d %8d %8d %6d %10.2f %10.1f | %d/%d/%d\n", f, n[f], count[f, "sat"], count[f, "unsat"], count[f, "timeout"], count[f, "unknown"] + count[f, "error"], wrong[f], solved ? solvedTime[f] / solved : 0, total[f], ref[f, "sat"], ref[f, "unsat"], ref[f, "unknown"]
      all += n[f]; allSolved += solved; bad += wrong[f]
    }
    printf "solved %d of %d, wrong %d\n", allSolved, all, bad
    print "solved instances by the stage that gave the answer:"
    for (k in byStage) printf "  %-40s %d\n", k, byStage[k]
  }' "$realnets/expected.csv" "$results"
echo "wall time: $((end - start)) s with $jobs jobs and a ${timeout} s limit per instance"
