// The fsync limit: how many commit-sized records per second one file can make
// durable, one fdatasync per record. It bounds durable transactions that sync
// each commit on their own (group commit is how to go beyond it), and is the
// baseline of W1's durable-transaction target (>= 0.5x this figure).
//
// bench_fsync_limit prints it alone; bench_w1_durable and bench_w7 measure it
// in the same run and on the same file system ($TMPDIR) as the commits they
// compare with it. Header-only; single-threaded use.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "bench_util.h"

namespace bench {

// The default size of a record: about one W1 commit's objects.
constexpr long long kFsyncRecordBytes = 1000;

struct AppendLoop {
  long long records = 0;
  double seconds = 0;
};

// Appends up to `records` records of `record_bytes` bytes to a fresh file at
// `path`, for at most `max_seconds`, syncing each one when `sync`; removes the
// file afterwards.
inline AppendLoop append_loop(const std::string& path, long long records, double max_seconds,
                              long long record_bytes, bool sync) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) die("open " + path + " failed");
  std::string record(static_cast<size_t>(record_bytes), 'r');
  record.back() = '\n';
  AppendLoop r;
  auto start = Clock::now();
  while (r.records < records && (r.records % 64 != 0 || seconds_since(start) < max_seconds)) {
    if (write(fd, record.data(), record.size()) != static_cast<ssize_t>(record.size()))
      die("write failed");
    if (sync && fdatasync(fd) != 0) die("fdatasync failed");
    ++r.records;
  }
  r.seconds = seconds_since(start);
  close(fd);
  unlink(path.c_str());
  return r;
}

// Repetitions of one append loop: seconds per record, and records made in all.
struct AppendRate {
  Samples per_record;
  long long records = 0;

  void add(const AppendLoop& loop) {
    per_record.add(loop.seconds / static_cast<double>(loop.records));
    records += loop.records;
  }
  double per_sec() const { return safe_ratio(1, per_record.med()); }
  double best_per_sec() const { return safe_ratio(1, per_record.min()); }

  // {"bench":..., "impl":..., "record_bytes", "records", "reps", "us_per_record"
  // (median, with min and max), "per_sec"}.
  Line line(const std::string& bench, const std::string& impl, long long record_bytes) const {
    return Line{{"bench", bench},
                {"impl", impl},
                {"record_bytes", record_bytes},
                {"records", records},
                {"reps", per_record.seconds.size()},
                {"us_per_record", per_record.med() * 1e6},
                {"us_per_record_min", per_record.min() * 1e6},
                {"us_per_record_max", per_record.max() * 1e6},
                {"per_sec", per_sec()}};
  }
};

}  // namespace bench
