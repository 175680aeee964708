// W7 concurrent writers: W processes (default 4) x N durable transactions
// (default 1,000) on one branch, beside one writer process and the fsync
// limit, in one run on the same file system ($TMPDIR). Target: with 4
// writers, more commits per fsync than one writer makes alone, that is 4
// writers' commits/s above the 1-writer rate and the fsync limit.
//
//   writers-W    W forked processes; writer w makes the W1 commits
//                i = w, w + W, w + 2W, ... (N of them), each its own durable
//                transaction (Repository::begin, set, commit) with the message
//                "set <path> = <i>". Each process opens the repository before
//                the clock starts; the time runs from the start signal until
//                the last writer exited.
//   writers-1    the same with one process (the W1 commits 0 .. N-1)
//   fsync-limit  append a commit-sized record to one file and fdatasync, in a
//                loop (fsync_limit.h), N records at most --max-fsync-seconds
//
// Two writers collide only when both write the same leaf at once (their
// commits are 1,000 apart), which makes a conflict rare; a conflict is
// reported by its writer and counted. After every run the program checks that
// every transaction either landed exactly once (its message appears once in
// the log, which holds nothing else but the root and the initial state) or
// was reported as a conflict, and that every leaf holds the value of the
// newest commit that wrote it (no lost update); then `git fsck --strict`.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "bench_util.h"
#include "fsync_limit.h"
#include "gitstate/history.h"
#include "w1_porcelain.h"
#include "w1_workload.h"

namespace {

using namespace bench;
using namespace bench::w1;

constexpr const char* kUsage =
    "bench_w7: W7 concurrent writers, W processes x N durable transactions on one branch\n"
    "  --writers W            writer processes (default 4)\n"
    "  --transactions N       transactions per writer (default 1000)\n"
    "  --reps N               repetitions, interleaved; medians are reported (default 3)\n"
    "  --max-fsync-seconds S  longest fsync-limit loop per repetition (default 2)\n"
    "  --keep                 keep the scratch repositories\n"
    "  --stock-malloc         keep glibc's heap trimming (see bench/README.md)\n"
    "Repositories and the fsync file live under $TMPDIR (default /tmp).\n";

constexpr const char* kSeparator = " = ";

// "set /s1/g2/k3 = 1234": one message per transaction, so the log tells which landed.
std::string w7_message(int64_t i) {
  return "set " + pointer(leaf_of_commit(i)) + kSeparator + std::to_string(i);
}

// The i of a message made by w7_message; -1 for any other message.
int64_t commit_number(const std::string& message) {
  size_t at = message.rfind(kSeparator);
  if (at == std::string::npos) return -1;
  int64_t i = std::strtoll(message.c_str() + at + std::strlen(kSeparator), nullptr, 10);
  return message == w7_message(i) ? i : -1;
}

struct WritersRun {
  double seconds = 0;
  TransactionsResult total;  // summed over the writers; seconds unused
};

void write_all(int fd, const void* data, size_t size) {
  if (write(fd, data, size) != static_cast<ssize_t>(size)) _exit(3);
}

// One writer process: opens the repository, says it is ready, waits for the
// start signal (the end of `go`), runs its transactions, reports them on `report`.
[[noreturn]] void writer(const std::string& dir, int w, int writers, int64_t transactions,
                         int ready, int go, int report) {
  gitstate::Repository repo = must(gitstate::Repository::open(dir), "Repository::open " + dir);
  char byte = 0;
  write_all(ready, &byte, 1);
  close(ready);
  if (read(go, &byte, 1) != 0) _exit(3);
  TransactionsResult result = run_transactions(repo, w, writers, transactions, w7_message);
  std::cout.flush();
  write_all(report, &result, sizeof result);
  _exit(0);
}

// `writers` processes of `transactions` transactions each on the repository at `dir`.
WritersRun run_writers(const std::string& dir, int writers, int64_t transactions) {
  int ready[2], go[2];
  if (pipe(ready) != 0 || pipe(go) != 0) die("pipe failed");
  std::cout.flush();
  std::vector<pid_t> pids;
  std::vector<int> reports;
  for (int w = 0; w < writers; ++w) {
    int report[2];
    if (pipe(report) != 0) die("pipe failed");
    pid_t pid = fork();
    if (pid < 0) die("fork failed");
    if (pid == 0) {
      close(ready[0]);
      close(go[1]);
      close(report[0]);
      writer(dir, w, writers, transactions, ready[1], go[0], report[1]);
    }
    close(report[1]);
    pids.push_back(pid);
    reports.push_back(report[0]);
  }
  close(ready[1]);
  close(go[0]);
  for (int w = 0; w < writers; ++w) {
    char byte;
    if (read(ready[0], &byte, 1) != 1) die("a writer failed to open the repository");
  }
  close(ready[0]);
  auto start = Clock::now();
  close(go[1]);
  WritersRun run;
  bool failed = false;
  for (int w = 0; w < writers; ++w) {
    TransactionsResult r;
    failed = read(reports[w], &r, sizeof r) != static_cast<ssize_t>(sizeof r) || failed;
    close(reports[w]);
    run.total.landed += r.landed;
    run.total.conflicts += r.conflicts;
    run.total.rebases += r.rebases;
  }
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    failed = failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
  }
  run.seconds = seconds_since(start);
  if (failed) die("a writer process failed");
  return run;
}

// Every transaction landed once or was a conflict, and no update was lost.
bool check_history(const std::string& dir, int writers, int64_t transactions,
                   const WritersRun& run) {
  gitstate::Repository repo = must(gitstate::Repository::open(dir), "Repository::open " + dir);
  std::map<int64_t, int> seen;    // commit number -> times its message is in the log
  std::map<int, int64_t> newest;  // leaf index -> value of the newest commit that wrote it
  int64_t others = 0;
  must(gitstate::walk_log(repo, {},
                          [&](const gitstate::CommitInfo& commit) {
                            int64_t i = commit_number(commit.message);
                            if (i < 0) {
                              ++others;
                            } else {
                              ++seen[i];
                              newest.emplace(leaf_of_commit(i).index(), commit_value(i));
                            }
                            return true;
                          }),
       "walk_log");
  int64_t twice = 0;
  for (const auto& [i, times] : seen) twice += times > 1 ? 1 : 0;
  const int64_t total = writers * transactions;
  bool once = twice == 0 && others == 2 && static_cast<int64_t>(seen.size()) == run.total.landed &&
              run.total.landed + run.total.conflicts == total;
  emit(Line{{"check", "every transaction landed once or conflicted"},
            {"writers", writers},
            {"transactions", total},
            {"landed", run.total.landed},
            {"conflicts", run.total.conflicts},
            {"in_log", seen.size()},
            {"in_log_twice", twice},
            {"other_commits", others},
            {"ok", once}});
  int64_t lost = 0;
  for (int s = 0; s < kSections; ++s)
    for (int g = 0; g < kGroups; ++g)
      for (int k = 0; k < kKeys; ++k) {
        Leaf leaf{s, g, k};
        auto it = newest.find(leaf.index());
        int64_t want = it == newest.end() ? initial_value(leaf) : it->second;
        lost += must(repo.get(pointer(leaf)), "get " + pointer(leaf)) == want ? 0 : 1;
      }
  emit(Line{{"check", "no lost update"},
            {"writers", writers},
            {"leaves_wrong", lost},
            {"ok", lost == 0}});
  return once && lost == 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const long long writers = flags.num("writers", 4);
  const int64_t transactions = flags.num("transactions", 1000);
  const long long reps = flags.num("reps", 3);
  const long long max_fsync_seconds = flags.num("max-fsync-seconds", 2);
  const bool keep = finish_flags(flags, kUsage);
  if (writers < 2 || transactions < 1 || reps < 1 || max_fsync_seconds < 1)
    die("--writers must be >= 2; --transactions, --reps and --max-fsync-seconds >= 1");

  ScratchDir scratch("w7", keep);
  const std::vector<int> kinds = {1, static_cast<int>(writers)};
  std::map<int, Rate> rates;
  std::map<int, TransactionsResult> totals;
  AppendRate fsync;
  bool ok = true;
  for (long long rep = 0; rep < reps; ++rep) {
    fsync.add(append_loop(scratch.sub("journal"), transactions,
                          static_cast<double>(max_fsync_seconds), kFsyncRecordBytes, true));
    for (int w : kinds) {
      const std::string dir =
          scratch.sub("writers-" + std::to_string(w) + "-" + std::to_string(rep));
      init_with_state(dir);
      WritersRun run = run_writers(dir, w, transactions);
      rates[w].count = w * transactions;
      rates[w].samples.add(run.seconds);
      totals[w].landed += run.total.landed;
      totals[w].conflicts += run.total.conflicts;
      totals[w].rebases += run.total.rebases;
      ok = check_history(dir, w, transactions, run) && ok;
      if (rep + 1 == reps) ok = fsck_check("w7", "writers-" + std::to_string(w), dir) && ok;
    }
  }

  for (int w : kinds) {
    Line line = rates[w].line("w7", "writers-" + std::to_string(w), "transaction");
    line["writers"] = w;
    line["landed"] = totals[w].landed;
    line["conflicts"] = totals[w].conflicts;
    line["rebases"] = totals[w].rebases;
    line["note"] = "landed, conflicts and rebases are summed over the repetitions";
    emit(line);
  }
  emit(fsync.line("w7", "fsync-limit", kFsyncRecordBytes));
  const std::string many = "writers-" + std::to_string(writers);
  emit(rate_ratio(many + "/writers-1", rates[writers], rates[1]));
  emit(rate_ratio(many + "/fsync-limit", rates[writers], fsync));
  emit(rate_ratio("writers-1/fsync-limit", rates[1], fsync));
  return ok ? 0 : 1;
}
