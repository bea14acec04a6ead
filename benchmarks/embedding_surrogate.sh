#!/usr/bin/env bash
# Surrogate benchmark of issue 15 (see benchmarks/embedding_surrogate.py): the JANOS enrollment model
# (20 copies; --janos-size N) and the WFP palatable diet (threshold 0.8) with wide networks (2x256,
# 3x512, trained on the fixtures' seeded data), solved by `nnmip solve --model` dense, with --surrogate
# prune=0.9,0.8, and with --finish-dense too, each within the time limit. Prints the time to the first
# truly feasible solution and the best objective at 10, 30 and 60 s; the report, the traces and the
# plot (traces.png, traces.svg) stay in bench-out/embedding-surrogate/. It is a measurement, not a test.
#
#   benchmarks/embedding_surrogate.sh [TIME_LIMIT] [embedding_surrogate.py options]   (default 60 s)
#   e.g. benchmarks/embedding_surrogate.sh 30 --janos 2x256 --diet ''
#
# NNMIP=path picks the binary; otherwise the release build is made first unless SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${1:-60}
[ $# -gt 0 ] && shift
. scripts/env.sh
. scripts/fixtures/embedding-venv.sh
. benchmarks/nnmip-binary.sh
exec .venv-embedding/bin/python benchmarks/embedding_surrogate.py --time-limit "$limit" --nnmip "$nnmip" "$@"
