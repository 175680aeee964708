// W1 historical reads: one path read at 100 historical commits, once each,
// in process through gitstate (revision resolution + Repository::get), beside
// pygit2 doing the same on the same repository (w1_reads_pygit2.py, run as a
// subprocess that times its own loop); then repeated reads of the same path
// at the head. Targets: historical reads >= 5x faster than pygit2; head reads
// <= 2 us per path.
//
// The history is the W1 workload made with the Batch API (untimed): the
// initial state, then --commits single-leaf commits. The path is /s3/g4/k5
// (written every 1,000 commits). The commits read are main~k for k = j *
// commits / reads (j = 0 .. reads-1), named two ways:
//
//   history-id        their full commit ids (resolution is a lookup)
//   history-ancestor  "main~k" (resolution walks k first parents)
//   head              the current branch: Repository::get(path) with no
//                     revision; "HEAD" for pygit2
//   head-id           the head's full commit id
//
// Each history repetition opens the repository afresh (untimed), so no parsed
// object is cached in the process; the head repetitions read --head-reads times
// on a handle that has read the path once. Repetitions are interleaved: each
// runs gitstate, then the pygit2 script (one repetition per script run). The
// program checks that both read the value the workload says each commit holds.

#include <fstream>
#include <map>
#include <vector>

#include "bench_util.h"
#include "w1_porcelain.h"
#include "w1_workload.h"

namespace {

using namespace bench;
using namespace bench::w1;

constexpr const char* kUsage =
    "bench_w1_reads: W1 reads of one path at historical commits and at the head,\n"
    "gitstate in process beside pygit2\n"
    "  --commits N         W1 commits in the history (default 10000)\n"
    "  --reads N           historical commits read, once each (default 100)\n"
    "  --head-reads N      reads of the path at the head per repetition (default 20000)\n"
    "  --reps N            repetitions, interleaved; medians are reported (default 5)\n"
    "  --python CMD        the Python that runs the pygit2 baseline (default: the first\n"
    "                      of python3, /usr/bin/python3 that can import pygit2)\n"
    "  --pygit2-script F   the baseline's script (default: w1_reads_pygit2.py in bench/)\n"
    "  --keep              keep the scratch repository\n"
    "  --stock-malloc      keep glibc's heap trimming (see bench/README.md)\n";

constexpr Leaf kLeaf{3, 4, 5};
constexpr double kHeadTargetUs = 2;

// The value of `leaf` once the first `applied` W1 commits are in.
int64_t value_after(const Leaf& leaf, int64_t applied) {
  const int64_t code =
      leaf.s + 10 * leaf.g + 100 * leaf.k;  // leaf_of_commit(i) == leaf iff i % 1000 == code
  if (applied <= code) return initial_value(leaf);
  return commit_value(code + 1000 * ((applied - 1 - code) / 1000));
}

// Reads the path once at each revision, on a freshly opened repository.
double read_history(const std::string& dir, const std::vector<std::string>& revs,
                    std::vector<nlohmann::json>& values) {
  gitstate::Repository repo = must(gitstate::Repository::open(dir), "Repository::open");
  const std::string path = pointer(kLeaf);
  values.clear();
  auto start = Clock::now();
  for (const std::string& rev : revs) values.push_back(must(repo.get(path, rev), "get at " + rev));
  return seconds_since(start);
}

// Reads the path `n` times at `rev`, after one untimed read.
double read_head(const std::string& dir, const std::string& rev, long long n) {
  gitstate::Repository repo = must(gitstate::Repository::open(dir), "Repository::open");
  const std::string path = pointer(kLeaf);
  must(repo.get(path, rev), "get at the head");
  auto start = Clock::now();
  for (long long r = 0; r < n; ++r) must(repo.get(path, rev), "get at the head");
  return seconds_since(start);
}

// The Python that can import pygit2, or "" when none can.
std::string find_python(const std::string& wanted) {
  std::vector<std::string> candidates = {wanted};
  if (wanted.empty()) candidates = {"python3", "/usr/bin/python3"};
  for (const std::string& python : candidates)
    if (run_command(python + " -c 'import pygit2'").ok()) return python;
  return "";
}

// One run of the pygit2 script (one repetition); its JSON result.
nlohmann::json run_pygit2(const std::string& python, const std::string& script,
                          const std::string& request_file, const nlohmann::json& request) {
  std::ofstream(request_file) << request.dump();
  CommandResult r =
      run_command(python + " " + shell_quote(script) + " " + shell_quote(request_file));
  std::string last = r.output.substr(0, r.output.find_last_not_of('\n') + 1);
  last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
  auto result = nlohmann::json::parse(last, nullptr, /*allow_exceptions=*/false);
  if (!r.ok() || !result.is_object())
    die("the pygit2 baseline failed: " + r.output.substr(0, 2000));
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const int64_t commits = flags.num("commits", 10000);
  const long long reads = flags.num("reads", 100);
  const long long head_reads = flags.num("head-reads", 20000);
  const long long reps = flags.num("reps", 5);
  const std::string python = find_python(flags.str("python", ""));
  const std::string script = flags.str("pygit2-script", W1_READS_PYGIT2);
  const bool keep = finish_flags(flags, kUsage);
  if (commits < 1 || reads < 1 || reads > commits || head_reads < 1 || reps < 1)
    die("--commits, --reads, --head-reads and --reps must be >= 1, --reads <= --commits");
  if (python.empty())
    emit(Line{
        {"skipped", "pygit2"},
        {"why", "no python3 that can import pygit2 (Debian: apt-get install python3-pygit2)"}});

  ScratchDir scratch("w1-reads", keep);
  const std::string dir = scratch.sub("repo");
  const std::string head = run_batch(init_with_state(dir), commits).hex();

  // The commits read, by id and as main~k, and what the path holds at each.
  std::map<std::string, std::vector<std::string>> history;
  std::vector<nlohmann::json> expected;
  {
    gitstate::Repository repo = must(gitstate::Repository::open(dir), "Repository::open");
    for (long long j = 0; j < reads; ++j) {
      const int64_t k = j * commits / reads;
      history["history-ancestor"].push_back("main~" + std::to_string(k));
      history["history-id"].push_back(
          must(repo.resolve(history["history-ancestor"].back()), "resolve").hex());
      expected.push_back(value_after(kLeaf, commits - k));
    }
  }
  const std::map<std::string, std::string> head_revs = {{"head", ""}, {"head-id", head}};
  const nlohmann::json request = {
      {"repo", dir},        {"path", git_path(kLeaf)},
      {"reps", 1},          {"head_reads", head_reads},
      {"history", history}, {"head", {{"head", "HEAD"}, {"head-id", head}}}};

  std::map<std::string, Rate> gitstate_rates, pygit2_rates;
  std::map<std::string, std::vector<nlohmann::json>> gitstate_values, pygit2_values;
  for (long long rep = 0; rep < reps; ++rep) {
    for (const auto& [kind, revs] : history) {
      gitstate_rates[kind].count = reads;
      gitstate_rates[kind].samples.add(read_history(dir, revs, gitstate_values[kind]));
    }
    for (const auto& [kind, rev] : head_revs) {
      gitstate_rates[kind].count = head_reads;
      gitstate_rates[kind].samples.add(read_head(dir, rev, head_reads));
    }
    if (python.empty()) continue;
    nlohmann::json result = run_pygit2(python, script, scratch.sub("request.json"), request);
    for (const auto& [kind, revs] : history) {
      pygit2_rates[kind].count = reads;
      pygit2_rates[kind].samples.add(result["history"][kind]["seconds"][0].get<double>());
      pygit2_values[kind] = result["history"][kind]["values"].get<std::vector<nlohmann::json>>();
    }
    for (const auto& [kind, rev] : head_revs) {
      pygit2_rates[kind].count = head_reads;
      pygit2_rates[kind].samples.add(result["head"][kind]["seconds"][0].get<double>());
    }
    if (rep == 0)
      emit(Line{{"pygit2", result["pygit2"]}, {"libgit2", result["libgit2"]}, {"python", python}});
  }

  auto emit_rate = [](const std::string& impl, const std::string& kind, const Rate& rate) {
    Line line = rate.line("w1_reads", impl, "read");
    line["kind"] = kind;
    if (kind.rfind("head", 0) == 0) line["target_us_per_read"] = kHeadTargetUs;
    emit(line);
  };
  for (const auto& [kind, rate] : gitstate_rates) {
    emit_rate("gitstate", kind, rate);
    if (!pygit2_rates.count(kind)) continue;
    emit_rate("pygit2", kind, pygit2_rates[kind]);
    emit(rate_ratio(kind + " gitstate/pygit2", rate, pygit2_rates[kind]));
  }

  bool ok = true;
  for (const auto& [impl, values] :
       {std::pair{"gitstate", &gitstate_values}, std::pair{"pygit2", &pygit2_values}})
    for (const auto& [kind, got] : *values) {
      bool same = got == expected;
      ok = ok && same;
      emit(Line{{"check", "historical values"},
                {"impl", impl},
                {"kind", kind},
                {"reads", got.size()},
                {"ok", same}});
    }
  return ok ? 0 : 1;
}
