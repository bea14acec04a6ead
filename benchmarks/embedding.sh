#!/usr/bin/env bash
# Benchmark of issue 15 (see benchmarks/embedding.py): the JANOS enrollment model at n = 50, 100, 500
# and 1,000 copies of an MLP with 1, 2 and 3 hidden layers of 10, solved in the same run by
# PySCIPOpt-ML + SCIP (its SOS1 default and its big-M: build seconds, seconds to the proven optimum
# or the gap at the time limit, peak memory) and by nnmip (compile --model/--networks: seconds and
# peak memory; solve --model/--networks --mip-gap 0: seconds of the whole process to the proven
# optimum or the gap at the limit, and whether the check on the original networks passed). Where a
# peer proves optimality, nnmip's objective must agree within 1e-6 relative ("agrees" or "DIFFERS"),
# and the speed-up is the fastest proving peer's SCIP solve seconds over nnmip's. Prints a Markdown
# table; the figures stay in bench-out/embedding/results.csv. It is a measurement, not a test.
#
#   benchmarks/embedding.sh [TIME_LIMIT] [embedding.py run options]     (default 60 s)
#   e.g. benchmarks/embedding.sh 60 --sizes 50,100
#
# nnmip's columns read "n/a (nnmip lacks --model)" while the binary has no --networks. NNMIP=path
# picks the binary; otherwise the release build is made first unless SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-60}
[ $# -gt 0 ] && shift
. scripts/env.sh
. scripts/fixtures/embedding-venv.sh
. benchmarks/nnmip-binary.sh
exec .venv-embedding/bin/python benchmarks/embedding.py run --time-limit "$limit" --nnmip "$nnmip" "$@"
