// gitstate watch [GLOB] [-b BRANCH] [--since REV] [--perspective NAME]: JSON Lines, one per commit
// touching GLOB, first catching up from REV, then live as commits land.
#include <csignal>
#include <iostream>
#include <memory>
#include <streambuf>

#include "commands.h"
#include "commit_json.h"
#include "exit_status.h"
#include "gitstate/watch.h"
#include "json_io.h"
#include "repository_access.h"
#include "write_options.h"

namespace gitstate::cli {

namespace {
struct WatchArgs {
  std::string glob = "/**";
  std::string branch;
  std::string since;
  std::string perspective;
  size_t count = 0;
  double timeout = 0;
  int64_t poll_ms = 1000;
};

nlohmann::json entry_json(const WatchEntry& entry) {
  if (entry.kind == WatchEntry::Kind::kForced)
    return {{"event", "forced"},
            {"branch", entry.branch},
            {"old", entry.old_head->hex()},
            {"new", entry.new_head->hex()}};
  nlohmann::json out = commit_json(entry.commit);
  out["branch"] = entry.branch;
  out["patch"] = entry.patch;
  return out;
}

// Where stdout goes once its reader went away: nowhere, so that the
// command ends with status 0 instead of reporting a failed write.
class Discard : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};

// Ends writing to a closed stdout; returns the status of a watch that ended so.
int reader_gone() {
  // Never destroyed: std::cout is flushed at exit, after function statics are gone.
  static auto* discard = new Discard;
  std::cout.rdbuf(discard);
  std::cout.clear();
  return kExitOk;
}

// Prints `entries` (none beyond `limit` lines in all, when limit is not 0); false once stdout
// is closed.
bool print_entries(const std::vector<WatchEntry>& entries, size_t& printed, size_t limit) {
  for (const WatchEntry& entry : entries) {
    if (limit && printed >= limit) return true;
    print_json(entry_json(entry));
    std::cout.flush();
    if (!std::cout) return false;
    ++printed;
  }
  return true;
}

int run_watch(const GlobalOptions& globals, const WatchArgs& args) {
  auto repo = open_through(globals, args.perspective);
  if (!repo.is_ok()) return report(repo.status());
  WatchOptions options;
  options.branch = args.branch;
  options.glob = args.glob;
  options.since = args.since;
  options.poll_interval = std::chrono::milliseconds(args.poll_ms);
  auto watcher = Watcher::start(*repo, options);
  if (!watcher.is_ok()) return report(as_input_error(watcher.status()));
  // A reader that goes away ends the watch quietly (stdout fails instead).
  std::signal(SIGPIPE, SIG_IGN);
  using Clock = std::chrono::steady_clock;
  auto quiet_limit = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(args.timeout > 0 ? args.timeout : 1e9));
  auto last_line = Clock::now();
  size_t printed = 0;
  while (!args.count || printed < args.count) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(last_line + quiet_limit -
                                                                      Clock::now());
    if (left.count() <= 0) break;
    auto entries = watcher->next(std::min(left, std::chrono::milliseconds(60000)));
    if (!entries.is_ok()) return report(entries.status());
    size_t before = printed;
    if (!print_entries(*entries, printed, args.count)) return reader_gone();
    if (printed != before) last_line = Clock::now();
  }
  return kExitOk;
}
}  // namespace

Action setup_watch(CLI::App& command) {
  auto args = std::make_shared<WatchArgs>();
  command.add_option("GLOB", args->glob,
                     "only commits whose delta touches GLOB (a JSON Pointer glob; default /**)");
  command.add_option("-b,--branch", args->branch, "the branch to watch (default: the current one)")
      ->type_name("BRANCH");
  command
      .add_option("--since", args->since,
                  "first print the commits reachable from the branch and not from REV")
      ->type_name("REV");
  add_perspective_option(command, args->perspective);
  command.add_option("--count", args->count, "exit after printing N lines")->type_name("N");
  command
      .add_option("--timeout", args->timeout,
                  "exit 0 after SECONDS without printing a line (default: never)")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  command
      .add_option("--poll-ms", args->poll_ms,
                  "look at the branch at least every MS milliseconds (default 1000)")
      ->type_name("MS")
      ->check(CLI::Range(int64_t{1}, int64_t{3600000}));
  return [args](const GlobalOptions& globals) { return run_watch(globals, *args); };
}

}  // namespace gitstate::cli
