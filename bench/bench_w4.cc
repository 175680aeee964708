// W4 merge: a base of 10^5 leaves; branch A ("ours") changes 1,000 leaves,
// branch B ("theirs") changes 1,000 others and 10 of A's (to other values).
// Target: the merge costs <= 2x the two diffs it needs (base->A, base->B),
// and reports exactly 10 conflicts.
//
// Both shapes of state_shape.h (nested and flat). The three trees are written
// with write_state / apply_edits through the pack backend and flushed. Then,
// per repetition:
//   gitstate merge         merge_trees(base, A, B), strategy kReport (the
//                          merged tree is built, its objects left pending)
//   gitstate 2 diffs       diff_trees(base, A) + diff_trees(base, B), ids only
//   gitstate 2 diffs+values the same two diffs reading the changed values
//   libgit2 merge          git_merge_trees(base, A, B), default options, into
//                          an in-memory index (libgit2 writes no tree when
//                          there are conflicts)
// each "cold" (a freshly opened store / repository whose object database is
// open, but which holds no parsed object) and "warm" (the same handle again,
// after one untimed run). The OS page cache is warm for all.
//
// Checks: the merge reports exactly the overlapping leaves as conflicts (and
// libgit2 as many conflicted paths); the merged tree equals the expected
// state (A's and B's changes, A's value at each conflict) encoded from
// scratch; the diffs find every change.

#include <map>
#include <memory>
#include <set>

#include "bench_util.h"
#include "gitstate/plumbing/tree_diff.h"
#include "gitstate/plumbing/tree_edit.h"
#include "gitstate/plumbing/tree_merge.h"
#include "gitstate_support.h"
#include "repeat.h"
#include "state_shape.h"
#include "w4_libgit2_merge.h"

namespace {

using namespace bench;

constexpr const char* kUsage =
    "bench_w4: W4 three-way merge against the two diffs it needs and libgit2\n"
    "  --leaves N         leaves in the base state (default 100000)\n"
    "  --changes N        leaves each branch changes (default 1000)\n"
    "  --overlap N        of B's changes, leaves A changed too: the conflicts (default 10)\n"
    "  --shapes LIST      nested,flat (default both)\n"
    "  --reps N           repetitions at most; medians are reported (default 9)\n"
    "  --case-seconds S   after 3 repetitions, stop a case past S seconds (default 3)\n"
    "  --keep             keep the scratch repositories\n"
    "  --stock-malloc     keep glibc's heap trimming (see bench/README.md)\n";

struct Workload {
  int64_t leaves = 0, changes = 0, overlap = 0;
};

// Leaf changes of one branch: leaf index -> new value.
using Changes = std::map<int64_t, int64_t>;

// A changes leaves stride/2 of each stride; B changes leaves stride/4 of each
// stride, plus `overlap` of A's leaves (spread over them) to other values.
std::pair<Changes, Changes> branch_changes(const Workload& w) {
  Changes a, b;
  const int64_t stride = w.leaves / w.changes;
  for (int64_t t = 0; t < w.changes; ++t) {
    a[t * stride + stride / 2] = -1 - t;
    b[t * stride + stride / 4] = -1'000'000 - t;
  }
  for (int64_t k = 0; k < w.overlap; ++k) {
    const int64_t t = k * (w.changes / w.overlap);
    b[t * stride + stride / 2] = -2'000'000 - t;
  }
  return {a, b};
}

gitstate::Oid edit(gitstate::ObjectStore& store, const gitstate::Oid& base, const Shape& shape,
                   const Changes& changes) {
  std::vector<gitstate::Edit> edits;
  for (const auto& [leaf, value] : changes) {
    gitstate::Edit e;
    e.path = shape.path(leaf);
    e.value = nlohmann::json(value);
    edits.push_back(std::move(e));
  }
  return must(gitstate::apply_edits(store, base, edits), "apply_edits");
}

struct Trees {
  std::string repo_dir;
  gitstate::Oid base, ours, theirs;
  gitstate::Oid expected;  // the merged state encoded from scratch
  size_t diff_changes = 0;
};

Trees build(const std::string& repo_dir, const Shape& shape, const Workload& w) {
  Trees t;
  t.repo_dir = repo_dir;
  auto [a, b] = branch_changes(w);
  GitstateRepo repo = GitstateRepo::create(repo_dir);
  auto start = Clock::now();
  t.base = must(gitstate::write_state(*repo.store, shape.state()), "write_state");
  t.ours = edit(*repo.store, t.base, shape, a);
  t.theirs = edit(*repo.store, t.base, shape, b);
  must(repo.store->flush(false), "flush");
  t.diff_changes = a.size() + b.size();

  nlohmann::json merged = shape.state();
  Changes both = b;
  for (const auto& [leaf, value] : a) both[leaf] = value;  // ours' value at each conflict
  for (const auto& [leaf, value] : both) {
    nlohmann::json* node = &merged;
    for (const std::string& name : shape.path(leaf)) node = &(*node)[name];
    *node = value;
  }
  GitstateRepo scratch = GitstateRepo::create("");
  t.expected = must(gitstate::write_state(*scratch.store, merged), "write_state (expected)");
  emit(Line{{"bench", "w4_build"},
            {"shape", shape.name()},
            {"leaves", w.leaves},
            {"seconds", seconds_since(start)}});
  return t;
}

std::unique_ptr<GitstateRepo> open_gitstate(const Trees& t) {
  auto repo = std::make_unique<GitstateRepo>(GitstateRepo::open(t.repo_dir));
  if (!repo->store->contains(t.base)) die("the pack backend does not find " + t.base.hex());
  return repo;
}

struct MergeRun {
  Repeated timing;
  gitstate::MergeResult last;
};

MergeRun measure_merge(const Trees& t, bool warm, const RepPolicy& policy) {
  MergeRun run;
  auto merge = [&](GitstateRepo& repo) {
    run.last = must(gitstate::merge_trees(*repo.store, t.base, t.ours, t.theirs), "merge_trees");
    return run.last.conflicts.size();
  };
  run.timing = repeat([&t] { return open_gitstate(t); }, merge, warm, policy);
  return run;
}

Repeated measure_diffs(const Trees& t, bool with_values, bool warm, const RepPolicy& policy) {
  gitstate::DiffOptions options;
  options.with_values = with_values;
  auto diffs = [&](GitstateRepo& repo) {
    return must(gitstate::diff_trees(*repo.store, t.base, t.ours, options), "diff_trees").size() +
           must(gitstate::diff_trees(*repo.store, t.base, t.theirs, options), "diff_trees").size();
  };
  return repeat([&t] { return open_gitstate(t); }, diffs, warm, policy);
}

Repeated measure_libgit2(const Trees& t, bool warm, const RepPolicy& policy) {
  auto open = [&t] {
    auto merger = std::make_unique<w4::Libgit2Merger>(t.repo_dir);
    merger->open_odb(t.base.hex());
    return merger;
  };
  auto merge = [&t](w4::Libgit2Merger& merger) {
    return merger.merge(t.base.hex(), t.ours.hex(), t.theirs.hex());
  };
  return repeat(open, merge, warm, policy);
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  Workload w;
  w.leaves = flags.num("leaves", 100000);
  w.changes = flags.num("changes", 1000);
  w.overlap = flags.num("overlap", 10);
  std::vector<std::string> shapes = parse_shapes(flags.str("shapes", "nested,flat"));
  RepPolicy policy;
  policy.max = flags.num("reps", 9);
  policy.budget_seconds = static_cast<double>(flags.num("case-seconds", 3));
  const bool keep = finish_flags(flags, kUsage);
  if (shapes.empty() || policy.max < 1) die("--shapes must not be empty; --reps must be >= 1");
  if (w.overlap < 1 || w.changes < w.overlap || w.changes * 4 > w.leaves)
    die("want 1 <= --overlap <= --changes <= --leaves / 4");

  ScratchDir scratch("w4", keep);
  bool ok = true;
  for (const std::string& shape_name : shapes) {
    Shape shape(shape_name, w.leaves);
    Trees t = build(scratch.sub(shape_name), shape, w);
    std::map<std::string, Samples> timings;  // "<impl> <cache>" -> seconds
    for (bool warm : {false, true}) {
      const char* cache = warm ? "warm" : "cold";
      Line common{
          {"bench", "w4_merge"}, {"shape", shape_name}, {"leaves", w.leaves}, {"cache", cache}};
      auto report = [&](const std::string& impl, const Repeated& r, size_t expected,
                        const char* counted) {
        Line line = common;
        line["impl"] = impl;
        r.samples.describe(line);
        line["ms"] = r.samples.med() * 1e3;
        line["page_faults"] = median(r.page_faults);
        line[counted] = r.result;
        line["ok"] = r.result == expected;
        ok = ok && r.result == expected;
        timings[impl + " " + cache] = r.samples;
        return line;
      };
      MergeRun merge = measure_merge(t, warm, policy);
      Line line =
          report("gitstate merge", merge.timing, static_cast<size_t>(w.overlap), "conflicts");
      line["trees_read"] = merge.last.stats.trees_read;
      line["entries_compared"] = merge.last.stats.entries_compared;
      line["members_looked_up"] = merge.last.stats.members_looked_up;
      bool same_tree = merge.last.tree == t.expected;
      line["merged_tree_as_expected"] = same_tree;
      ok = ok && same_tree;
      emit(line);
      emit(report("gitstate 2 diffs", measure_diffs(t, false, warm, policy), t.diff_changes,
                  "changes"));
      emit(report("gitstate 2 diffs+values", measure_diffs(t, true, warm, policy), t.diff_changes,
                  "changes"));
      emit(report("libgit2 merge", measure_libgit2(t, warm, policy), static_cast<size_t>(w.overlap),
                  "conflicts"));
      auto ratio = [&](const std::string& name, const std::string& a, const std::string& b) {
        const Samples& x = timings[a + " " + cache];
        const Samples& y = timings[b + " " + cache];
        emit(ratio_line("w4 " + name + ", " + cache + " " + shape_name, x.med(), y.med(), x.min(),
                        y.min()));
      };
      ratio("merge / 2 diffs (target <= 2)", "gitstate merge", "gitstate 2 diffs");
      ratio("merge / 2 diffs+values", "gitstate merge", "gitstate 2 diffs+values");
      ratio("libgit2 merge / gitstate merge", "libgit2 merge", "gitstate merge");
    }
    emit(Line{{"check", "w4 conflicts and merged tree"}, {"shape", shape_name}, {"ok", ok}});
  }
  return ok ? 0 : 1;
}
