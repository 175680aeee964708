// W2 wide map: the cost of one single-member commit as an object grows from
// 10^3 to 10^6 members. Target: per-commit cost at 10^6 <= 3x the cost at 10^3
// (the codec's fanout keeps every tree on a path small), and peak RSS at 10^6
// under 1 GiB.
//
// The state is {"m": {"k0": 0, ..., "k<n-1>": n-1}}, written once (untimed)
// with write_state through the pack backend and flushed. Each repetition then
// makes `commits` commits, each setting one member /m/k<j> (j spread over the
// whole map) through apply_edits + encode_commit + a store write, and ends
// with one durable flush (timed: it is part of what a commit costs).
// Each size runs in its own child process, so its peak RSS is its own.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "bench_util.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/tree_edit.h"
#include "gitstate_support.h"

namespace {

using namespace bench;

constexpr const char* kUsage =
    "bench_w2: W2 wide map, per-commit cost as one object grows\n"
    "  --sizes LIST    member counts (default 1000,10000,100000,1000000)\n"
    "  --commits N     commits per repetition (default 1000)\n"
    "  --reps N        repetitions per size; medians are reported (default 3)\n"
    "  --keep          keep the scratch repositories\n"
    "  --stock-malloc  keep glibc's heap trimming (see bench/README.md)\n";

std::string member_key(int64_t j) {
  std::string key = "k";
  key += std::to_string(j);
  return key;
}

// The member the c-th commit sets: a stride that visits the whole map.
int64_t member_of_commit(int64_t c, int64_t size) { return (c * 7919 + 13) % size; }

struct SizeResult {
  double per_commit_seconds = 0;       // median repetition
  double best_per_commit_seconds = 0;  // fastest repetition
};

// Runs one size in this process; prints its lines; returns the median.
SizeResult run_size(const std::string& repo_dir, int64_t size, int64_t commits, long long reps) {
  GitstateRepo repo = GitstateRepo::create(repo_dir);
  gitstate::ObjectStore& store = *repo.store;

  auto build_start = Clock::now();
  gitstate::Oid root;
  {
    nlohmann::json members = nlohmann::json::object();
    for (int64_t j = 0; j < size; ++j) members[member_key(j)] = j;
    nlohmann::json state = nlohmann::json::object();
    state["m"] = std::move(members);
    root = must(gitstate::write_state(store, state), "write_state");
  }
  gitstate::Oid head = write_commit(store, root, std::nullopt, "wide map\n");
  must(store.flush(/*durable=*/false), "flush the initial state");
  double build_seconds = seconds_since(build_start);
  long long rss_after_build = peak_rss_bytes();

  Samples samples, flushes;
  int64_t c = 0;
  for (long long rep = 0; rep < reps; ++rep) {
    auto start = Clock::now();
    for (int64_t i = 0; i < commits; ++i, ++c) {
      std::string ptr = "/m/";
      ptr += member_key(member_of_commit(c, size));
      gitstate::Edit edit;
      edit.path = must(gitstate::parse_pointer(ptr), "parse_pointer");
      edit.value = nlohmann::json(size + c);
      root = must(gitstate::apply_edits(store, root, {std::move(edit)}), "apply_edits");
      head = write_commit(store, root, head, "set " + ptr + "\n");
    }
    auto flush_start = Clock::now();
    must(store.flush(/*durable=*/true), "flush");
    flushes.add(seconds_since(flush_start));
    samples.add(seconds_since(start));
  }
  must(gitstate::update_ref(*repo.dir, w1::kRef, head, std::nullopt, "bench_w2"), "update_ref");

  Line line{{"bench", "w2_wide_map"}, {"impl", "gitstate"}, {"members", size}, {"commits", commits}};
  samples.describe(line);
  line["per_sec"] = commits / samples.med();
  line["us_per_commit"] = samples.med() / commits * 1e6;
  line["flush_seconds"] = flushes.med();
  line["build_seconds"] = build_seconds;
  line["peak_rss_mb_after_build"] = rss_after_build / 1048576.0;
  line["peak_rss_mb"] = peak_rss_bytes() / 1048576.0;
  emit(line);
  return SizeResult{samples.med() / commits, samples.min() / commits};
}

// Runs run_size in a child process; returns its result, or nullopt if it failed.
std::optional<SizeResult> run_size_in_child(const std::string& repo_dir, int64_t size, int64_t commits,
                                            long long reps) {
  int fds[2];
  if (pipe(fds) != 0) die("pipe failed");
  std::cout.flush();
  pid_t pid = fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    close(fds[0]);
    SizeResult r = run_size(repo_dir, size, commits, reps);
    std::cout.flush();
    ssize_t n = write(fds[1], &r, sizeof r);
    _exit(n == static_cast<ssize_t>(sizeof r) ? 0 : 3);
  }
  close(fds[1]);
  SizeResult r;
  ssize_t n = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n != static_cast<ssize_t>(sizeof r) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::vector<long long> sizes = flags.nums("sizes", "1000,10000,100000,1000000");
  const int64_t commits = flags.num("commits", 1000);
  const long long reps = flags.num("reps", 3);
  const bool keep = finish_flags(flags, kUsage);
  if (sizes.empty() || commits < 1 || reps < 1) die("--sizes must list sizes; --commits and --reps must be >= 1");
  for (long long s : sizes)
    if (s < 1) die("--sizes must be >= 1");

  ScratchDir scratch("w2", keep);
  std::vector<std::pair<long long, SizeResult>> results;
  bool ok = true;
  for (long long size : sizes) {
    auto r = run_size_in_child(scratch.sub("m" + std::to_string(size)), size, commits, reps);
    if (!r) {
      emit(Line{{"error", "size " + std::to_string(size) + " failed"}});
      ok = false;
      continue;
    }
    results.emplace_back(size, *r);
    if (!keep) {
      std::error_code ec;
      std::filesystem::remove_all(scratch.sub("m" + std::to_string(size)), ec);
    }
  }
  if (!results.empty()) {
    const auto& [base_size, base] = results.front();
    for (const auto& [size, r] : results)
      if (size != base_size)
        emit(ratio_line("w2 per-commit " + std::to_string(size) + "/" + std::to_string(base_size),
                        r.per_commit_seconds, base.per_commit_seconds, r.best_per_commit_seconds,
                        base.best_per_commit_seconds));
  }
  return ok ? 0 : 1;
}
