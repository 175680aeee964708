// W1 config churn through the `gitstate import` command, beside `git
// fast-import` of the equivalent stream and the in-process Batch API, in one
// run. Target: `gitstate import` >= 5x git fast-import (commits/s).
//
//   gitstate-import  the `gitstate --repo DIR import` process, start to exit,
//                    fed the whole history (the initial state as a merge patch,
//                    then one line per commit) as JSON Lines through a pipe
//   batch            Batch::start, N x (begin, set, commit), finish, in this
//                    process; the initial state is committed untimed first
//   fast-import      `git fast-import --quiet` fed the W1 stream (w1_workload.h)
//
// The repositories come from Repository::init (untimed; `git init` for
// fast-import). Repetitions are interleaved. Afterwards the program checks
// that the import made N + 1 commits, that it reached the batch's head commit
// id, and that `git fsck --strict` accepts both gitstate repositories.

#include <fstream>
#include <sstream>

#include "bench_util.h"
#include "w1_baselines.h"
#include "w1_porcelain.h"
#include "w1_workload.h"

namespace {

using namespace bench;
using namespace bench::w1;

constexpr const char* kUsage =
    "bench_w1_import: W1 config churn through `gitstate import`, beside git fast-import\n"
    "  --commits N      commits per run (default 10000)\n"
    "  --reps N         repetitions, interleaved; medians are reported (default 3)\n"
    "  --gitstate PATH  the gitstate command (default: the one built with this program)\n"
    "  --keep           keep the scratch repositories\n"
    "  --stock-malloc   keep glibc's heap trimming (see bench/README.md)\n";

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct ImportRun {
  double seconds = 0;
  std::string head;      // what the command printed on stdout
  std::string messages;  // what it printed on stderr
};

// `gitstate import` into a new repository at `dir`.
ImportRun run_import(const std::string& gitstate, const std::string& dir,
                     const std::string& lines) {
  init_repository(dir);
  const std::string out = dir + ".out", err = dir + ".err";
  FedCommand run = feed_command(shell_quote(gitstate) + " --repo " + shell_quote(dir) +
                                    " import >" + shell_quote(out) + " 2>" + shell_quote(err),
                                lines);
  ImportRun result{run.seconds, read_text(out), read_text(err)};
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  if (!run.ok())
    die("gitstate import failed (status " + std::to_string(run.status) + "): " + result.messages);
  result.head = result.head.substr(0, result.head.find('\n'));
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const int64_t commits = flags.num("commits", 10000);
  const long long reps = flags.num("reps", 3);
  const std::string gitstate = flags.str("gitstate", GITSTATE_BIN);
  const bool keep = finish_flags(flags, kUsage);
  if (commits < 1 || reps < 1) die("--commits and --reps must be >= 1");
  const bool fast_import = have_git();
  if (!fast_import) emit(Line{{"skipped", "fast-import"}, {"why", "git is not installed"}});

  const std::string lines = import_lines(commits);
  const std::string stream = fast_import ? fast_import_stream(commits, codec_blob_format()) : "";
  ScratchDir scratch("w1-import", keep);

  Rate import{commits, {}}, batch{commits, {}}, git{commits, {}};
  ImportRun last_import;
  std::string batch_head;
  for (long long rep = 0; rep < reps; ++rep) {
    const std::string suffix = "-" + std::to_string(rep);
    last_import = run_import(gitstate, scratch.sub("import" + suffix), lines);
    import.samples.add(last_import.seconds);

    gitstate::Repository repo = init_with_state(scratch.sub("batch" + suffix));
    auto start = Clock::now();
    batch_head = run_batch(repo, commits).hex();
    batch.samples.add(seconds_since(start));

    if (fast_import)
      git.samples.add(run_fast_import(scratch.sub("fast-import" + suffix), stream).seconds);
  }

  Line import_line = import.line("w1_import", "gitstate-import", "commit");
  import_line["note"] = "process time, includes the initial state and process start";
  emit(import_line);
  emit(batch.line("w1_import", "batch", "commit"));
  if (fast_import) {
    Line git_line = git.line("w1_import", "fast-import", "commit");
    git_line["note"] = "process time, includes the initial state and process start";
    emit(git_line);
    emit(rate_ratio("gitstate-import/fast-import", import, git));
    emit(rate_ratio("batch/fast-import", batch, git));
  }
  emit(rate_ratio("gitstate-import/batch", import, batch));

  const std::string imported = "Imported " + std::to_string(commits + 1) + " commits\n";
  bool ok = last_import.messages == imported;
  emit(Line{{"check", "import commit count"},
            {"want", imported},
            {"got", last_import.messages},
            {"ok", ok}});
  bool same = last_import.head == batch_head;
  emit(Line{{"check", "same head"},
            {"impl", "gitstate-import"},
            {"head", last_import.head},
            {"batch_head", batch_head},
            {"ok", same}});
  ok = same && ok;
  const std::string last = "-" + std::to_string(reps - 1);
  ok = fsck_check("w1_import", "gitstate-import", scratch.sub("import" + last)) && ok;
  ok = fsck_check("w1_import", "batch", scratch.sub("batch" + last)) && ok;
  return ok ? 0 : 1;
}
