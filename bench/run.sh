#!/usr/bin/env bash
# Runs every benchmark with its default sizes (about 15 minutes on 2 cores,
# 6 of them bench_w7's 12,000 durable commits) and prints their JSON lines; the
# ratio and check lines are repeated at the end.
#
#   bench/run.sh [BUILD_DIR]        default BUILD_DIR: build-bench
#   OUT=results.jsonl bench/run.sh  also keep every line in a file
#
# Build first, in Release:
#   cmake -S . -B build-bench -G Ninja -DGITSTATE_TESTS=OFF -DCMAKE_BUILD_TYPE=Release
#   ninja -C build-bench
# Scratch repositories go under $TMPDIR (default /tmp): put it on the
# filesystem you want to measure (not a tmpfs, or fdatasync costs nothing).
# bench_w1_reads compares with pygit2: as root, this installs Debian's
# python3-pygit2 when no python3 can import pygit2 (without it that baseline
# is skipped).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-bench}"
bin="$build/bench"
out="${OUT:-}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

programs=(bench_fsync_limit bench_w1 bench_w1_import bench_w1_durable bench_w1_reads bench_w7 bench_events
          bench_sign bench_gc bench_w2 bench_w3 bench_w4 bench_w5 bench_w6)
for program in "${programs[@]}"; do
  if [[ ! -x "$bin/$program" ]]; then
    echo "missing $bin/$program: build with -DGITSTATE_BENCH=ON first" >&2
    exit 2
  fi
done

have_pygit2() {
  python3 -c 'import pygit2' 2>/dev/null || /usr/bin/python3 -c 'import pygit2' 2>/dev/null
}
if ! have_pygit2 && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
  echo "# installing python3-pygit2 for bench_w1_reads' baseline" >&2
  apt-get install -y -q python3-pygit2 >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q python3-pygit2 >&2; } ||
    echo "# could not install python3-pygit2: bench_w1_reads skips its pygit2 baseline" >&2
fi

status=0
run() {
  echo "# $*" >&2
  local start=$SECONDS
  "$@" | tee -a "$log" || status=1
  echo "# $1 took $((SECONDS - start)) s" >&2
}

for program in "${programs[@]}"; do
  run "$bin/$program"
done

echo "# summary: ratios and checks" >&2
grep -E '"(ratio|check|error|skipped)"' "$log" || true
if [[ -n "$out" ]]; then cp "$log" "$out"; fi
exit $status
