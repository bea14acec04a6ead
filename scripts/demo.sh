#!/usr/bin/env bash
# Set-up, release build, and the main job on a real example from fixtures/: inspect a ReLU network,
# evaluate it at a point, compile "maximize output 0 over the box [-1, 1]" to MPS, solve that file with
# the highs binary (installed by setup.sh into .tools/highs) and read its solution back onto the network,
# then solve the same problem in process with the embedded HiGHS, and verify a VNN-LIB property.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
swift build -c release
nnmip=.build/release/nnmip
model=fixtures/onnx/mlp_2x8.onnx
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
set -x
"$nnmip" inspect "$model"
echo '[0.1, -0.2, 0.3, 0.5]' | "$nnmip" eval "$model" --input -
"$nnmip" compile "$model" --input-box -1:1 --maximize y0 -o "$out/mlp.mps" --names "$out/names.json" --stats
(cd "$out" && printf 'mip_rel_gap = 0\nlog_file = ""\n' > highs.opt &&
  "$NNMIP_HIGHS_BIN" --model_file mlp.mps --options_file highs.opt --solution_file mlp.sol | grep -E 'Model status|Primal bound')
"$nnmip" solution read "$out/mlp.sol" --names "$out/names.json"
"$nnmip" solve "$model" --input-box -1:1 --maximize y0 -O3
printf '%s\n' '(declare-const X_0 Real) (declare-const X_1 Real) (declare-const X_2 Real) (declare-const X_3 Real)' \
  '(declare-const Y_0 Real) (declare-const Y_1 Real) (declare-const Y_2 Real)' \
  '(assert (<= X_0 1)) (assert (>= X_0 -1)) (assert (<= X_1 1)) (assert (>= X_1 -1))' \
  '(assert (<= X_2 1)) (assert (>= X_2 -1)) (assert (<= X_3 1)) (assert (>= X_3 -1))' \
  '(assert (>= Y_0 0.3))' > "$out/y0_above.vnnlib"
"$nnmip" verify "$model" "$out/y0_above.vnnlib" --timeout 10
