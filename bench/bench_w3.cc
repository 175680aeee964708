// W3 diff: the cost of diffing two versions follows the size of the change,
// not of the state. Target: a 10-leaf diff at 10^6 leaves costs <= 2x the
// same diff at 10^4 leaves; entries visited are reported (DiffStats).
//
// Two shapes of state (state_shape.h: nested and flat), each at every size.
// The base state is written with write_state through the pack backend; the
// second version changes `c` leaves spread evenly over the state with one
// apply_edits; both are flushed into the repository. Then, per repetition:
//   gitstate        diff_trees (with_values = false: ids only, like libgit2)
//   gitstate+values diff_trees (with_values = true: reads the changed values)
//   libgit2         git_diff_tree_to_tree, default options
// each "cold" (a freshly opened store / repository whose object database is
// open, one untimed existence check, but holds no parsed object) and "warm"
// (the same handle again, after one untimed diff). The OS page cache is warm
// for all.

#include <algorithm>
#include <map>
#include <memory>

#include "bench_util.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/tree_diff.h"
#include "gitstate/plumbing/tree_edit.h"
#include "gitstate_support.h"
#include "repeat.h"
#include "state_shape.h"
#include "w3_libgit2_diff.h"

namespace {

using namespace bench;

constexpr const char* kUsage =
    "bench_w3: W3 diff cost against state size and change size\n"
    "  --sizes LIST       leaves per state (default 10000,1000000)\n"
    "  --changes LIST     leaves changed between the versions (default 10,10000);\n"
    "                     a change count above 1/100 of a size is skipped at that size\n"
    "  --shapes LIST      nested,flat (default both)\n"
    "  --reps N           repetitions at most; medians are reported (default 9)\n"
    "  --case-seconds S   after 3 repetitions, stop a case past S seconds (default 3)\n"
    "  --keep             keep the scratch repositories\n"
    "  --stock-malloc     keep glibc's heap trimming (see bench/README.md)\n";

struct Measured : Repeated {
  gitstate::DiffStats stats{};
};

struct Versions {
  std::string repo_dir;
  gitstate::Oid base;
  std::map<int64_t, gitstate::Oid> changed;  // change count -> second version
};

// Writes the base state and one changed version per change count; flushes.
Versions build(const std::string& repo_dir, const Shape& shape, int64_t size,
               const std::vector<int64_t>& changes) {
  Versions v;
  v.repo_dir = repo_dir;
  GitstateRepo repo = GitstateRepo::create(repo_dir);
  auto start = Clock::now();
  v.base = must(gitstate::write_state(*repo.store, shape.state()), "write_state");
  double write_seconds = seconds_since(start);
  start = Clock::now();
  must(repo.store->flush(false), "flush");
  double flush_seconds = seconds_since(start);
  for (int64_t c : changes) {
    std::vector<gitstate::Edit> edits;
    int64_t stride = size / c;
    for (int64_t t = 0; t < c; ++t) {
      gitstate::Edit edit;
      edit.path = shape.path(t * stride + stride / 2);
      edit.value = nlohmann::json(-1 - t);
      edits.push_back(std::move(edit));
    }
    v.changed[c] = must(gitstate::apply_edits(*repo.store, v.base, edits), "apply_edits");
  }
  must(repo.store->flush(false), "flush");
  emit(Line{{"bench", "w3_build"},
            {"shape", shape.name()},
            {"leaves", size},
            {"write_state_seconds", write_seconds},
            {"flush_seconds", flush_seconds}});
  return v;
}

Measured measure_gitstate(const Versions& v, const gitstate::Oid& changed, bool with_values,
                          bool warm, const RepPolicy& policy) {
  gitstate::DiffOptions options;
  options.with_values = with_values;
  gitstate::DiffStats stats{};
  auto open = [&v] {
    auto repo = std::make_unique<GitstateRepo>(GitstateRepo::open(v.repo_dir));
    if (!repo->store->contains(v.base)) die("the pack backend does not find " + v.base.hex());
    return repo;
  };
  auto diff = [&](GitstateRepo& repo) {
    stats = {};
    return must(gitstate::diff_trees(*repo.store, v.base, changed, options, &stats), "diff_trees")
        .size();
  };
  Measured m{repeat(open, diff, warm, policy)};
  m.stats = stats;
  return m;
}

Measured measure_libgit2(const Versions& v, const gitstate::Oid& changed, bool warm,
                         const RepPolicy& policy) {
  auto open = [&v] {
    auto differ = std::make_unique<w3::Libgit2Differ>(v.repo_dir);
    differ->open_odb(v.base.hex());
    return differ;
  };
  auto diff = [&](w3::Libgit2Differ& differ) {
    return differ.diff(v.base.hex(), changed.hex()).deltas;
  };
  return Measured{repeat(open, diff, warm, policy)};
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::vector<long long> sizes = flags.nums("sizes", "10000,1000000");
  std::vector<long long> change_counts = flags.nums("changes", "10,10000");
  std::string shapes_flag = flags.str("shapes", "nested,flat");
  RepPolicy policy;
  policy.max = flags.num("reps", 9);
  policy.budget_seconds = static_cast<double>(flags.num("case-seconds", 3));
  const bool keep = finish_flags(flags, kUsage);
  std::vector<std::string> shapes = parse_shapes(shapes_flag);
  if (shapes.empty() || sizes.empty() || change_counts.empty() || policy.max < 1)
    die("--shapes, --sizes and --changes must not be empty; --reps must be >= 1");

  ScratchDir scratch("w3", keep);
  bool ok = true;
  // (shape, impl, cache, changes, leaves) -> timings, for the ratios.
  std::map<std::tuple<std::string, std::string, std::string, int64_t, int64_t>, Samples> timings;
  for (const std::string& shape_name : shapes) {
    for (long long size : sizes) {
      std::vector<int64_t> changes;
      for (long long c : change_counts)
        if (c >= 1 && c * 100 <= size) changes.push_back(c);
      if (changes.empty()) continue;
      Shape shape(shape_name, size);
      std::string dir = scratch.sub(shape_name + "-" + std::to_string(size));
      Versions v = build(dir, shape, size, changes);
      for (int64_t c : changes) {
        const gitstate::Oid& changed = v.changed[c];
        struct Variant {
          const char* impl;
          bool warm;
        };
        for (Variant variant : {Variant{"gitstate", false}, Variant{"gitstate", true},
                                Variant{"gitstate+values", false}, Variant{"libgit2", false},
                                Variant{"libgit2", true}}) {
          std::string impl = variant.impl;
          Measured m = impl == "libgit2" ? measure_libgit2(v, changed, variant.warm, policy)
                                         : measure_gitstate(v, changed, impl == "gitstate+values",
                                                            variant.warm, policy);
          const char* cache = variant.warm ? "warm" : "cold";
          Line line{{"bench", "w3_diff"}, {"shape", shape_name}, {"leaves", size},
                    {"changed", c},       {"impl", impl},        {"cache", cache}};
          m.samples.describe(line);
          line["us"] = m.samples.med() * 1e6;
          line["changes_found"] = m.result;
          line["page_faults"] = median(m.page_faults);
          if (impl != "libgit2") {
            line["trees_read"] = m.stats.trees_read;
            line["entries_compared"] = m.stats.entries_compared;
          }
          bool right = m.result == static_cast<size_t>(c);
          line["ok"] = right;
          ok = ok && right;
          emit(line);
          timings[{shape_name, impl, cache, c, size}] = m.samples;
        }
      }
      if (!keep) {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
      }
    }
  }

  // Cost follows the change: the same change count at the largest size over the smallest.
  if (sizes.size() >= 2) {
    long long small = *std::min_element(sizes.begin(), sizes.end());
    long long large = *std::max_element(sizes.begin(), sizes.end());
    for (const std::string& shape : shapes)
      for (long long c : change_counts)
        for (const char* impl : {"gitstate", "gitstate+values", "libgit2"})
          for (const char* cache : {"cold", "warm"}) {
            auto a = timings.find({shape, impl, cache, c, large});
            auto b = timings.find({shape, impl, cache, c, small});
            if (a == timings.end() || b == timings.end()) continue;
            emit(ratio_line("w3 " + std::string(impl) + " " + cache + " " + shape + " " +
                                std::to_string(c) + " changed: " + std::to_string(large) + "/" +
                                std::to_string(small) + " leaves",
                            a->second.med(), b->second.med(), a->second.min(), b->second.min()));
          }
  }
  // gitstate's speedup over libgit2 on the same diff.
  for (const auto& [key, samples] : timings) {
    const auto& [shape, impl, cache, c, size] = key;
    if (impl != "gitstate") continue;
    auto base = timings.find({shape, "libgit2", cache, c, size});
    if (base == timings.end()) continue;
    emit(ratio_line("w3 libgit2/gitstate time, " + cache + " " + shape + " " + std::to_string(c) +
                        " changed of " + std::to_string(size),
                    base->second.med(), samples.med(), base->second.min(), samples.min()));
  }
  return ok ? 0 : 1;
}
