// Garbage collection: gc() keeps every object the roots reach (stock `git
// fsck --strict` agrees, every branch and tag reads the same), removes
// unreachable objects older than the grace period, keeps younger ones with
// what they refer to, shrinks a history of many small packs, and loses
// nothing to commits made meanwhile.
#include "porcelain/porcelain_test_util.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "gitstate/gc.h"

using gitstate::GcOptions;
using gitstate::GcReport;
using gitstate::Oid;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TestRepo;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
GcOptions with_grace(int64_t seconds) {
  GcOptions options;
  options.grace = std::chrono::seconds(seconds);
  return options;
}

GcReport must_gc(const TestRepo& t, const GcOptions& options = {}) {
  auto report = gitstate::gc(t.repo, options);
  INFO(report.status().to_string());
  REQUIRE(report.is_ok());
  return *report;
}

std::string git(const TestRepo& t, const std::string& args, const std::string& input = "") {
  auto result = run_command("git --git-dir=" + shell_quote(t.path()) + " " + args, input);
  INFO("git " << args << ": " << result.output);
  REQUIRE(result.exit_code == 0);
  std::string out = result.output;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

bool has_object(const TestRepo& t, const std::string& id) {
  return run_command("git --git-dir=" + shell_quote(t.path()) + " cat-file -e " + id + " 2>&1")
             .exit_code == 0;
}

void age_objects(const TestRepo& t, int64_t seconds) {
  gitstate::test::backdate_files(t.path() + "/objects", std::chrono::seconds(seconds));
}

// Every object id reachable from refs and reflogs, as stock git lists them.
std::set<std::string> reachable_objects(const TestRepo& t) {
  std::set<std::string> ids;
  std::string out = git(t, "rev-list --objects --all --reflog");
  for (size_t pos = 0; pos < out.size();) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    ids.insert(out.substr(pos, 40));
    pos = end + 1;
  }
  return ids;
}

// The whole state at each revision named.
std::map<std::string, json> states(TestRepo& t, const std::vector<std::string>& revs) {
  std::map<std::string, json> out;
  for (const auto& rev : revs) out[rev] = t.get("", rev);
  return out;
}

// A commit on a new branch `name` that nothing else reaches, then the
// branch deleted: its commit, root tree and unique blob become unreachable.
Oid orphan_commit(TestRepo& t, const std::string& name, const std::string& value) {
  REQUIRE(gitstate::create_branch(t.repo, name).is_ok());
  Oid commit = t.set("/orphan/" + name, value, "orphan", name);
  REQUIRE(gitstate::delete_branch(t.repo, name).is_ok());
  return commit;
}

// A blob written loose by stock git, referred to by nothing.
std::string loose_blob(const TestRepo& t, const std::string& content) {
  return git(t, "hash-object -w --stdin", content);
}

// Rewrites the store as small uncompressed packs of `per_pack` commits of
// main's history each (the last one also holds everything else), as
// processes that each commit and exit before a consolidation finishes leave
// it, and removes the packs that were there.
void split_into_small_packs(const TestRepo& t, size_t per_pack) {
  // No background consolidation meanwhile (it would merge packs listed here).
  auto quiet = gitstate::FileLock::acquire(t.path() + "/gitstate-consolidate.lock");
  REQUIRE(quiet.is_ok());
  std::vector<fs::path> old;
  for (const auto& entry : fs::directory_iterator(t.path() + "/objects/pack"))
    if (entry.path().filename().string().starts_with("pack-")) old.push_back(entry.path());
  std::vector<std::string> commits;
  std::string list = git(t, "rev-list --reverse --first-parent main");
  for (size_t pos = 0; pos < list.size(); pos += 41) commits.push_back(list.substr(pos, 40));
  std::string git_dir = "git --git-dir=" + shell_quote(t.path());
  std::string previous;
  for (size_t end = per_pack;; end += per_pack) {
    bool last = end >= commits.size();
    std::string range = last ? "--all" : commits[end - 1];
    if (!previous.empty()) range += " ^" + previous;
    auto packed = run_command(git_dir + " rev-list --objects " + range + " | " + git_dir +
                              " pack-objects -q --window=0 --depth=0 --compression=0 " +
                              shell_quote(t.path() + "/objects/pack/pack"));
    INFO(packed.output);
    REQUIRE(packed.exit_code == 0);
    if (last) break;
    previous = commits[end - 1];
  }
  for (const auto& path : old) fs::remove(path);
}

std::vector<std::string> object_files(const TestRepo& t) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(t.path() + "/objects"))
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}
}  // namespace

TEST_CASE("gc on a new repository works, and again", "[gc]") {
  TestRepo t;
  GcReport first = must_gc(t);
  CHECK(first.reachable == 2);  // the root commit and its empty tree
  CHECK(first.objects_written == 2);
  CHECK(first.pruned == 0);
  CHECK(first.packs_after == 1);
  CHECK(first.loose_after == 0);
  CHECK(t.fsck());
  GcReport second = must_gc(t);
  CHECK(second.objects_written == 2);
  CHECK(second.pruned == 0);
  CHECK(second.packs_after == 1);
  CHECK(t.get("") == json::object());
  t.set("/a", 1);
  CHECK(t.get("/a") == 1);
}

TEST_CASE("gc on an empty repository (no commit at all) does nothing", "[gc]") {
  gitstate::test::TempDir dir;
  std::string path = dir.str() + "/bare.git";
  REQUIRE(run_command("git init -q --bare " + shell_quote(path)).exit_code == 0);
  auto repo = gitstate::Repository::init(path);  // adopts it as it is
  INFO(repo.status().to_string());
  REQUIRE(repo.is_ok());
  auto report = gitstate::gc(*repo, with_grace(0));
  INFO(report.status().to_string());
  REQUIRE(report.is_ok());
  CHECK(report->pruned == 0);
  CHECK(report->objects_written == report->reachable);
  CHECK(report->packs_after <= 1);
}

TEST_CASE("gc refuses a negative grace period and changes nothing", "[gc]") {
  TestRepo t;
  t.set("/a", 1);
  auto before = object_files(t);
  auto report = gitstate::gc(t.repo, with_grace(-1));
  REQUIRE(!report.is_ok());
  CHECK(report.status().code() == gitstate::Code::kInvalid);
  CHECK(object_files(t) == before);
}

TEST_CASE("gc repacks many small packs into one smaller pack and keeps every state", "[gc]") {
  TestRepo t;
  // A W1-like history: 1,000 leaves, then single-leaf commits, flushed in
  // small batches so that it lies in many packs.
  {
    auto tx = t.repo.begin();
    REQUIRE(tx.is_ok());
    json state = json::object();
    for (int s = 0; s < 10; ++s)
      for (int g = 0; g < 10; ++g)
        for (int k = 0; k < 10; ++k)
          state["s" + std::to_string(s)]["g" + std::to_string(g)]["k" + std::to_string(k)] =
              1000000 + (s * 10 + g) * 10 + k;
    REQUIRE(tx->merge_patch(state).is_ok());
    REQUIRE(tx->commit({}).is_ok());
  }
  const int kCommits = 2000, kPerBatch = 50;
  std::vector<std::string> revs;
  for (int first = 0; first < kCommits; first += kPerBatch) {
    auto batch = gitstate::Batch::start(t.repo);
    REQUIRE(batch.is_ok());
    for (int i = first; i < first + kPerBatch; ++i) {
      auto tx = batch->begin();
      REQUIRE(tx.is_ok());
      std::string leaf = "/s" + std::to_string(i % 10) + "/g" + std::to_string(i / 10 % 10) + "/k" +
                         std::to_string(i / 100 % 10);
      REQUIRE(tx->set(leaf, i).is_ok());
      REQUIRE(tx->commit({}).is_ok());
    }
    auto head = batch->finish();
    REQUIRE(head.is_ok());
    if (first % 500 == 0) revs.push_back(head->hex());
  }
  REQUIRE(gitstate::create_tag(t.repo, "v1", revs[1]).is_ok());
  REQUIRE(gitstate::create_branch(t.repo, "side", revs[2]).is_ok());
  t.set("/side", true, "", "side");
  revs.insert(revs.end(), {"main", "v1", "side"});
  split_into_small_packs(t, 100);
  REQUIRE(t.fsck());

  auto before_states = states(t, revs);
  auto before_objects = reachable_objects(t);
  GcReport report = must_gc(t);
  CHECK(report.packs_before > 20);
  CHECK(report.packs_after == 1);
  CHECK(report.bytes_after < report.bytes_before);
  CHECK(report.reachable == before_objects.size());
  CHECK(report.objects_written == before_objects.size());
  CHECK(report.pruned == 0);
  CHECK(t.fsck());
  CHECK(reachable_objects(t) == before_objects);
  CHECK(states(t, revs) == before_states);
  // Commits go on as before.
  t.set("/after", 1);
  CHECK(t.get("/after") == 1);
}

TEST_CASE("gc removes old unreachable objects and keeps recent ones", "[gc]") {
  TestRepo t;
  t.set("/keep", "me");
  Oid old_orphan = orphan_commit(t, "old", "gone soon");
  std::string old_blob = loose_blob(t, "old loose blob");
  age_objects(t, 7200);
  Oid new_orphan = orphan_commit(t, "new", "still young");
  std::string new_blob = loose_blob(t, "young loose blob");
  auto before_states = states(t, {"main"});

  GcReport report = must_gc(t);  // grace: one hour
  CHECK_FALSE(has_object(t, old_orphan.hex()));
  CHECK_FALSE(has_object(t, old_blob));
  CHECK(has_object(t, new_orphan.hex()));
  CHECK(has_object(t, new_blob));
  CHECK(report.pruned >= 4);  // the old commit, its trees and blob, the old loose blob
  CHECK(report.files_kept_for_grace >= 2);
  CHECK(report.objects_kept_for_grace >= 2);
  CHECK(t.fsck());
  CHECK(states(t, {"main"}) == before_states);

  // Without a grace period, the young ones go too.
  GcReport now = must_gc(t, with_grace(0));
  CHECK_FALSE(has_object(t, new_orphan.hex()));
  CHECK_FALSE(has_object(t, new_blob));
  CHECK(now.pruned >= 2);
  CHECK(now.files_kept_for_grace == 0);
  CHECK(now.packs_after == 1);
  CHECK(now.loose_after == 0);
  CHECK(t.fsck());
  CHECK(states(t, {"main"}) == before_states);
}

TEST_CASE("a recent object keeps the old unreachable objects it refers to", "[gc]") {
  TestRepo t;
  // An old blob nothing reaches, which a writer then reuses without
  // rewriting it: its new tree and commit are recent, the blob is not.
  std::string blob = loose_blob(t, "\"reused\"\n");
  age_objects(t, 7200);
  std::string tree = git(t, "mktree", "100644 blob " + blob + "\treused\n");
  std::string commit =
      git(t, "-c user.name=T -c user.email=t@example.com commit-tree " + tree + " -m pending");
  GcReport report = must_gc(t);
  CHECK(has_object(t, blob));
  CHECK(has_object(t, tree));
  CHECK(has_object(t, commit));
  CHECK(report.objects_kept_for_grace >= 3);
  // The writer moves its ref now: the commit is whole.
  git(t, "update-ref refs/heads/pending " + commit);
  CHECK(t.fsck());
  CHECK(t.get("/reused", "pending") == "reused");
}

TEST_CASE("refs under refs/gitstate, tags and reflogs keep their history", "[gc]") {
  TestRepo t;
  REQUIRE(gitstate::create_branch(t.repo, "work").is_ok());
  Oid archived = t.set("/archived", "value", "", "work");
  Oid tagged = t.set("/tagged", 1, "", "work");
  git(t, "update-ref refs/gitstate/archive/work " + archived.hex());
  REQUIRE(gitstate::create_tag(t.repo, "t1", tagged.hex()).is_ok());
  git(t, "-c user.name=T -c user.email=t@example.com tag -a -m annotated t2 " + tagged.hex());
  REQUIRE(gitstate::delete_branch(t.repo, "work").is_ok());
  // Rewound main: its old head stays reachable through the reflog only.
  Oid rewound = t.set("/rewound", true);
  git(t, "update-ref refs/heads/main " + rewound.hex() + "~1");
  age_objects(t, 7200);

  must_gc(t, with_grace(0));
  CHECK(t.get("/archived", archived.hex()) == "value");
  CHECK(t.get("/tagged", "t1") == 1);
  CHECK(t.get("/tagged", "t2") == 1);
  CHECK(t.get("/rewound", rewound.hex()) == true);
  CHECK(t.fsck());
}

TEST_CASE("gc fails on a missing reachable object and removes nothing", "[gc]") {
  TestRepo t;
  t.set("/a", 1);
  orphan_commit(t, "gone", "x");
  Oid head = t.set("/b", 2);
  age_objects(t, 7200);
  // Lose the pack holding the head commit.
  std::string victim;
  for (const auto& entry : fs::directory_iterator(t.path() + "/objects/pack")) {
    std::string path = entry.path().string();
    if (!path.ends_with(".idx")) continue;
    std::string base = path.substr(0, path.size() - 4);
    auto listed = run_command("git show-index < " + shell_quote(path));
    if (listed.output.find(head.hex()) != std::string::npos) victim = base;
  }
  REQUIRE(!victim.empty());
  fs::remove(victim + ".idx");
  fs::remove(victim + ".pack");
  auto before = object_files(t);
  auto report = gitstate::gc(t.repo, with_grace(0));
  REQUIRE(!report.is_ok());
  CHECK(report.status().code() == gitstate::Code::kCorrupt);
  CHECK(report.status().message().find(head.hex()) != std::string::npos);
  CHECK(object_files(t) == before);
}

TEST_CASE("a journal replay after gc brings nothing back", "[gc][journal]") {
  TestRepo t;
  t.set("/a", 1);
  Oid orphan = orphan_commit(t, "gone", "journaled");  // its pack is in the journal
  age_objects(t, 7200);
  must_gc(t, with_grace(0));
  REQUIRE_FALSE(has_object(t, orphan.hex()));
  // As after a reboot: the next open replays the journal.
  REQUIRE(gitstate::test::mark_journal_from_earlier_boot(t.path()));
  auto reopened = gitstate::Repository::open(t.path());
  REQUIRE(reopened.is_ok());
  CHECK_FALSE(has_object(t, orphan.hex()));
  CHECK(reopened->get("/a").value() == 1);
  CHECK(t.fsck());
}

TEST_CASE("gc loses nothing to commits made by another thread meanwhile", "[gc][concurrency]") {
  TestRepo t;
  t.set("/n", 0);
  Oid orphan = orphan_commit(t, "old", "prune me");
  age_objects(t, 7200);  // gc has old packs to replace and an orphan to prune
  std::atomic<bool> done{false};
  std::vector<Oid> commits;
  gitstate::Status writer_status;
  // A handle of its own, as another process would have (Catch2's REQUIRE
  // is for the main thread only: the writer stops at its first error).
  std::thread writer([&] {
    auto commit = [&](const gitstate::Repository& repo, int i) -> gitstate::Status {
      auto tx = repo.begin();
      if (!tx.is_ok()) return tx.status();
      GITSTATE_RETURN_IF_ERROR(tx->set("/n", i));
      GITSTATE_RETURN_IF_ERROR(tx->set("/k" + std::to_string(i % 7), i));
      auto outcome = tx->commit({});
      if (!outcome.is_ok()) return outcome.status();
      commits.push_back(outcome->commit);
      return gitstate::Status::ok();
    };
    auto repo = gitstate::Repository::open(t.path());
    writer_status = repo.status();
    for (int i = 1; i <= 150 && writer_status.is_ok(); ++i) writer_status = commit(*repo, i);
    done = true;
  });
  int runs = 0;
  while (!done || runs < 3) {
    must_gc(t);  // with the default grace period
    ++runs;
  }
  writer.join();
  INFO(writer_status.to_string());
  REQUIRE(writer_status.is_ok());
  REQUIRE(commits.size() == 150);
  for (size_t i = 0; i < commits.size(); ++i) {
    CAPTURE(i);
    CHECK(t.get("/n", commits[i].hex()) == static_cast<int>(i + 1));
  }
  CHECK(t.get("/n") == 150);
  CHECK_FALSE(has_object(t, orphan.hex()));
  CHECK(t.fsck());
}

TEST_CASE("a merge stopped on conflicts keeps its sides through gc", "[gc][merge]") {
  TestRepo t;
  t.set("/x", 0);
  REQUIRE(gitstate::create_branch(t.repo, "theirs").is_ok());
  t.set("/x", "ours");
  t.set("/x", "theirs only", "", "theirs");
  auto merged = gitstate::merge(t.repo, "theirs");
  INFO(merged.status().to_string());
  REQUIRE(gitstate::stopped_merge(t.repo).is_ok());
  // The source commit is now reachable only through the stopped merge's
  // record (refs/gitstate/merge/main).
  REQUIRE(gitstate::delete_branch(t.repo, "theirs").is_ok());
  age_objects(t, 7200);
  GcReport report = must_gc(t, with_grace(0));
  CHECK(report.pruned == 0);
  CHECK(t.fsck());
  REQUIRE(gitstate::resolve_conflict(t.repo, "main", "/x", gitstate::Settle::kTheirs).is_ok());
  auto head = gitstate::continue_merge(t.repo);
  INFO(head.status().to_string());
  REQUIRE(head.is_ok());
  CHECK(t.get("/x") == "theirs only");
  CHECK(t.fsck());
}
