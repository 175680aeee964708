// W1 config churn through individual durable transactions, beside the fsync
// limit measured in the same run on the same file system ($TMPDIR). Target:
// durable transactions >= 0.5x the fsync limit (commits/s).
//
//   durable-tx   per commit: Repository::begin, Transaction::set,
//                Transaction::commit (objects flushed with fdatasync, then the
//                branch moved by compare-and-swap; see docs/concurrency.md),
//                one writer, in this process; the initial state is committed
//                untimed first
//   fsync-limit  append a commit-sized record to one file and fdatasync, in a
//                loop (fsync_limit.h), as many records as commits (at most
//                --max-fsync-seconds per repetition)
//
// Repetitions are interleaved. Afterwards the program checks that the
// transactions reached the same head commit id as the same commits made in
// one Batch, and that `git fsck --strict` accepts the repository.

#include "bench_util.h"
#include "fsync_limit.h"
#include "w1_porcelain.h"
#include "w1_workload.h"

namespace {

using namespace bench;
using namespace bench::w1;

constexpr const char* kUsage =
    "bench_w1_durable: W1 config churn through durable transactions, beside the fsync limit\n"
    "  --commits N            commits (transactions) per run (default 1000)\n"
    "  --reps N               repetitions, interleaved; medians are reported (default 3)\n"
    "  --max-fsync-seconds S  longest fsync-limit loop per repetition (default 2)\n"
    "  --keep                 keep the scratch repositories\n"
    "  --stock-malloc         keep glibc's heap trimming (see bench/README.md)\n"
    "Repositories and the fsync file live under $TMPDIR (default /tmp).\n";

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const int64_t commits = flags.num("commits", 1000);
  const long long reps = flags.num("reps", 3);
  const long long max_fsync_seconds = flags.num("max-fsync-seconds", 2);
  const bool keep = finish_flags(flags, kUsage);
  if (commits < 1 || reps < 1 || max_fsync_seconds < 1)
    die("--commits, --reps and --max-fsync-seconds must be >= 1");

  ScratchDir scratch("w1-durable", keep);
  const std::string expected = run_batch(init_with_state(scratch.sub("batch")), commits).hex();

  Rate durable{commits, {}};
  AppendRate fsync;
  TransactionsResult last;
  std::string head;
  for (long long rep = 0; rep < reps; ++rep) {
    fsync.add(append_loop(scratch.sub("journal"), commits, static_cast<double>(max_fsync_seconds),
                          kFsyncRecordBytes, /*sync=*/true));
    gitstate::Repository repo = init_with_state(scratch.sub("durable-" + std::to_string(rep)));
    last = run_transactions(repo, 0, 1, commits, message);
    durable.samples.add(last.seconds);
    head = must(repo.resolve(), "resolve the head").hex();
  }

  Line line = durable.line("w1_durable", "durable-tx", "commit");
  line["conflicts"] = last.conflicts;
  emit(line);
  emit(fsync.line("w1_durable", "fsync-limit", kFsyncRecordBytes));
  emit(rate_ratio("durable-tx/fsync-limit", durable, fsync));

  bool same = head == expected && last.landed == commits;
  emit(Line{{"check", "same head"},
            {"impl", "durable-tx"},
            {"head", head},
            {"batch_head", expected},
            {"landed", last.landed},
            {"ok", same}});
  bool clean =
      fsck_check("w1_durable", "durable-tx", scratch.sub("durable-" + std::to_string(reps - 1)));
  return same && clean ? 0 : 1;
}
