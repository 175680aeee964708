// Garbage collection: `gitstate gc` beside stock `git gc` on copies of the
// same repository (docs/concurrency.md, "Garbage collection").
//
// The repository: the W1 history (performance.md) of N commits made with
// gitstate's Batch API in batches of B commits, so that it lies in many
// packs as a repository written by many small commits does (the pack
// backend consolidates them in the background as it goes). It is built once
// and copied (`cp -a`) before every repetition, one copy per implementation.
//
//   gitstate-gc  the `gitstate --repo COPY gc --json` process, start to exit
//   git-gc       the `git -C COPY gc --quiet` process, start to exit (it also
//                packs refs and writes a commit-graph and a bitmap, which
//                count in its objects/ size)
//
// Reported: seconds (median of the repetitions), the size of objects/
// before and after, and the bytes of the packs alone; ratios gitstate/git
// of time and of size after. Checks: `git fsck --strict` accepts both
// copies, both hold every object reachable before (same count from `git
// rev-list --objects --all`), and gitstate's report agrees.

#include <filesystem>

#include "bench_util.h"
#include "w1_porcelain.h"
#include "w1_workload.h"

namespace {

using namespace bench;
using namespace bench::w1;
namespace fs = std::filesystem;

constexpr const char* kUsage =
    "bench_gc: `gitstate gc` beside `git gc` on copies of one W1 repository\n"
    "  --commits N      W1 commits in the history (default 10000)\n"
    "  --batch N        commits per batch while building it (default 100)\n"
    "  --reps N         repetitions, interleaved; medians are reported (default 3)\n"
    "  --gitstate PATH  the gitstate command (default: the one built with this program)\n"
    "  --keep           keep the scratch repositories\n"
    "  --stock-malloc   keep glibc's heap trimming (see bench/README.md)\n";

struct Sizes {
  uint64_t objects = 0;  // every file under objects/
  uint64_t packs = 0;    // the .pack files alone
  size_t pack_count = 0;
};

Sizes sizes_of(const std::string& repo) {
  Sizes out;
  for (const auto& entry : fs::recursive_directory_iterator(repo + "/objects")) {
    if (!entry.is_regular_file()) continue;
    out.objects += entry.file_size();
    if (entry.path().extension() == ".pack") {
      out.packs += entry.file_size();
      ++out.pack_count;
    }
  }
  return out;
}

size_t reachable_count(const std::string& repo) {
  CommandResult r =
      run_command("git -C " + shell_quote(repo) + " rev-list --objects --all | wc -l");
  if (!r.ok()) die("git rev-list failed in " + repo + ": " + r.output);
  return std::stoul(r.output);
}

double timed(const std::string& command) {
  auto start = Clock::now();
  CommandResult r = run_command(command);
  double seconds = seconds_since(start);
  if (!r.ok()) die(command + " failed: " + r.output);
  return seconds;
}

void copy_repository(const std::string& from, const std::string& to) {
  if (!run_command("cp -a " + shell_quote(from) + " " + shell_quote(to)).ok())
    die("cp -a " + from + " " + to + " failed");
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const int64_t commits = flags.num("commits", 10000);
  const int64_t batch = flags.num("batch", 100);
  const long long reps = flags.num("reps", 3);
  const std::string gitstate = flags.str("gitstate", GITSTATE_BIN);
  const bool keep = finish_flags(flags, kUsage);
  if (commits < 1 || batch < 1 || reps < 1) die("--commits, --batch and --reps must be >= 1");
  if (!have_git()) {
    emit(Line{{"skipped", "gc"}, {"why", "git is not installed"}});
    return 0;
  }
  ScratchDir scratch("gc", keep);
  const std::string pristine = scratch.sub("pristine");
  {
    gitstate::Repository repo = init_with_state(pristine);
    for (int64_t first = 0; first < commits; first += batch)
      run_batch(repo, std::min(batch, commits - first), first);
  }
  const Sizes before = sizes_of(pristine);
  const size_t reachable = reachable_count(pristine);

  Samples gitstate_time, git_time;
  Sizes gitstate_after, git_after;
  std::string gitstate_report;
  for (long long rep = 0; rep < reps; ++rep) {
    const std::string ours = scratch.sub("gitstate-" + std::to_string(rep));
    const std::string theirs = scratch.sub("git-" + std::to_string(rep));
    copy_repository(pristine, ours);
    copy_repository(pristine, theirs);
    const std::string report = ours + ".json";
    gitstate_time.add(timed(shell_quote(gitstate) + " --repo " + shell_quote(ours) +
                            " gc --json >" + shell_quote(report)));
    git_time.add(timed("git -C " + shell_quote(theirs) + " gc --quiet"));
    gitstate_after = sizes_of(ours);
    git_after = sizes_of(theirs);
    gitstate_report = run_command("cat " + shell_quote(report)).output;
  }

  auto line = [&](const std::string& impl, const Samples& time, const Sizes& after) {
    Line out{{"bench", "gc"}, {"impl", impl}, {"commits", commits}, {"batch", batch}};
    time.describe(out);
    out["objects_bytes_before"] = before.objects;
    out["objects_bytes_after"] = after.objects;
    out["pack_bytes_after"] = after.packs;
    out["packs_before"] = before.pack_count;
    out["packs_after"] = after.pack_count;
    return out;
  };
  emit(line("gitstate-gc", gitstate_time, gitstate_after));
  emit(line("git-gc", git_time, git_after));
  emit(ratio_line("gc-time gitstate/git", gitstate_time.med(), git_time.med(), gitstate_time.min(),
                  git_time.min()));
  double size_ratio = safe_ratio(static_cast<double>(gitstate_after.objects),
                                 static_cast<double>(git_after.objects));
  double pack_ratio =
      safe_ratio(static_cast<double>(gitstate_after.packs), static_cast<double>(git_after.packs));
  emit(Line{{"ratio", "gc-objects-size gitstate/git"}, {"value", size_ratio}});
  emit(Line{{"ratio", "gc-pack-size gitstate/git"}, {"value", pack_ratio}});

  const std::string last = std::to_string(reps - 1);
  const std::string ours = scratch.sub("gitstate-" + last), theirs = scratch.sub("git-" + last);
  bool ok = fsck_check("gc", "gitstate-gc", ours);
  ok = fsck_check("gc", "git-gc", theirs) && ok;
  size_t ours_reachable = reachable_count(ours), theirs_reachable = reachable_count(theirs);
  bool same = ours_reachable == reachable && theirs_reachable == reachable;
  emit(Line{{"check", "every reachable object kept"},
            {"before", reachable},
            {"gitstate", ours_reachable},
            {"git", theirs_reachable},
            {"ok", same}});
  auto report = nlohmann::json::parse(gitstate_report, nullptr, false);
  bool reported = !report.is_discarded() && report.value("pruned", -1) == 0 &&
                  report.value("objects_written", size_t{0}) == reachable &&
                  gitstate_after.objects < before.objects;
  emit(Line{{"check", "gitstate gc report: nothing pruned, everything written, smaller"},
            {"report", report},
            {"ok", reported}});
  return ok && same && reported ? 0 : 1;
}
