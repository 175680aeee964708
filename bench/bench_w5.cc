// W5 sync: push 10,000 commits to a git daemon on loopback, clone them into a
// second repository, diverge both, pull; gitstate's commands beside stock
// git's on the same source repository, in one run.
//
//   push   `gitstate push origin main` / `git push <url> main` of the whole
//          history into an empty bare repository served by `git daemon`
//   clone  `gitstate clone URL DIR` / `git clone URL DIR` (git: with a work
//          tree, which `git pull` needs)
//   pull   both sides diverged (the source gets --diverge more commits, pushed
//          untimed; the clone one commit of its own), then `gitstate pull
//          origin` / `git pull --no-rebase origin main`: fetch plus a merge
//          commit
//
// Failures inside a repetition throw, so that the git daemon is stopped
// before the program exits with an error line.
//
// Every step runs the command as a process, start to exit, progress off.
// Repetitions are interleaved and start from fresh servers and clones.
// Target (performance.md): gitstate push + clone within 1.5x of git's.
// Checks: both servers hold the source's head after the push, both pulls
// made a merge commit of the same two sides, `git fsck --strict` accepts
// gitstate's clone.

#include <fstream>

#include "bench_util.h"
#include "support/git_servers.h"

namespace {

using namespace bench;

constexpr const char* kUsage =
    "bench_w5: W5 sync, gitstate push/clone/pull beside stock git's\n"
    "  --commits N   commits in the pushed history (default 10000)\n"
    "  --diverge N   commits the source gets after the clone (default 10)\n"
    "  --reps N      repetitions, interleaved; medians are reported (default 3)\n"
    "  --gitstate P  the gitstate command (default: the one built with this program)\n"
    "  --keep        keep the scratch repositories\n"
    "  --stock-malloc keep glibc's heap trimming (see bench/README.md)\n";

// JSON Lines for `gitstate import`: commit i sets /s<i%10>/k<(i/10)%100> to i.
std::string history(long long from, long long count) {
  std::string lines;
  for (long long i = from; i < from + count; ++i) {
    std::string path = "/s" + std::to_string(i % 10) + "/k" + std::to_string((i / 10) % 100);
    lines += "{\"merge_patch\":{\"s" + std::to_string(i % 10) + "\":{\"k" +
             std::to_string((i / 10) % 100) + "\":" + std::to_string(i) + "}},\"message\":\"set " +
             path + "\",\"time\":" + std::to_string(1700000000 + i) + "}\n";
  }
  return lines;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

double timed(const std::string& command) {
  auto start = Clock::now();
  CommandResult r = run_command(command);
  double seconds = seconds_since(start);
  if (!r.ok())
    throw std::runtime_error("command failed: " + command + ": " + r.output.substr(0, 2000));
  return seconds;
}

void must_run(const std::string& command) {
  CommandResult r = run_command(command);
  if (!r.ok())
    throw std::runtime_error("command failed: " + command + ": " + r.output.substr(0, 2000));
}

struct Times {
  Samples push, clone, pull, push_clone;
};

}  // namespace

int main(int argc, char** argv) {
  Flags flags(argc, argv);
  const long long commits = flags.num("commits", 10000);
  const long long diverge = flags.num("diverge", 10);
  const long long reps = flags.num("reps", 3);
  const std::string gs = flags.str("gitstate", GITSTATE_BIN);
  const bool keep = finish_flags(flags, kUsage);
  if (!have_git()) die("git is not installed");

  ScratchDir scratch("w5", keep);
  const std::string source = scratch.sub("source");
  bool ok = true;
  Times gitstate, git;
  try {
    must_run(shell_quote(gs) + " --repo " + shell_quote(source) + " init");
    {
      FedCommand imported = feed_command(
          shell_quote(gs) + " --repo " + shell_quote(source) + " import >/dev/null 2>&1",
          history(0, commits));
      if (!imported.ok()) throw std::runtime_error("gitstate import of the source history failed");
    }
    const std::string base_head =
        first_line(run_command("git --git-dir=" + shell_quote(source) + " rev-parse main").output);
    const std::string git_src = "git --git-dir=" + shell_quote(source) + " ";
    const std::string gs_src = shell_quote(gs) + " --repo " + shell_quote(source) + " ";

    for (long long rep = 0; rep < reps; ++rep) {
      const std::string run = scratch.sub("rep" + std::to_string(rep));
      const std::string srv = run + "/srv";
      std::filesystem::create_directories(srv);
      must_run("git init -q --bare --initial-branch=main " + shell_quote(srv + "/gs.git"));
      must_run("git init -q --bare --initial-branch=main " + shell_quote(srv + "/git.git"));
      gitstate::test::GitDaemon daemon(srv);
      const std::string gs_url = daemon.url("gs.git"), git_url = daemon.url("git.git");
      // The source goes back to its base history for every repetition.
      must_run(git_src + "update-ref refs/heads/main " + base_head);
      must_run(git_src + "remote remove origin >/dev/null 2>&1 || true");
      must_run(gs_src + "remote add origin " + shell_quote(gs_url));

      double gs_push = timed(gs_src + "push -q origin main");
      double git_push = timed(git_src + "push -q " + shell_quote(git_url) + " main");
      gitstate.push.add(gs_push);
      git.push.add(git_push);
      for (const char* repo : {"gs.git", "git.git"}) {
        bool same = first_line(run_command("git --git-dir=" + shell_quote(srv + "/" + repo) +
                                           " rev-parse main")
                                   .output) == base_head;
        ok &= same;
        emit(Line{{"check", "server has the pushed head"},
                  {"bench", "w5"},
                  {"repo", repo},
                  {"ok", same}});
      }

      const std::string gs_clone = run + "/gs-clone", git_clone = run + "/git-clone";
      double gs_cloned =
          timed(shell_quote(gs) + " clone -q " + shell_quote(gs_url) + " " + shell_quote(gs_clone));
      double git_cloned =
          timed("git clone -q " + shell_quote(git_url) + " " + shell_quote(git_clone));
      gitstate.clone.add(gs_cloned);
      git.clone.add(git_cloned);
      gitstate.push_clone.add(gs_push + gs_cloned);
      git.push_clone.add(git_push + git_cloned);

      // Diverge: the source gets more commits (on both servers), each clone one of its own.
      FedCommand more = feed_command(gs_src + " import >/dev/null 2>&1", history(commits, diverge));
      if (!more.ok()) throw std::runtime_error("gitstate import of the divergent commits failed");
      must_run(gs_src + "push -q origin main");
      must_run(git_src + "push -q " + shell_quote(git_url) + " main");
      must_run(shell_quote(gs) + " --repo " + shell_quote(gs_clone) + " set /local/x 1 -m local");
      must_run("mkdir -p " + shell_quote(git_clone + "/local") + " && printf '1\\n' > " +
               shell_quote(git_clone + "/local/x") + " && git -C " + shell_quote(git_clone) +
               " add local/x && git -C " + shell_quote(git_clone) +
               " -c user.name=bench -c user.email=bench@localhost commit -q -m local");

      gitstate.pull.add(
          timed(shell_quote(gs) + " --repo " + shell_quote(gs_clone) + " pull -q origin"));
      git.pull.add(timed("git -C " + shell_quote(git_clone) +
                         " -c user.name=bench -c user.email=bench@localhost pull -q --no-rebase "
                         "--no-edit origin main"));
      for (const auto& [impl, parents] :
           {std::pair<std::string, std::string>{
                "gitstate", run_command("git --git-dir=" + shell_quote(gs_clone) +
                                        " rev-list --parents -n1 main")
                                .output},
            {"git", run_command("git -C " + shell_quote(git_clone) + " rev-list --parents -n1 HEAD")
                        .output}}) {
        bool merge = std::count(parents.begin(), parents.end(), ' ') == 2;
        ok &= merge;
        emit(Line{
            {"check", "pull made a merge commit"}, {"bench", "w5"}, {"impl", impl}, {"ok", merge}});
      }
      if (rep == 0) ok &= fsck_check("w5", "gitstate", gs_clone);
      std::error_code ec;
      if (!keep) std::filesystem::remove_all(run, ec);
    }
  } catch (const std::exception& e) {
    emit(Line{{"error", e.what()}});
    return 2;
  }

  auto report = [&](const std::string& step, const Samples& gs_s, const Samples& git_s) {
    Line a{{"bench", "w5_" + step}, {"impl", "gitstate"}, {"commits", commits}};
    gs_s.describe(a);
    emit(a);
    Line b{{"bench", "w5_" + step}, {"impl", "git"}, {"commits", commits}};
    git_s.describe(b);
    emit(b);
    emit(ratio_line(step + " time gitstate/git", gs_s.med(), git_s.med(), gs_s.min(), git_s.min()));
  };
  report("push", gitstate.push, git.push);
  report("clone", gitstate.clone, git.clone);
  report("push+clone", gitstate.push_clone, git.push_clone);
  report("pull", gitstate.pull, git.pull);
  return ok ? 0 : 1;
}
