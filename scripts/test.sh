#!/usr/bin/env bash
# Set-up, then the whole test suite (the README's second command; .ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
swift build --build-tests
swift test --skip-build --disable-xctest
