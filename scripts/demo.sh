#!/usr/bin/env bash
# The main job: builds gitstate and runs a demonstration of the whole workflow
# on a fresh local repository (printed step by step).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGITSTATE_TESTS=OFF -DGITSTATE_BENCH=OFF
exec build/examples/gitstate-demo "$@"
