// Repeating one tree operation (a diff, a merge) cold and warm, as the tree
// benchmarks (W3, W4) measure it. Header-only; single-threaded use.
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "bench_util.h"

namespace bench {

// Minor page faults of this process so far: a cold operation's reads fault
// in the freshly mapped pack and index pages.
inline long minor_faults() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_minflt;
}

struct Repeated {
  Samples samples;                  // seconds per operation, one sample per repetition
  std::vector<double> page_faults;  // minor faults per operation, one per repetition
  size_t result = 0;                // what the last operation returned (changes, conflicts)
};

// How many repetitions: up to `max`, but after the first 3 only while the
// case has used less than `budget_seconds` (the 10^4-change diffs take a
// second each).
struct RepPolicy {
  long long max = 9;
  double budget_seconds = 3;
};

// Times `run(handle)` (which returns a count: changes found, conflicts).
// Cold: every repetition runs once on a fresh handle from `open()`. Warm: one
// handle, one untimed run, then each repetition runs enough times to last
// ~10 ms and reports the mean, so microsecond operations are not lost in
// timer and scheduling noise.
template <typename Open, typename Run>
Repeated repeat(Open open, Run run, bool warm, const RepPolicy& policy) {
  Repeated m;
  auto case_start = Clock::now();
  decltype(open()) warm_handle;
  long long inner = 1;
  if (warm) {
    warm_handle = open();
    auto start = Clock::now();
    (void)run(*warm_handle);
    double once = seconds_since(start);
    inner = std::clamp<long long>(static_cast<long long>(0.01 / std::max(once, 1e-7)), 1, 1000);
  }
  for (long long rep = 0;
       rep < policy.max && (rep < 3 || seconds_since(case_start) < policy.budget_seconds); ++rep) {
    decltype(open()) cold_handle;
    if (!warm) cold_handle = open();
    auto& handle = warm ? *warm_handle : *cold_handle;
    long faults = minor_faults();
    auto start = Clock::now();
    for (long long i = 0; i < inner; ++i) m.result = run(handle);
    m.samples.add(seconds_since(start) / static_cast<double>(inner));
    m.page_faults.push_back(static_cast<double>(minor_faults() - faults) /
                            static_cast<double>(inner));
  }
  return m;
}

}  // namespace bench
