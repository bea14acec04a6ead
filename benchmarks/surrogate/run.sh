#!/usr/bin/env bash
# Runs the surrogate experiment (see run.py's docstring): nnmip verify with and without --surrogate on
# MNIST robustness instances, nnmip solve with and without --surrogate on random networks; one nnmip
# process at a time, results appended to bench-out/surrogate/results/ (resumable), Markdown tables printed
# and written to results/report.md, plot in results/summary.svg. Seconds depend on the machine's load.
#
#   benchmarks/surrogate/run.sh [run.py options]        e.g. --timeout 60 --time-limit 30 --images 2 --report-only
#
# Makes the networks (make_networks.sh) when instances.csv is missing and builds the release nnmip first
# unless SKIP_BUILD=1 (or NNMIP=/path/to/nnmip is given).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/env.sh
if [ ! -f bench-out/surrogate/networks/instances.csv ]; then
  benchmarks/surrogate/make_networks.sh bench-out/surrogate/networks
fi
if [ -z "${NNMIP:-}" ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  case " $* " in
    *" --report-only "*) ;;
    *) swift build -c release --product nnmip >/dev/null ;;
  esac
fi
exec python3 benchmarks/surrogate/run.py "$@"
