#!/usr/bin/env bash
# The whole test suite: builds and runs it twice, once optimised and once with
# AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --tests build -DCMAKE_BUILD_TYPE=RelWithDebInfo
ctest --test-dir build --output-on-failure -j2

scripts/setup.sh build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGITSTATE_SANITIZE=ON -DGITSTATE_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j2
