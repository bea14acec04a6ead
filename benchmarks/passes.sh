#!/usr/bin/env bash
# Benchmark of the bounds passes (issue 4): for each instance, the unstable ReLUs, binaries and MILP
# nonzeros after -O0 (interval bounds), after bounds-symbolic, after bounds-symbolic + bounds-alpha and
# after bounds-symbolic + bounds-lp, each pass's time, and the ratio of unstable ReLUs symbolic / interval. Then the time of
# bounds-symbolic alone on a random dense 784-256x6-10 network (target < 0.5 s) and of bounds-lp on
# mnistfc 256x2 (target < 30 s on 2 cores). It is a measurement, not a test.
#
#   benchmarks/passes.sh [LP_THREADS]       (default 2)
#
# Instances: mnistfc 256x2 and 256x4 with every prop_*_0.03 and prop_*_0.05 box, and acasxu 1_1 with
# prop_1 and prop_2 (from ../shared/realnets). Makes the fixture venv for the random network if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
realnets=../shared/realnets
. scripts/env.sh
. benchmarks/fixture-venv.sh
swift build -c release >/dev/null
nnmip=.build/release/nnmip
mkdir -p bench-out

# stats PIPELINE MODEL SPEC -> "unstable binaries nonzeros seconds-per-pass..."
measure() {
  local out
  out=$("$nnmip" compile "$2" --spec "$3" --passes="$1" --stats --time-passes -o /dev/null 2>&1)
  local unstable binaries nonzeros times
  unstable=$(awk '$1 == "relu_unstable:" {print $2}' <<<"$out")
  binaries=$(awk '$1 == "binaries:" {print $2}' <<<"$out")
  nonzeros=$(awk '$1 == "nonzeros:" {print $2}' <<<"$out")
  times=$(awk '/pass execution timing/ {on=1; next} on && $NF != "pass" && $NF != "total" && NF >= 3 {printf "%s=%ss ", $NF, $1} /total$/ {on=0}' <<<"$out")
  echo "$unstable $binaries $nonzeros $times"
}

instances=()
for net in mnist-net_256x2 mnist-net_256x4; do
  for eps in 0.03 0.05; do
    for prop in $(ls $realnets/mnistfc/prop_*_$eps.vnnlib | sort -V); do
      instances+=("$realnets/mnistfc/$net.onnx $prop")
    done
  done
done
instances+=("$realnets/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $realnets/acasxu/prop_1.vnnlib")
instances+=("$realnets/acasxu/ACASXU_run2a_1_1_batch_2000.onnx $realnets/acasxu/prop_2.vnnlib")

printf '%-18s %-18s | %-20s | %-20s | %-20s | %-22s | %6s | %s\n' network property "-O0 unst/bin/nnz" "symbolic unst/bin/nnz" \
  "+alpha unst/bin/nnz" "+lp unst/bin/nnz" "sym/ia" "pass times (symbolic; alpha; lp)"
total_ia=0; total_sym=0; total_alpha=0; total_lp=0
for instance in "${instances[@]}"; do
  read -r model spec <<<"$instance"
  read -r ia_u ia_b ia_z _ <<<"$(measure bounds-ia "$model" "$spec")"
  read -r sy_u sy_b sy_z sy_t <<<"$(measure bounds-symbolic "$model" "$spec")"
  read -r al_u al_b al_z _ al_t2 <<<"$(measure "bounds-symbolic,bounds-alpha" "$model" "$spec")"
  read -r lp_u lp_b lp_z lp_t1 lp_t2 <<<"$(measure "bounds-symbolic,bounds-lp{timeout=60,threads=$threads}" "$model" "$spec")"
  total_ia=$((total_ia + ia_u)); total_sym=$((total_sym + sy_u)); total_alpha=$((total_alpha + al_u)); total_lp=$((total_lp + lp_u))
  ratio=$(awk -v a="$sy_u" -v b="$ia_u" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 1)}')
  printf '%-18s %-18s | %5s %5s %8s | %5s %5s %8s | %5s %5s %8s | %5s %5s %8s | %6s | %s; %s; %s\n' "$(basename "$model" .onnx | sed 's/ACASXU_run2a_//; s/_batch_2000//')" "$(basename "$spec" .vnnlib)" \
    "$ia_u" "$ia_b" "$ia_z" "$sy_u" "$sy_b" "$sy_z" "$al_u" "$al_b" "$al_z" "$lp_u" "$lp_b" "$lp_z" "$ratio" "$sy_t" "$al_t2" "$lp_t2"
done
echo "total unstable ReLUs: interval $total_ia, symbolic $total_sym ($(awk -v a=$total_sym -v b=$total_ia 'BEGIN {printf "%.3f", a/b}') of interval), symbolic+alpha $total_alpha, symbolic+lp $total_lp"

# bounds-symbolic on a 256x6-sized network: random weights leave nearly every ReLU unstable (the worst case).
model=bench-out/dense_784_256x6_10.onnx
[ -f "$model" ] || .venv-fixtures/bin/python benchmarks/make_dense_network.py "$model" 784 256 256 256 256 256 256 10
for box in 0:1 0.45:0.55; do
  out=$("$nnmip" compile "$model" --input-box "$box" --maximize y0 --passes=bounds-symbolic --time-passes --stats -o /dev/null 2>&1)
  echo "784-256x6-10, box $box: bounds-symbolic $(awk '/bounds-symbolic$/ {print $1; exit}' <<<"$out") s, unstable $(awk '$1 == "relu_unstable:" {print $2}' <<<"$out") of 1536"
done
