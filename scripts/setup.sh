#!/usr/bin/env bash
# Installs what gitstate needs from Debian's packages, then configures and
# builds. Idempotent: installs only what is missing, rebuilds only what changed.
#   scripts/setup.sh [--tests] [BUILD_DIR] [extra cmake arguments...]
# --tests also installs what only the test suite needs: Node.js's npm and the
# public JSON Patch conformance suite (npm package json-patch-test-suite), and
# nginx and fcgiwrap for the HTTP sync tests.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
if [ "${1:-}" = "--tests" ]; then
  with_tests=1
  shift
fi

packages=(g++ cmake ninja-build pkg-config git libgit2-dev libssl-dev zlib1g-dev
          nlohmann-json3-dev libxxhash-dev catch2 libcli11-dev libsqlite3-dev
          openssh-client)
missing=()
if ((with_tests)) && ! command -v npm >/dev/null; then packages+=(npm); fi
# The HTTP sync tests serve repositories through nginx + fcgiwrap + git http-backend.
if ((with_tests)); then packages+=(nginx fcgiwrap); fi
# The signing tests also check signatures with the openssl command (ssh-keygen is installed above).
if ((with_tests)); then packages+=(openssl); fi
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root (or install: ${missing[*]})" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

suite_version=1.1.0
if ((with_tests)) && ! grep -qs "\"version\": \"$suite_version\"" node_modules/json-patch-test-suite/package.json; then
  echo "setup: installing json-patch-test-suite@$suite_version into node_modules/" >&2
  npm install --prefix "$PWD" --no-save --no-audit --no-fund --no-package-lock --silent \
    "json-patch-test-suite@$suite_version" >/dev/null
fi

build=${1:-build}
shift || true
cmake -S . -B "$build" -G Ninja "$@" >/dev/null
ninja -C "$build"
