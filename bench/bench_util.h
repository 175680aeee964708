// Small helpers shared by the benchmark programs: flags, timing, medians,
// JSON result lines, scratch directories, child processes and peak RSS.
//
// Benchmarks are programs, not tests: they print one JSON object per line on
// stdout (results, ratios and checks) and exit non-zero only when a
// correctness check fails (a repository that `git fsck` rejects, two
// implementations that disagree on a commit id, a diff of the wrong size).
// Header-only; single-threaded use.
#pragma once

#include <malloc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

using Line = nlohmann::ordered_json;

// Prints one result line and flushes, so a slow run shows progress.
inline void emit(const Line& line) {
  std::cout << line.dump() << '\n';
  std::cout.flush();
}

// Stops the program on a setup failure that makes the measurement meaningless.
[[noreturn]] inline void die(const std::string& what) {
  emit(Line{{"error", what}});
  std::exit(2);
}

// "--name=value" and "--name value" flags; "--flag" alone means "1".
class Flags {
 public:
  Flags(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      std::string_view raw = argv[i];
      if (raw == "--help" || raw == "-h") {
        help_ = true;
        continue;
      }
      if (raw.substr(0, 2) != "--") die("unexpected argument '" + std::string(raw) + "'");
      const std::string arg(raw.substr(2));
      auto eq = arg.find('=');
      if (eq != std::string::npos) {
        values_[arg.substr(0, eq)] = arg.substr(eq + 1);
      } else if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
        values_[arg] = argv[++i];
      } else {
        values_[arg] = "1";
      }
    }
  }

  bool help() const { return help_; }

  std::string str(const std::string& name, const std::string& fallback) {
    used_.push_back(name);
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  long long num(const std::string& name, long long fallback) {
    std::string v = str(name, "");
    if (v.empty()) return fallback;
    try {
      size_t end = 0;
      long long n = std::stoll(v, &end);
      if (end != v.size()) throw std::invalid_argument(v);
      return n;
    } catch (const std::exception&) {
      die("--" + name + " wants an integer, got '" + v + "'");
    }
  }
  // A comma-separated list of integers ("1000,10000").
  std::vector<long long> nums(const std::string& name, const std::string& fallback) {
    std::vector<long long> out;
    std::stringstream in(str(name, fallback));
    for (std::string item; std::getline(in, item, ',');) {
      if (item.empty()) continue;
      try {
        out.push_back(std::stoll(item));
      } catch (const std::exception&) {
        die("--" + name + " wants integers separated by commas, got '" + item + "'");
      }
    }
    return out;
  }
  bool flag(const std::string& name) { return str(name, "0") != "0"; }

  // Fails on flags nobody asked for: a typo must not silently run the default.
  void check_unused() const {
    for (const auto& [name, value] : values_)
      if (std::find(used_.begin(), used_.end(), name) == used_.end()) die("unknown flag --" + name);
  }

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::string> used_;
  bool help_ = false;
};

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Repeated timings of one measurement, summarised as median, min and max.
struct Samples {
  std::vector<double> seconds;
  void add(double s) { seconds.push_back(s); }
  double med() const { return median(seconds); }
  double min() const { return seconds.empty() ? 0 : *std::min_element(seconds.begin(), seconds.end()); }
  double max() const { return seconds.empty() ? 0 : *std::max_element(seconds.begin(), seconds.end()); }
  // Adds "reps", "seconds" (median), "seconds_min", "seconds_max" to a line.
  void describe(Line& line) const {
    line["reps"] = seconds.size();
    line["seconds"] = med();
    line["seconds_min"] = min();
    line["seconds_max"] = max();
  }
};

inline double safe_ratio(double numerator, double denominator) {
  return denominator > 0 ? numerator / denominator : 0.0;
}
// "value" compares medians; "value_best" compares each side's best
// repetition, the steadier estimate of intrinsic cost on a busy machine.
inline Line ratio_line(const std::string& name, double numerator, double denominator, double best_numerator,
                       double best_denominator) {
  return Line{{"ratio", name},
              {"value", safe_ratio(numerator, denominator)},
              {"value_best", safe_ratio(best_numerator, best_denominator)}};
}

// `count` operations per repetition (commits, reads), each repetition timed.
struct Rate {
  long long count = 0;
  Samples samples;

  double per_sec() const { return safe_ratio(static_cast<double>(count), samples.med()); }
  double best_per_sec() const { return safe_ratio(static_cast<double>(count), samples.min()); }

  // {"bench", "impl", "<unit>s": count, the samples, "per_sec", "us_per_<unit>"}; both
  // rates come from the median.
  Line line(const std::string& bench, const std::string& impl, const std::string& unit) const {
    Line out{{"bench", bench}, {"impl", impl}, {unit + "s", count}};
    samples.describe(out);
    out["per_sec"] = per_sec();
    out["us_per_" + unit] = safe_ratio(samples.med(), static_cast<double>(count)) * 1e6;
    return out;
  }
};

// The throughput ratio of two rates measured in this run (anything with
// per_sec() and best_per_sec(): Rate, AppendRate).
template <typename A, typename B>
Line rate_ratio(const std::string& name, const A& a, const B& b) {
  return ratio_line(name, a.per_sec(), b.per_sec(), a.best_per_sec(), b.best_per_sec());
}

// A fresh directory under $TMPDIR (or /tmp), removed on destruction unless kept.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag, bool keep = false) : keep_(keep) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/gitstate-bench-" + tag + "-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) die("mkdtemp " + pattern + " failed");
    path_ = buf.data();
  }
  ~ScratchDir() {
    if (keep_) {
      emit(Line{{"kept", path_}});
    } else {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
  bool keep_;
};

// The allocator policy every implementation runs under, in this process and
// in the git processes it starts. On the project's VMs, growing the heap
// after glibc has trimmed it costs ~130 us per brk under load, and glibc
// trims after every large free: stock `git fast-import` then makes 24,000
// brk calls for 1,000 W1 commits (13 s instead of 0.3 s). By default the benchmarks turn trimming off
// (trim threshold 256 MiB, top pad 64 MiB) for gitstate and every baseline
// alike; --stock-malloc keeps glibc's defaults. Emits a line saying which.
inline void set_malloc_policy(bool stock) {
  if (!stock) {
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    setenv("GLIBC_TUNABLES", "glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=67108864", 1);
  }
  emit(Line{{"malloc", stock ? "glibc defaults" : "no trim (trim_threshold 256 MiB, top_pad 64 MiB)"}});
}

// Ends the flags of a program that has read its own: reads the common --keep
// and --stock-malloc, fails on unknown flags, prints `usage` and exits on
// --help, and sets the malloc policy. Returns --keep.
inline bool finish_flags(Flags& flags, const char* usage) {
  const bool keep = flags.flag("keep");
  const bool stock_malloc = flags.flag("stock-malloc");
  flags.check_unused();
  if (flags.help()) {
    std::fputs(usage, stdout);
    std::exit(0);
  }
  set_malloc_policy(stock_malloc);
  return keep;
}

// Quotes a string for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command; returns its exit status and its stdout (stderr joined in).
struct CommandResult {
  int status = -1;
  std::string output;
  bool ok() const { return status == 0; }
};
inline CommandResult run_command(const std::string& command) {
  CommandResult r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// Runs a shell command with `input` on its stdin (redirecting its output is
// the command's business); returns its exit status and how long it ran, from
// start to exit.
struct FedCommand {
  int status = -1;
  double seconds = 0;
  bool ok() const { return status == 0; }
};
inline FedCommand feed_command(const std::string& command, const std::string& input) {
  signal(SIGPIPE, SIG_IGN);  // a command that exits early must not kill the benchmark
  FedCommand r;
  auto start = Clock::now();
  FILE* p = popen(command.c_str(), "w");
  if (!p) return r;
  size_t written = fwrite(input.data(), 1, input.size(), p);
  int st = pclose(p);
  r.seconds = seconds_since(start);
  r.status = written == input.size() && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline bool have_git() { return run_command("git --version").ok(); }

// The peak resident set size of this process, in bytes.
inline long long peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<long long>(ru.ru_maxrss) * 1024;
}

// Runs `git fsck --strict` on a repository and emits a check line; true when clean.
inline bool fsck_check(const std::string& bench, const std::string& impl, const std::string& repo) {
  CommandResult r = run_command("git -C " + shell_quote(repo) + " fsck --strict --no-dangling");
  Line line{{"check", "fsck --strict"}, {"bench", bench}, {"impl", impl}, {"ok", r.ok()}};
  if (!r.ok()) line["output"] = r.output.substr(0, 2000);
  emit(line);
  return r.ok();
}

}  // namespace bench
