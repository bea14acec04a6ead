#!/usr/bin/env bash
# Set-up, then the whole test suite (the README's second command; .ci/run calls it).
# The suite is built optimised (-c release, with -enable-testing for the @testable imports): the
# soundness tests push 10,000 samples through every real network with the reference evaluator,
# which takes over 25 minutes unoptimised and about 3 optimised.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release --skip-build --disable-xctest -Xswiftc -enable-testing
