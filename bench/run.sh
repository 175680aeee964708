#!/usr/bin/env bash
# Runs every benchmark with its default sizes (about 5 minutes on 2 cores) and
# prints their JSON lines; the ratio and check lines are repeated at the end.
#
#   bench/run.sh [BUILD_DIR]        default BUILD_DIR: build-bench
#   OUT=results.jsonl bench/run.sh  also keep every line in a file
#
# Build first, in Release:
#   cmake -S . -B build-bench -G Ninja -DGITSTATE_TESTS=OFF -DCMAKE_BUILD_TYPE=Release
#   ninja -C build-bench
# Scratch repositories go under $TMPDIR (default /tmp): put it on the
# filesystem you want to measure (not a tmpfs, or fdatasync costs nothing).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-bench}"
bin="$build/bench"
out="${OUT:-}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

for program in bench_fsync_limit bench_w1 bench_w2 bench_w3; do
  if [[ ! -x "$bin/$program" ]]; then
    echo "missing $bin/$program: build with -DGITSTATE_BENCH=ON first" >&2
    exit 2
  fi
done

status=0
run() {
  echo "# $*" >&2
  local start=$SECONDS
  "$@" | tee -a "$log" || status=1
  echo "# $1 took $((SECONDS - start)) s" >&2
}

run "$bin/bench_fsync_limit"
run "$bin/bench_w1"
run "$bin/bench_w2"
run "$bin/bench_w3"

echo "# summary: ratios and checks" >&2
grep -E '"(ratio|check|error|skipped)"' "$log" || true
if [[ -n "$out" ]]; then cp "$log" "$out"; fi
exit $status
