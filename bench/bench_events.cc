// Events: what listening costs a commit, and how soon another process hears
// of it (docs/events.md).
//
//   commit-S     N durable transactions (Repository::begin, set, commit) on
//                one branch with S synchronous subscribers to "/**" (each
//                receives every commit with its delta), for S = 0 and each
//                --subscribers value; the ratio to S = 0 is the price of
//                listening. The delta is computed once per commit and cut
//                per subscriber.
//   watch        a `gitstate watch` child process follows the branch while
//                this process commits K times, one commit at a time: the
//                latency is the time from a commit's return to the watch's
//                line for it read from the pipe (median and p99). The watch
//                can see the ref move while the commit still waits for its
//                fsync, so the line often comes before the return; the
//                time from the commit call's start is reported beside it.
//
// Checks: every subscriber received every commit; the watch printed exactly
// the commits made, in order.

#include <cstdio>
#include <vector>

#include "bench_util.h"
#include "gitstate/gitstate.h"
#include "gitstate_support.h"

namespace {

using namespace bench;

constexpr const char* kUsage =
    "bench_events: the cost of event subscribers per commit, and watch latency\n"
    "  --commits N        transactions per repetition (default 300)\n"
    "  --subscribers L    comma-separated subscriber counts besides 0 (default 10,1000)\n"
    "  --watch-commits K  commits whose watch latency is measured (default 200)\n"
    "  --reps N           repetitions, interleaved; medians are reported (default 3)\n"
    "  --keep, --stock-malloc  as every benchmark (bench/README.md)\n"
    "Repositories live under $TMPDIR (default /tmp).\n";

void commit_one(const gitstate::Repository& repo, int64_t i) {
  auto tx = must(repo.begin(), "begin");
  must(tx.set("/k" + std::to_string(i % 100), i), "set");
  must(tx.commit().status(), "commit");
}

// Seconds for `commits` transactions with `subscribers` listening; checks
// that each subscriber heard every commit.
double run_commits(const std::string& path, int64_t commits, int64_t subscribers) {
  gitstate::Repository repo = must(gitstate::Repository::init(path), "init");
  std::vector<int64_t> heard(static_cast<size_t>(subscribers), 0);
  std::vector<gitstate::Subscription> subscriptions;
  for (int64_t s = 0; s < subscribers; ++s) {
    int64_t* count = &heard[static_cast<size_t>(s)];
    subscriptions.push_back(must(
        gitstate::subscribe(repo, {}, [count](const gitstate::Event&) { ++*count; }), "subscribe"));
  }
  auto start = Clock::now();
  for (int64_t i = 0; i < commits; ++i) commit_one(repo, i);
  double seconds = seconds_since(start);
  for (int64_t count : heard)
    if (count != commits) {
      emit(Line{{"check", "every subscriber heard every commit"}, {"ok", false}});
      std::exit(1);
    }
  return seconds;
}

struct Latencies {
  std::vector<double> from_return, from_call;  // seconds
};

// Latencies from a commit's return (and call) to its line from `gitstate watch`.
Latencies watch_latencies(const std::string& gitstate, const std::string& path, int64_t commits,
                          bool& in_order) {
  gitstate::Repository repo = must(gitstate::Repository::init(path), "init");
  std::string since = must(repo.resolve(), "resolve").hex();
  std::string command = shell_quote(gitstate) + " --repo " + shell_quote(path) + " watch --since " +
                        since + " --timeout 60 --count " + std::to_string(commits + 1);
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) die("cannot start gitstate watch");
  auto read_commit_id = [&]() -> std::string {
    char line[65536];
    if (!fgets(line, sizeof line, pipe)) die("gitstate watch ended early");
    return nlohmann::json::parse(line).at("commit").get<std::string>();
  };
  Latencies latencies;
  in_order = true;
  for (int64_t i = 0; i <= commits; ++i) {  // the first commit warms the watch up
    auto called = Clock::now();
    auto tx = must(repo.begin(), "begin");
    must(tx.set("/k", i), "set");
    std::string id = must(tx.commit(), "commit").commit.hex();
    auto returned = Clock::now();
    in_order = in_order && read_commit_id() == id;
    if (i > 0) {
      latencies.from_return.push_back(seconds_since(returned));
      latencies.from_call.push_back(seconds_since(called));
    }
  }
  if (pclose(pipe) != 0) die("gitstate watch failed");
  return latencies;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

std::vector<int64_t> parse_counts(const std::string& text) {
  std::vector<int64_t> counts{0};
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) counts.push_back(std::stoll(item));
  return counts;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const int64_t commits = flags.num("commits", 300);
  const std::vector<int64_t> counts = parse_counts(flags.str("subscribers", "10,1000"));
  const int64_t watch_commits = flags.num("watch-commits", 200);
  const long long reps = flags.num("reps", 3);
  const std::string gitstate = flags.str("gitstate", GITSTATE_BIN);
  const bool keep = finish_flags(flags, kUsage);
  if (commits < 1 || watch_commits < 1 || reps < 1) die("sizes and --reps must be >= 1");
  ScratchDir scratch("events", keep);

  std::vector<Rate> rates(counts.size(), Rate{commits, {}});
  for (long long rep = 0; rep < reps; ++rep)
    for (size_t c = 0; c < counts.size(); ++c) {
      std::string path =
          scratch.sub("commit-" + std::to_string(counts[c]) + "-" + std::to_string(rep));
      rates[c].samples.add(run_commits(path, commits, counts[c]));
    }
  for (size_t c = 0; c < counts.size(); ++c) {
    Line line =
        rates[c].line("events_commit", "subscribers-" + std::to_string(counts[c]), "commit");
    line["subscribers"] = counts[c];
    emit(line);
  }
  emit(Line{{"check", "every subscriber heard every commit"}, {"ok", true}});
  for (size_t c = 1; c < counts.size(); ++c)
    emit(ratio_line("commit-time subscribers-" + std::to_string(counts[c]) + "/subscribers-0",
                    rates[c].samples.med(), rates[0].samples.med(), rates[c].samples.min(),
                    rates[0].samples.min()));

  bool in_order = true;
  Latencies all;
  for (long long rep = 0; rep < reps; ++rep) {
    bool ok = true;
    Latencies latencies =
        watch_latencies(gitstate, scratch.sub("watch-" + std::to_string(rep)), watch_commits, ok);
    in_order = in_order && ok;
    all.from_return.insert(all.from_return.end(), latencies.from_return.begin(),
                           latencies.from_return.end());
    all.from_call.insert(all.from_call.end(), latencies.from_call.begin(),
                         latencies.from_call.end());
  }
  for (const auto& [impl, seconds] : {std::pair{"from-commit-return", &all.from_return},
                                      std::pair{"from-commit-call", &all.from_call}})
    emit(Line{{"bench", "events_watch_latency"},
              {"impl", impl},
              {"commits", seconds->size()},
              {"us_median", median(*seconds) * 1e6},
              {"us_p99", percentile(*seconds, 0.99) * 1e6},
              {"us_max", *std::max_element(seconds->begin(), seconds->end()) * 1e6}});
  emit(Line{{"check", "watch printed every commit once, in order"}, {"ok", in_order}});
  return in_order ? 0 : 1;
}
