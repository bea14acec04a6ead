#!/usr/bin/env bash
# Writes the networks and instances of the surrogate experiment (see make_networks.py) into OUTDIR,
# making .venv-experiment (the pinned packages of requirements.txt) when it is missing.
#
#   benchmarks/surrogate/make_networks.sh [OUTDIR] [--large] [--images K]   (OUTDIR default bench-out/surrogate/networks)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x .venv-experiment/bin/python ]; then
  python3 -m venv .venv-experiment
  .venv-experiment/bin/pip install -q -r benchmarks/surrogate/requirements.txt
fi
exec .venv-experiment/bin/python benchmarks/surrogate/make_networks.py "$@"
