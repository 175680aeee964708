// The fsync limit: how many commit-sized records per second one file can make
// durable, one fdatasync per record. It bounds durable transactions that sync
// each commit on their own (group commit is how to go beyond it), and is the
// baseline of W1's durable-transaction target (>= 0.5x this figure).
//
// Prints the same loop without fdatasync beside it, to show what the sync costs.

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <tuple>
#include <vector>

#include "bench_util.h"

namespace {

constexpr const char* kUsage =
    "bench_fsync_limit: append a record to one file and fdatasync, in a loop\n"
    "  --records N       records per repetition at most (default 2000)\n"
    "  --max-seconds S   and at most this long per repetition (default 2)\n"
    "  --record-bytes N  bytes per record, about one commit's objects (default 1000)\n"
    "  --reps N          repetitions; medians are reported (default 3)\n"
    "  --keep            keep the scratch directory\n"
    "The file lives under $TMPDIR (default /tmp): point it at the filesystem to measure.\n";

struct LoopResult {
  long long records = 0;
  double seconds = 0;
};

// Appends up to `records` records to a fresh file, for at most `max_seconds`;
// syncs each one when `sync`.
LoopResult append_loop(const std::string& path, long long records, double max_seconds, long long record_bytes,
                       bool sync) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) bench::die("open " + path + " failed");
  std::string record(static_cast<size_t>(record_bytes), 'r');
  record.back() = '\n';
  LoopResult r;
  auto start = bench::Clock::now();
  while (r.records < records && (r.records % 64 != 0 || bench::seconds_since(start) < max_seconds)) {
    if (write(fd, record.data(), record.size()) != static_cast<ssize_t>(record.size())) bench::die("write failed");
    if (sync && fdatasync(fd) != 0) bench::die("fdatasync failed");
    ++r.records;
  }
  r.seconds = bench::seconds_since(start);
  close(fd);
  unlink(path.c_str());
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  bench::Flags flags(argc, argv);
  long long records = flags.num("records", 2000);
  long long max_seconds = flags.num("max-seconds", 2);
  long long record_bytes = flags.num("record-bytes", 1000);
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
  // Microseconds per record, one sample per repetition.
  std::vector<double> synced, plain;
  long long synced_records = 0, plain_records = 0;
  for (long long rep = 0; rep < reps; ++rep) {
    auto s = append_loop(dir.sub("journal"), records, static_cast<double>(max_seconds), record_bytes, true);
    synced.push_back(s.seconds / s.records * 1e6);
    synced_records += s.records;
    auto p = append_loop(dir.sub("journal"), records, static_cast<double>(max_seconds), record_bytes, false);
    plain.push_back(p.seconds / p.records * 1e6);
    plain_records += p.records;
  }
  for (auto [impl, us, total] : {std::tuple{"append+fdatasync", &synced, synced_records},
                                 std::tuple{"append", &plain, plain_records}}) {
    double med = bench::median(*us);
    bench::emit(bench::Line{{"bench", "fsync_limit"},
                            {"impl", impl},
                            {"record_bytes", record_bytes},
                            {"records", total},
                            {"reps", reps},
                            {"us_per_record", med},
                            {"us_per_record_min", *std::min_element(us->begin(), us->end())},
                            {"us_per_record_max", *std::max_element(us->begin(), us->end())},
                            {"per_sec", 1e6 / med}});
  }
  return 0;
}
