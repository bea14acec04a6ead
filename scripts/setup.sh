#!/usr/bin/env bash
# Installs what nnmip needs to build on Debian 12 (run as root), skipping what is already there:
# the C libraries it wraps (protobuf-c, HDF5, OpenBLAS), protoc-c for the schema check, the system
# packages the Swift toolchain itself needs, and the MILP solvers the tests run on the files nnmip
# writes (CBC and GLPK from Debian; HiGHS from PyPI's highsbox wheel, into the project's own
# .tools/highs, and SCIP from the pyscipopt wheel into .tools/scip; never globally). Expects the Swift toolchain on PATH or in /opt/swift.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

packages=(
  # nnmip's own C dependencies
  pkg-config libprotobuf-c-dev protobuf-c-compiler libhdf5-dev libopenblas-dev
  # what the Swift toolchain needs on Debian 12 (swift.org's list), and git for SwiftPM
  binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev
  libsqlite3-0 libstdc++-12-dev libxml2-dev libncurses-dev libz3-dev tzdata zlib1g-dev
  ca-certificates diffutils python3
  # the MILP solvers the tests solve written models with (cbc, glpsol), and pip for highsbox
  coinor-cbc glpk-utils python3-pip
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# HiGHS: the highsbox wheel (pinned) unpacked with pip --target. Its bin/highs looks for
# libhighs.so in $ORIGIN/../lib64 while the wheel ships it in lib/, hence the lib64 -> lib link.
highsbox_version=1.15.1
highs_target="$root/.tools/highs"
highs_dist="$highs_target/highsbox/highs_dist"
if [ ! -d "$highs_target/highsbox-$highsbox_version.dist-info" ] || [ ! -x "$highs_dist/bin/highs" ]; then
  echo "setup: installing highsbox $highsbox_version into .tools/highs" >&2
  rm -rf "$highs_target"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
    --target "$highs_target" "highsbox==$highsbox_version"
fi
[ -e "$highs_dist/lib64" ] || ln -s lib "$highs_dist/lib64"
"$highs_dist/bin/highs" --version >/dev/null

# SCIP for the solution-reading tests: PyPI's pyscipopt wheel (it bundles libscip) with numpy, unpacked
# into .tools/scip; scripts/solvers/scip_solve.py drives it.
pyscipopt_version=6.3.0
scip_target="$root/.tools/scip"
if [ ! -d "$scip_target/pyscipopt-$pyscipopt_version.dist-info" ]; then
  echo "setup: installing pyscipopt $pyscipopt_version into .tools/scip" >&2
  rm -rf "$scip_target"
  python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore \
    --target "$scip_target" "pyscipopt==$pyscipopt_version" "numpy==2.4.6"
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: using the Swift toolchain in /opt/swift/usr/bin (add it to PATH to run swift yourself)" >&2
  else
    echo "setup: no Swift toolchain found; install Swift 6 from swift.org into /opt/swift" >&2
    exit 1
  fi
fi
