#!/usr/bin/env bash
# The main job: builds gitstate and runs a demonstration of the whole workflow
# on a fresh local repository, printed step by step (examples/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build -DCMAKE_BUILD_TYPE=RelWithDebInfo
exec examples/demo.sh build/gitstate build/examples/api_example
