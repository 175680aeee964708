// The fsync limit (see fsync_limit.h): commit-sized records appended to one
// file, one fdatasync each, in a loop. Prints the same loop without
// fdatasync beside it, to show what the sync costs.

#include <string>
#include <tuple>

#include "bench_util.h"
#include "fsync_limit.h"

namespace {

constexpr const char* kUsage =
    "bench_fsync_limit: append a record to one file and fdatasync, in a loop\n"
    "  --records N       records per repetition at most (default 2000)\n"
    "  --max-seconds S   and at most this long per repetition (default 2)\n"
    "  --record-bytes N  bytes per record, about one commit's objects (default 1000)\n"
    "  --reps N          repetitions; medians are reported (default 3)\n"
    "  --keep            keep the scratch directory\n"
    "The file lives under $TMPDIR (default /tmp): point it at the filesystem to measure.\n";

}  // namespace

int main(int argc, char** argv) {
  bench::Flags flags(argc, argv);
  long long records = flags.num("records", 2000);
  long long max_seconds = flags.num("max-seconds", 2);
  long long record_bytes = flags.num("record-bytes", bench::kFsyncRecordBytes);
  long long reps = flags.num("reps", 3);
  bool keep = flags.flag("keep");
  flags.check_unused();
  if (flags.help()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (records < 1 || max_seconds < 1 || record_bytes < 1 || reps < 1)
    bench::die("--records, --max-seconds, --record-bytes and --reps must be >= 1");

  bench::ScratchDir dir("fsync", keep);
  bench::AppendRate synced, plain;
  for (long long rep = 0; rep < reps; ++rep) {
    for (auto [rate, sync] : {std::tuple{&synced, true}, std::tuple{&plain, false}})
      rate->add(bench::append_loop(dir.sub("journal"), records, static_cast<double>(max_seconds),
                                   record_bytes, sync));
  }
  bench::emit(synced.line("fsync_limit", "append+fdatasync", record_bytes));
  bench::emit(plain.line("fsync_limit", "append", record_bytes));
  return 0;
}
