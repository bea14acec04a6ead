#!/usr/bin/env bash
# Installs what nnmip needs to build on Debian 12 (run as root), skipping what is already there:
# the C libraries it wraps (protobuf-c, HDF5), protoc-c for the schema check, and the system
# packages the Swift toolchain itself needs. Expects the Swift toolchain on PATH or in /opt/swift.
set -euo pipefail

packages=(
  # nnmip's own C dependencies
  pkg-config libprotobuf-c-dev protobuf-c-compiler libhdf5-dev
  # what the Swift toolchain needs on Debian 12 (swift.org's list), and git for SwiftPM
  binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev
  libsqlite3-0 libstdc++-12-dev libxml2-dev libncurses-dev libz3-dev tzdata zlib1g-dev
  ca-certificates diffutils python3
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

if ! command -v swift >/dev/null 2>&1; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "setup: using the Swift toolchain in /opt/swift/usr/bin (add it to PATH to run swift yourself)" >&2
  else
    echo "setup: no Swift toolchain found; install Swift 6 from swift.org into /opt/swift" >&2
    exit 1
  fi
fi
