// W3 diff: the cost of diffing two versions follows the size of the change,
// not of the state. Target: a 10-leaf diff at 10^6 leaves costs <= 2x the
// same diff at 10^4 leaves; entries visited are reported (DiffStats).
//
// Two shapes of state, each at every size:
//   nested  objects of 100 members, as deep as the size needs
//           (10^4 leaves: /a<i>/b<j>; 10^6: /a<i>/b<j>/c<k>)
//   flat    one object with every leaf as a member (/m/k<j>): the codec's fanout
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

#include <cmath>
#include <map>

#include "bench_util.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/tree_diff.h"
#include "gitstate/plumbing/tree_edit.h"
#include "gitstate_support.h"
#include "w3_libgit2_diff.h"

namespace {

using namespace bench;

constexpr const char* kUsage =
    "bench_w3: W3 diff cost against state size and change size\n"
    "  --sizes LIST    leaves per state (default 10000,1000000)\n"
    "  --changes LIST  leaves changed between the versions (default 10,10000);\n"
    "                  a change count above 1/100 of a size is skipped at that size\n"
    "  --shapes LIST   nested,flat (default both)\n"
    "  --reps N        repetitions; medians are reported (default 5)\n"
    "  --keep          keep the scratch repositories\n"
    "  --stock-malloc  keep glibc's heap trimming (see bench/README.md)\n";

constexpr int64_t kFanout = 100;  // members per object in the nested shape

// The JSON Pointer of leaf x in a state of `size` leaves.
class Shape {
 public:
  Shape(std::string name, int64_t size) : name_(std::move(name)), size_(size) {
    for (int64_t span = 1; span < size; span *= kFanout) ++depth_;
    if (depth_ == 0) depth_ = 1;
  }
  const std::string& name() const { return name_; }

  gitstate::Path path(int64_t x) const {
    if (name_ == "flat") return {"m", prefixed('k', x)};
    gitstate::Path path(static_cast<size_t>(depth_));
    for (int level = depth_ - 1; level >= 0; --level, x /= kFanout)
      path[static_cast<size_t>(level)] = prefixed(static_cast<char>('a' + level), x % kFanout);
    return path;
  }

  nlohmann::json state() const {
    nlohmann::json root = nlohmann::json::object();
    for (int64_t x = 0; x < size_; ++x) {
      nlohmann::json* node = &root;
      for (const std::string& name : path(x)) node = &(*node)[name];
      *node = x;
    }
    return root;
  }

 private:
  static std::string prefixed(char prefix, int64_t n) {
    std::string out(1, prefix);
    out += std::to_string(n);
    return out;
  }
  std::string name_;
  int64_t size_;
  int depth_ = 0;
};

struct Versions {
  std::string repo_dir;
  gitstate::Oid base;
  std::map<int64_t, gitstate::Oid> changed;  // change count -> second version
};

// Writes the base state and one changed version per change count; flushes.
Versions build(const std::string& repo_dir, const Shape& shape, int64_t size, const std::vector<int64_t>& changes) {
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

// Minor page faults of this process so far: a cold diff's reads fault in
// the freshly mapped pack and index pages.
long minor_faults() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

struct Measured {
  Samples samples;
  std::vector<double> page_faults;  // minor faults per repetition
  size_t changes = 0;
  gitstate::DiffStats stats{};
};

Measured measure_gitstate(const Versions& v, const gitstate::Oid& changed, bool with_values, bool warm,
                          long long reps) {
  Measured m;
  gitstate::DiffOptions options;
  options.with_values = with_values;
  std::optional<GitstateRepo> warm_repo;
  if (warm) {
    warm_repo = GitstateRepo::open(v.repo_dir);
    (void)must(gitstate::diff_trees(*warm_repo->store, v.base, changed, options), "diff_trees (warm-up)");
  }
  for (long long rep = 0; rep < reps; ++rep) {
    std::optional<GitstateRepo> cold_repo;
    if (!warm) {
      cold_repo = GitstateRepo::open(v.repo_dir);
      if (!cold_repo->store->contains(v.base)) die("the pack backend does not find " + v.base.hex());
    }
    gitstate::ObjectStore& store = warm ? *warm_repo->store : *cold_repo->store;
    gitstate::DiffStats stats{};
    long faults = minor_faults();
    auto start = Clock::now();
    auto changes = must(gitstate::diff_trees(store, v.base, changed, options, &stats), "diff_trees");
    m.samples.add(seconds_since(start));
    m.page_faults.push_back(static_cast<double>(minor_faults() - faults));
    m.changes = changes.size();
    m.stats = stats;
  }
  return m;
}

Measured measure_libgit2(const Versions& v, const gitstate::Oid& changed, bool warm, long long reps) {
  Measured m;
  std::optional<w3::Libgit2Differ> warm_differ;
  if (warm) {
    warm_differ.emplace(v.repo_dir);
    (void)warm_differ->diff(v.base.hex(), changed.hex());
  }
  for (long long rep = 0; rep < reps; ++rep) {
    std::optional<w3::Libgit2Differ> cold_differ;
    if (!warm) {
      cold_differ.emplace(v.repo_dir);
      cold_differ->open_odb(v.base.hex());
    }
    w3::Libgit2Differ& differ = warm ? *warm_differ : *cold_differ;
    long faults = minor_faults();
    auto r = differ.diff(v.base.hex(), changed.hex());
    m.samples.add(r.seconds);
    m.page_faults.push_back(static_cast<double>(minor_faults() - faults));
    m.changes = r.deltas;
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  std::vector<long long> sizes = flags.nums("sizes", "10000,1000000");
  std::vector<long long> change_counts = flags.nums("changes", "10,10000");
  std::string shapes_flag = flags.str("shapes", "nested,flat");
  const long long reps = flags.num("reps", 5);
  const bool keep = flags.flag("keep");
  const bool stock_malloc = flags.flag("stock-malloc");
  flags.check_unused();
  if (flags.help()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  set_malloc_policy(stock_malloc);
  std::vector<std::string> shapes;
  for (const char* s : {"nested", "flat"})
    if (("," + shapes_flag + ",").find(std::string(",") + s + ",") != std::string::npos) shapes.push_back(s);
  if (shapes.empty() || sizes.empty() || change_counts.empty() || reps < 1)
    die("--shapes, --sizes and --changes must not be empty; --reps must be >= 1");

  ScratchDir scratch("w3", keep);
  bool ok = true;
  // (shape, impl, cache, changes, leaves) -> median seconds, for the ratios.
  std::map<std::tuple<std::string, std::string, std::string, int64_t, int64_t>, double> medians;
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
        for (Variant variant : {Variant{"gitstate", false}, Variant{"gitstate", true}, Variant{"gitstate+values", false},
                                Variant{"libgit2", false}, Variant{"libgit2", true}}) {
          std::string impl = variant.impl;
          Measured m = impl == "libgit2" ? measure_libgit2(v, changed, variant.warm, reps)
                                         : measure_gitstate(v, changed, impl == "gitstate+values", variant.warm, reps);
          const char* cache = variant.warm ? "warm" : "cold";
          Line line{{"bench", "w3_diff"}, {"shape", shape_name}, {"leaves", size}, {"changed", c},
                    {"impl", impl},       {"cache", cache}};
          m.samples.describe(line);
          line["us"] = m.samples.med() * 1e6;
          line["changes_found"] = m.changes;
          line["page_faults"] = median(m.page_faults);
          if (impl != "libgit2") {
            line["trees_read"] = m.stats.trees_read;
            line["entries_compared"] = m.stats.entries_compared;
          }
          bool right = m.changes == static_cast<size_t>(c);
          line["ok"] = right;
          ok = ok && right;
          emit(line);
          medians[{shape_name, impl, cache, c, size}] = m.samples.med();
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
            auto a = medians.find({shape, impl, cache, c, large});
            auto b = medians.find({shape, impl, cache, c, small});
            if (a == medians.end() || b == medians.end()) continue;
            emit(ratio_line("w3 " + std::string(impl) + " " + cache + " " + shape + " " + std::to_string(c) +
                                " changed: " + std::to_string(large) + "/" + std::to_string(small) + " leaves",
                            a->second, b->second));
          }
  }
  // gitstate's speedup over libgit2 on the same diff.
  for (const auto& [key, seconds] : medians) {
    const auto& [shape, impl, cache, c, size] = key;
    if (impl != "gitstate") continue;
    auto base = medians.find({shape, "libgit2", cache, c, size});
    if (base == medians.end()) continue;
    emit(ratio_line("w3 libgit2/gitstate time, " + cache + " " + shape + " " + std::to_string(c) + " changed of " +
                        std::to_string(size),
                    base->second, seconds));
  }
  return ok ? 0 : 1;
}
