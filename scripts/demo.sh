#!/usr/bin/env bash
# Set-up, release build, and the main job on a real example from fixtures/: inspect a ReLU network,
# evaluate it at a point, compile "maximise output 0 over the box [-1, 1]" to MPS, solve that file with
# HiGHS (installed by setup.sh into .tools/highs), and check the optimal point with the reference evaluator.
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
{ set +x; } 2>/dev/null
# The optimal input is x_l0_n0..3 in the solution; the evaluator's y0 there must be the maximum
# (MPS minimises, so the solver's objective is minus the maximum).
point=$(awk '/^# Columns/ {on=1; next} on && /^x_l0_n[0-3] / {printf "%s%s", sep, $2; sep=","} /^# Rows/ {on=0}' "$out/mlp.sol")
echo "optimal input: [$point]"
echo "[$point]" | "$nnmip" eval "$model" --input - | head -1 | sed 's/^/evaluator y0 at that input: /'
