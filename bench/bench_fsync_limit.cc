// The fsync limit: how many commit-sized records per second one file can make
// durable, one fdatasync per record. It bounds durable transactions that sync
// each commit on their own (group commit is how to go beyond it), and is the
// baseline of W1's durable-transaction target (>= 0.5x this figure).
//
// Prints the same loop without fdatasync beside it, to show what the sync costs.

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "bench_util.h"

namespace {

constexpr const char* kUsage =
    "bench_fsync_limit: append a record to one file and fdatasync, in a loop\n"
    "  --records N       records per repetition (default 2000)\n"
    "  --record-bytes N  bytes per record, about one commit's objects (default 1000)\n"
    "  --reps N          repetitions; medians are reported (default 3)\n"
    "  --keep            keep the scratch directory\n"
    "The file lives under $TMPDIR (default /tmp): point it at the filesystem to measure.\n";

// Appends `records` records to a fresh file; syncs each one when `sync`.
double append_loop(const std::string& path, long long records, long long record_bytes, bool sync) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) bench::die("open " + path + " failed");
  std::string record(static_cast<size_t>(record_bytes), 'r');
  record.back() = '\n';
  auto start = bench::Clock::now();
  for (long long i = 0; i < records; ++i) {
    if (write(fd, record.data(), record.size()) != static_cast<ssize_t>(record.size())) bench::die("write failed");
    if (sync && fdatasync(fd) != 0) bench::die("fdatasync failed");
  }
  double seconds = bench::seconds_since(start);
  close(fd);
  unlink(path.c_str());
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  bench::Flags flags(argc, argv);
  long long records = flags.num("records", 2000);
  long long record_bytes = flags.num("record-bytes", 1000);
  long long reps = flags.num("reps", 3);
  bool keep = flags.flag("keep");
  flags.check_unused();
  if (flags.help()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (records < 1 || record_bytes < 1 || reps < 1) bench::die("--records, --record-bytes and --reps must be >= 1");

  bench::ScratchDir dir("fsync", keep);
  bench::Samples synced, plain;
  for (long long rep = 0; rep < reps; ++rep) {
    synced.add(append_loop(dir.sub("journal"), records, record_bytes, true));
    plain.add(append_loop(dir.sub("journal"), records, record_bytes, false));
  }
  for (auto [impl, samples] : {std::pair{"append+fdatasync", &synced}, std::pair{"append", &plain}}) {
    bench::Line line{{"bench", "fsync_limit"}, {"impl", impl}, {"records", records}, {"record_bytes", record_bytes}};
    samples->describe(line);
    line["per_sec"] = records / samples->med();
    line["us_per_record"] = samples->med() / records * 1e6;
    bench::emit(line);
  }
  return 0;
}
