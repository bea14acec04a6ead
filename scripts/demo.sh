#!/usr/bin/env bash
# Set-up, release build, and the main job on a real example from fixtures/:
# inspect a ReLU network, evaluate it at a point, and print the IR that compile produces.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
swift build -c release
nnmip=.build/release/nnmip
model=fixtures/onnx/mlp_2x8.onnx
set -x
"$nnmip" inspect "$model"
echo '[0.1, -0.2, 0.3, 0.5]' | "$nnmip" eval "$model" --input -
"$nnmip" compile "$model" --emit-ir
