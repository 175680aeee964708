#!/usr/bin/env bash
# Fuzzes the parsers of untrusted input with libFuzzer (clang), under
# AddressSanitizer and UBSan: JSON text, JSON Pointers and globs, git trees
# and commits, key escaping, journal records, perspective definitions.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 s, every target
# Each target starts from the checked-in seeds (tests/fuzz/corpus/<target>/)
# and grows a working corpus in build-fuzz/corpus/<target>/. A finding stops
# that target, leaves crash-*/leak-* files in build-fuzz/, and makes the
# script exit 1; add the reproducer to the seeds once it is fixed, so the
# test suite's "fuzz replay" entries keep checking it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
    >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "fuzz: needs clang and libclang-rt-dev (run as root to install them)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >/dev/null
fi
CC=clang CXX=clang++ scripts/setup.sh build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DGITSTATE_FUZZ=ON -DGITSTATE_SANITIZE=ON -DGITSTATE_TESTS=OFF -DGITSTATE_BENCH=OFF

targets=("$@")
if ((${#targets[@]} == 0)); then
  for source in tests/fuzz/fuzz_*.cc; do targets+=("$(basename "$source" .cc)"); done
fi
status=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  echo "fuzz: $target for $seconds s" >&2
  if ! (cd build-fuzz && "./tests/fuzz/$target" -max_total_time="$seconds" -max_len=65536 \
        -print_final_stats=1 "corpus/$target" "../tests/fuzz/corpus/$target" 2>"$target.log"); then
    echo "fuzz: $target found a problem; see build-fuzz/$target.log" >&2
    status=1
  fi
  grep -E '^stat::number_of_executed_units|^stat::new_units_added' "build-fuzz/$target.log" |
    sed "s/^/fuzz: $target /" >&2 || true
done
exit $status
