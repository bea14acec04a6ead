# Sourced by the benchmark scripts (after scripts/env.sh): sets `nnmip` to the binary to measure,
# $NNMIP when given, else the release build, made first unless SKIP_BUILD=1 (one build at a time
# on shared machines, under the same lock as every other build).
nnmip=${NNMIP:-.build/release/nnmip}
if [ -z "${NNMIP:-}" ] && [ "${SKIP_BUILD:-0}" != 1 ]; then
  flock /tmp/nnmip-build.lock swift build -c release --product nnmip >/dev/null
fi
