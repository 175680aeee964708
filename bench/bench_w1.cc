// W1 config churn, batch write path: gitstate beside its baselines in one run.
//
// Every implementation runs the workload of w1_workload.h (an untimed 1,000-leaf
// initial state, then N single-leaf commits). Repetitions are interleaved
// (rep 1 of every implementation, then rep 2, ...) so machine noise hits
// them alike; each result line holds the median. Afterwards the program
// checks that every implementation reached the same head commit id and that
// `git fsck --strict` accepts gitstate's repository; it exits 1 if not.

#include <map>
#include <set>
#include <sstream>

#include "bench_util.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/refs.h"
#include "gitstate/plumbing/tree_edit.h"
#include "gitstate_support.h"
#include "w1_baselines.h"
#include "w1_workload.h"

namespace {

using namespace bench;
using namespace bench::w1;

constexpr const char* kUsage =
    "bench_w1: W1 config churn, gitstate batch writes beside their baselines\n"
    "  --commits N          commits per run (default 10000)\n"
    "  --libgit2-commits N  commits per libgit2-direct run, the slow one (default 2000)\n"
    "  --reps N             repetitions, interleaved; medians are reported (default 3)\n"
    "  --impls LIST         comma-separated subset of: gitstate,gitstate-mem,limit,\n"
    "                       hash-only,libgit2,fast-import (default: all)\n"
    "  --keep               keep the scratch repositories\n"
    "  --stock-malloc       keep glibc's heap trimming (see bench/README.md)\n";

const std::vector<std::string> kAllImpls = {"limit", "hash-only", "gitstate", "gitstate-mem", "libgit2",
                                            "fast-import"};

// gitstate through the plumbing layer: per commit one apply_edits, one
// encode_commit and one store write; one durable flush and one ref update at
// the end (both timed). `repo_dir` empty: in-memory backend, no flush, no ref.
RunResult run_gitstate(const std::string& repo_dir, int64_t commits) {
  GitstateRepo repo = GitstateRepo::create(repo_dir);
  gitstate::ObjectStore& store = *repo.store;
  gitstate::Oid root = must(gitstate::write_state(store, initial_state()), "write_state");
  gitstate::Oid head = write_commit(store, root, std::nullopt, kInitialMessage);

  auto start = Clock::now();
  for (int64_t i = 0; i < commits; ++i) {
    gitstate::Edit edit;
    edit.path = must(gitstate::parse_pointer(pointer(leaf_of_commit(i))), "parse_pointer");
    edit.value = nlohmann::json(commit_value(i));
    root = must(gitstate::apply_edits(store, root, {std::move(edit)}), "apply_edits");
    head = write_commit(store, root, head, message(i));
  }
  auto tail_start = Clock::now();
  if (repo.dir) {
    must(store.flush(/*durable=*/true), "flush");
    must(gitstate::update_ref(*repo.dir, kRef, head, std::nullopt, "bench_w1"), "update_ref");
  }
  RunResult result;
  result.seconds = seconds_since(start);
  result.tail_seconds = seconds_since(tail_start);
  result.head = head.hex();
  return result;
}

std::vector<std::string> parse_impls(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.empty()) continue;
    if (std::find(kAllImpls.begin(), kAllImpls.end(), item) == kAllImpls.end())
      die("unknown implementation '" + item + "'");
    out.push_back(item);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const int64_t commits = flags.num("commits", 10000);
  const int64_t libgit2_commits = std::min<int64_t>(flags.num("libgit2-commits", 2000), commits);
  const long long reps = flags.num("reps", 3);
  std::vector<std::string> impls = parse_impls(flags.str("impls", ""));
  const bool keep = finish_flags(flags, kUsage);
  if (commits < 1 || libgit2_commits < 1 || reps < 1) die("--commits, --libgit2-commits and --reps must be >= 1");
  if (impls.empty()) impls = kAllImpls;
  auto wanted = [&impls](const std::string& impl) {
    return std::find(impls.begin(), impls.end(), impl) != impls.end();
  };
  if (wanted("fast-import") && !have_git()) {
    emit(Line{{"skipped", "fast-import"}, {"why", "git is not installed"}});
    impls.erase(std::find(impls.begin(), impls.end(), "fast-import"));
  }

  const BlobFormat format = codec_blob_format();
  const std::string stream = wanted("fast-import") ? fast_import_stream(commits, format) : std::string();
  ScratchDir scratch("w1", keep);

  // The heads every implementation must reach, from an untimed hash-only run.
  const RunResult expected = run_limit(commits, format, /*deflate=*/false, libgit2_commits);

  std::map<std::string, Samples> samples, tails;
  std::map<std::string, RunResult> last;  // the last run of each implementation
  std::string gitstate_repo;
  for (long long rep = 0; rep < reps; ++rep) {
    for (const std::string& impl : impls) {
      std::string dir = scratch.sub(impl + "-" + std::to_string(rep));
      RunResult r;
      if (impl == "limit" || impl == "hash-only") {
        r = run_limit(commits, format, impl == "limit");
      } else if (impl == "gitstate") {
        r = run_gitstate(dir, commits);
        gitstate_repo = dir;
      } else if (impl == "gitstate-mem") {
        r = run_gitstate("", commits);
      } else if (impl == "libgit2") {
        r = run_libgit2_direct(dir, libgit2_commits, format);
      } else if (impl == "fast-import") {
        r = run_fast_import(dir, stream);
      }
      samples[impl].add(r.seconds);
      tails[impl].add(r.tail_seconds);
      last[impl] = r;
      // Keep only the newest gitstate repository (fsck'd below); drop the rest.
      if (impl != "gitstate" || rep + 1 < reps) {
        std::error_code ec;
        if (!keep) std::filesystem::remove_all(dir, ec);
      }
    }
  }

  std::map<std::string, double> per_sec, best_per_sec;
  for (const std::string& impl : impls) {
    int64_t n = impl == "libgit2" ? libgit2_commits : commits;
    Line line{{"bench", "w1_batch"}, {"impl", impl}, {"commits", n}};
    samples[impl].describe(line);
    per_sec[impl] = n / samples[impl].med();
    best_per_sec[impl] = n / samples[impl].min();
    line["per_sec"] = per_sec[impl];
    line["us_per_commit"] = samples[impl].med() / n * 1e6;
    if (impl == "gitstate") line["flush_and_ref_seconds"] = tails[impl].med();
    if (impl == "fast-import") line["note"] = "process time, includes the initial state and process start";
    emit(line);
  }
  // Throughput ratios: gitstate's commits/s over the baseline's.
  const std::pair<const char*, const char*> kRatios[] = {{"fast-import", "gitstate/fast-import"},
                                                         {"hash-only", "gitstate/hash-only-limit"},
                                                         {"limit", "gitstate/limit"},
                                                         {"libgit2", "gitstate/libgit2"},
                                                         {"gitstate-mem", "gitstate/gitstate-mem"}};
  if (per_sec.count("gitstate"))
    for (const auto& [base, name] : kRatios)
      if (per_sec.count(base))
        emit(ratio_line(name, per_sec["gitstate"], per_sec[base], best_per_sec["gitstate"], best_per_sec[base]));

  // Every implementation must have built the same history.
  bool ok = true;
  for (const std::string& impl : impls) {
    bool short_run = impl == "libgit2";
    const std::string& want = short_run ? expected.checkpoint_head : expected.head;
    bool same = last[impl].head == want;
    ok = ok && same;
    emit(Line{{"check", "same head"},
              {"impl", impl},
              {"commits", short_run ? libgit2_commits : commits},
              {"head", last[impl].head},
              {"ok", same}});
  }
  if (!gitstate_repo.empty()) ok = fsck_check("w1_batch", "gitstate", gitstate_repo) && ok;
  return ok ? 0 : 1;
}
