#!/usr/bin/env bash
# Set-up, then the whole test suite (the README's second command; .ci/run calls it).
# The suite is built optimized (-c release, with -enable-testing for the @testable imports): the
# soundness tests push 10,000 samples through every real network with the reference evaluator,
# which takes over 25 minutes unoptimized and about 3 optimized. The build goes to .build-test, so that
# the flags it needs do not force a rebuild of the release tools in .build (and back).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
flags=(-c release --scratch-path .build-test -Xswiftc -enable-testing)
swift build "${flags[@]}" --build-tests
swift test "${flags[@]}" --skip-build --disable-xctest "$@"
