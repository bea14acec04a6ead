# Sourced by the scripts: puts the Swift toolchain on PATH when it lives in /opt/swift, and names
# the HiGHS that scripts/setup.sh unpacks into .tools/highs (NNMIP_HIGHS_BIN, the highs binary;
# NNMIP_HIGHS_DIR, its folder with bin/, lib/libhighs.so and include/highs/).
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH=/opt/swift/usr/bin:$PATH
fi
nnmip_highs_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/highs/highsbox/highs_dist"
if [ -x "$nnmip_highs_dir/bin/highs" ]; then
  export NNMIP_HIGHS_DIR=$nnmip_highs_dir NNMIP_HIGHS_BIN=$nnmip_highs_dir/bin/highs
fi
unset nnmip_highs_dir
