// squash(): the history before a time becomes one snapshot commit, newer
// commits are re-created on it, the state stays identical, the old head stays
// reachable under an archive ref until deleted; checked with stock git.
#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "gitstate/plumbing/refs.h"
#include "gitstate/squash.h"
#include "gitstate/verify.h"
#include "porcelain_test_util.h"

using namespace gitstate;
using namespace gitstate::test;

namespace {
constexpr int64_t kBase = 1700000000;

Signature who(const std::string& name, int64_t time) {
  return Signature{name, name + "@example.org", time, 60};
}

InitOptions init_at_base() {
  InitOptions options;
  options.author = who("ada", kBase);
  return options;
}

// Commits one set (or removal, for a null value) by `author` at kBase + offset.
Oid commit_at(const Repository& repo, int64_t offset, const std::string& pointer,
              const nlohmann::json& value, const std::string& message,
              const std::vector<std::string>& tags = {}, const std::string& author = "ada",
              const std::string& branch = "") {
  auto tx = repo.begin(branch);
  REQUIRE(tx.is_ok());
  REQUIRE((value.is_null() ? tx->remove(pointer) : tx->set(pointer, value)).is_ok());
  CommitOptions options;
  options.message = message;
  options.tags = tags;
  options.author = who(author, kBase + offset);
  auto outcome = tx->commit(options);
  INFO(outcome.status().to_string());
  REQUIRE(outcome.is_ok());
  return outcome->commit;
}

CommitData raw_commit(const Repository& repo, const Oid& id) {
  auto object = repo.objects().read(id);
  REQUIRE(object.is_ok());
  auto commit = parse_commit(object->data);
  REQUIRE(commit.is_ok());
  return *commit;
}

// The first-parent history from `rev`, head first.
std::vector<Oid> first_parents(const Repository& repo, const std::string& rev) {
  auto head = repo.resolve(rev);
  REQUIRE(head.is_ok());
  std::vector<Oid> out{*head};
  while (true) {
    CommitData commit = raw_commit(repo, out.back());
    if (commit.parents.empty()) return out;
    out.push_back(commit.parents.front());
  }
}

std::string git(const TestRepo& t, const std::string& args) {
  return "git --git-dir=" + shell_quote(t.path()) + " " + args;
}

std::set<std::string> rev_list_all(const TestRepo& t) {
  REQUIRE(t.repo.objects().flush(true).is_ok());
  auto listed = run_command(git(t, "rev-list --all"));
  REQUIRE(listed.exit_code == 0);
  std::set<std::string> ids;
  std::istringstream in(listed.output);
  for (std::string line; std::getline(in, line);) ids.insert(line);
  return ids;
}

std::string trailer(const CommitInfo& info, const std::string& key) {
  for (const auto& [name, value] : info.trailers)
    if (name == key) return value;
  return "";
}

SquashOptions before(int64_t offset, const std::string& branch = "main") {
  SquashOptions options;
  options.branch = branch;
  options.before = kBase + offset;
  options.identity = who("sam", 0);
  return options;
}

// A history on main: the root at kBase, then commits at +1000 ... +5000.
struct History {
  TestRepo t{init_at_base()};
  Oid root, c1, c2, c3, c4, c5;
  History() {
    root = t.repo.resolve().value();
    c1 = commit_at(t.repo, 1000, "/a", 1, "one");
    c2 = commit_at(t.repo, 2000, "/b", 2, "two", {"x"});
    c3 = commit_at(t.repo, 3000, "/c", {{"d", 3}}, "three");
    c4 = commit_at(t.repo, 4000, "/e", "four", "four\n\nwith a body", {"y", "z"}, "bob");
    c5 = commit_at(t.repo, 5000, "/a", nullptr, "five");
  }
};

// Nothing under refs/gitstate/archive/, and main still at `head`.
void unchanged(const TestRepo& t, const Oid& head) {
  CHECK(t.repo.resolve("main").value() == head);
  auto archives = list_archives(t.repo);
  REQUIRE(archives.is_ok());
  CHECK(archives->empty());
}
}  // namespace

TEST_CASE("squash keeps the state, makes the old history one snapshot, re-creates the rest") {
  History h;
  TestRepo& t = h.t;
  REQUIRE(create_tag(t.repo, "v2", h.c2.hex()).is_ok());
  auto state_before = t.repo.get("");
  REQUIRE(state_before.is_ok());
  Oid tree_before = t.repo.state_tree().value();

  auto result = squash(t.repo, before(3500));
  INFO(result.status().to_string());
  REQUIRE(result.is_ok());
  CHECK(result->squashed);
  CHECK(result->old_head == h.c5);
  CHECK(result->state_of == h.c3);
  CHECK(result->replaced == 4);  // c3, c2, c1 and the root
  CHECK(result->recreated == 2);
  CHECK(result->oldest == kBase);
  CHECK(result->newest == kBase + 3000);
  CHECK(result->archived_tags == std::vector<std::string>{"v2"});

  // The same state: the same tree id, every read identical.
  CHECK(t.repo.resolve("main").value() == result->new_head);
  CHECK(t.repo.state_tree().value() == tree_before);
  CHECK(t.repo.get("").value() == *state_before);
  CHECK(t.repo.get("/c/d").value() == 3);
  CHECK(t.repo.get("/e").value() == "four");
  CHECK(t.repo.get("/a").status().code() == Code::kNotFound);

  // The history before T is one commit holding c3's state.
  std::vector<Oid> line = first_parents(t.repo, "main");
  REQUIRE(line.size() == 3);
  CHECK(line[2] == result->snapshot);
  CommitData snapshot = raw_commit(t.repo, result->snapshot);
  CHECK(snapshot.parents.empty());
  CHECK(snapshot.tree == raw_commit(t.repo, h.c3).tree);
  CHECK(snapshot.author.email == "sam@example.org");
  CHECK(snapshot.committer.time == kBase + 3000);
  CommitInfo info = t.info(result->snapshot);
  CHECK(trailer(info, kSquashCommitsTrailer) == "4");
  CHECK(trailer(info, kSquashBeforeTrailer) == "2023-11-14T23:11:40Z");
  CHECK(trailer(info, kSquashOldestTrailer) == "2023-11-14T22:13:20Z");
  CHECK(trailer(info, kSquashStateOfTrailer) == h.c3.hex());
  CHECK(trailer(info, kSquashOldHeadTrailer) == h.c5.hex());
  CHECK(trailer(info, kSquashArchiveTrailer) == result->archive);

  // Newer commits keep tree, message (trailers included), author and committer.
  for (auto [old_id, new_id] : {std::pair{h.c4, line[1]}, std::pair{h.c5, line[0]}}) {
    CommitData was = raw_commit(t.repo, old_id), now = raw_commit(t.repo, new_id);
    CHECK(now.tree == was.tree);
    CHECK(now.message == was.message);
    CHECK(now.author == was.author);
    CHECK(now.committer == was.committer);
    CHECK(new_id != old_id);
  }
  CHECK(t.info(line[1]).tags == std::vector<std::string>{"y", "z"});

  // The old head is kept under the archive ref; stock git is happy.
  auto archives = list_archives(t.repo, "main");
  REQUIRE(archives.is_ok());
  REQUIRE(archives->size() == 1);
  CHECK(archives->front().ref == result->archive);
  CHECK(archives->front().branch == "main");
  CHECK(archives->front().head == h.c5);
  CHECK(result->archive.rfind("refs/gitstate/archive/main/", 0) == 0);
  CHECK(t.repo.get("/a", result->archive + "~1").value() == 1);
  std::set<std::string> all = rev_list_all(t);
  for (const Oid& id : {h.root, h.c1, h.c2, h.c3, h.c4, h.c5}) CHECK(all.count(id.hex()) == 1);
  CHECK(t.fsck());

  // Deleting the archive (and the tag on the old history) leaves the old
  // commits unreachable; the new history stays whole.
  REQUIRE(delete_archive(t.repo, result->archive).is_ok());
  CHECK(delete_archive(t.repo, result->archive).code() == Code::kNotFound);
  REQUIRE(delete_tag(t.repo, "v2").is_ok());
  all = rev_list_all(t);
  for (const Oid& id : {h.root, h.c1, h.c2, h.c3, h.c4, h.c5}) CHECK(all.count(id.hex()) == 0);
  for (const Oid& id : line) CHECK(all.count(id.hex()) == 1);
  CHECK(all.size() == 3);
  CHECK(t.fsck());
}

TEST_CASE("squash with nothing before T, or only the root commit, changes nothing") {
  History h;
  for (int64_t offset : {0, 500}) {
    auto result = squash(h.t.repo, before(offset));
    REQUIRE(result.is_ok());
    CHECK_FALSE(result->squashed);
    CHECK(result->old_head == h.c5);
    CHECK(result->new_head == h.c5);
    CHECK(result->replaced == 0);
    unchanged(h.t, h.c5);
  }
}

TEST_CASE("squashing twice: the snapshot is old history for the next squash") {
  History h;
  TestRepo& t = h.t;
  auto first = squash(t.repo, before(3500));
  REQUIRE(first.is_ok());
  REQUIRE(first->squashed);
  Oid c6 = commit_at(t.repo, 6000, "/f", true, "six");
  Oid tree = t.repo.state_tree().value();

  // The same T again finds only the snapshot: nothing to do.
  auto again = squash(t.repo, before(3500));
  REQUIRE(again.is_ok());
  CHECK_FALSE(again->squashed);

  auto second = squash(t.repo, before(4500));
  INFO(second.status().to_string());
  REQUIRE(second.is_ok());
  REQUIRE(second->squashed);
  CHECK(second->old_head == c6);
  CHECK(second->replaced == 2);  // the re-created c4 and the first snapshot
  CHECK(second->recreated == 2);
  CHECK(second->oldest == kBase + 3000);
  CHECK(t.repo.state_tree().value() == tree);
  CHECK(first_parents(t.repo, "main").size() == 3);
  CHECK(trailer(t.info(second->snapshot), kSquashOldHeadTrailer) == c6.hex());

  auto archives = list_archives(t.repo, "main");
  REQUIRE(archives.is_ok());
  REQUIRE(archives->size() == 2);
  CHECK(t.fsck());
  for (const ArchiveInfo& archive : *archives) REQUIRE(delete_archive(t.repo, archive.ref).is_ok());
  std::set<std::string> all = rev_list_all(t);
  CHECK(all.size() == 3);
  for (const Oid& id : first_parents(t.repo, "main")) CHECK(all.count(id.hex()) == 1);
}

TEST_CASE("a merge after T is re-created along its first parent with the merge's tree") {
  History h;
  TestRepo& t = h.t;
  REQUIRE(create_branch(t.repo, "side", h.c3.hex()).is_ok());
  commit_at(t.repo, 3600, "/side", 1, "on the side", {}, "ada", "side");
  BranchMergeOptions options;
  options.author = who("ada", kBase + 6000);
  auto merged = merge(t.repo, "side", "main", options);
  REQUIRE(merged.is_ok());
  REQUIRE(merged->kind == MergeKind::kMerged);
  Oid tree = t.repo.state_tree().value();

  auto result = squash(t.repo, before(3500));
  REQUIRE(result.is_ok());
  CHECK(result->flattened_merges == 1);
  CHECK(result->recreated == 3);
  CHECK(t.repo.state_tree().value() == tree);
  CHECK(t.repo.get("/side").value() == 1);
  CommitData head = raw_commit(t.repo, result->new_head);
  CHECK(head.parents.size() == 1);
  CHECK(head.message == raw_commit(t.repo, merged->head).message);
  CHECK(first_parents(t.repo, "main").size() == 4);
  CHECK(t.fsck());
}

TEST_CASE("refused squashes change nothing") {
  History h;
  TestRepo& t = h.t;
  CHECK(squash(t.repo, before(3500, "nowhere")).status().code() == Code::kNotFound);
  CHECK(squash(t.repo, before(3500, "bad..name")).status().code() == Code::kInvalid);
  unchanged(t, h.c5);

  // Through a perspective.
  REQUIRE(define_perspective(t.repo, {"only-a", {"/a/**"}, {}, {}}).is_ok());
  auto bound = t.repo.through("only-a");
  REQUIRE(bound.is_ok());
  CHECK(squash(*bound, before(3500)).status().code() == Code::kPermissionDenied);
  unchanged(t, h.c5);

  // A stopped merge on the branch.
  REQUIRE(create_branch(t.repo, "other", h.c5.hex()).is_ok());
  commit_at(t.repo, 6000, "/b", 20, "other b", {}, "ada", "other");
  Oid head = commit_at(t.repo, 6000, "/b", 30, "main b");
  auto stopped = merge(t.repo, "other", "main");
  REQUIRE(stopped.is_ok());
  REQUIRE(stopped->kind == MergeKind::kConflicted);
  Status refused = squash(t.repo, before(3500)).status();
  CHECK(refused.code() == Code::kConflict);
  CHECK(refused.message().find("stopped on branch 'main'") != std::string::npos);
  unchanged(t, head);
  CHECK(t.fsck());
}

TEST_CASE("squash announces one kBranchMoved that is not a fast-forward") {
  History h;
  std::vector<Event> events;
  SubscribeOptions options;
  options.branch = "main";
  auto subscription =
      subscribe(h.t.repo, options, [&events](const Event& event) { events.push_back(event); });
  REQUIRE(subscription.is_ok());
  auto result = squash(h.t.repo, before(3500));
  REQUIRE(result.is_ok());
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == EventKind::kBranchMoved);
  CHECK_FALSE(events[0].fast_forward);
  CHECK(events[0].old_head == h.c5);
  CHECK(events[0].new_head == result->new_head);
}

TEST_CASE(
    "concurrent commits during squashes: every commit stays, a squash that lost the race "
    "changes nothing") {
  History h;
  TestRepo& t = h.t;
  std::atomic<bool> done{false};
  std::atomic<int> failed{0};
  std::thread writer([&] {  // no Catch2 assertions off the main thread
    for (int i = 0; i < 40; ++i) {
      auto tx = t.repo.begin();
      if (!tx.is_ok() || !tx->set("/w/" + std::to_string(i), i).is_ok()) ++failed;
      CommitOptions options;
      options.author = who("wes", kBase + 7000 + i);
      if (!tx.is_ok() || !tx->commit(options).is_ok()) ++failed;
    }
    done = true;
  });
  int landed = 0, moved = 0;
  int64_t offset = 1500;
  while (!done || landed == 0) {
    auto result = squash(t.repo, before(offset));
    if (result.is_ok()) {
      landed += result->squashed ? 1 : 0;
      offset = std::min<int64_t>(offset + 500, 5500);
    } else {
      CHECK(result.status().code() == Code::kModified);
      ++moved;
    }
  }
  writer.join();
  CHECK(failed == 0);
  INFO("landed " << landed << ", refused " << moved);
  for (int i = 0; i < 40; ++i) CHECK(t.repo.get("/w/" + std::to_string(i)).value() == i);
  CHECK(t.repo.get("/e").value() == "four");
  auto archives = list_archives(t.repo, "main");
  REQUIRE(archives.is_ok());
  CHECK(archives->size() == static_cast<size_t>(landed));
  CHECK(t.fsck());
}

namespace {
struct Keys {
  TempDir dir;
  std::string ada_path, allowed;
  std::shared_ptr<const SshSigningKey> ada;
  Keys() {
    ada_path = dir.str() + "/ada";
    REQUIRE(run_command("ssh-keygen -q -t ed25519 -N '' -f " + shell_quote(ada_path)).exit_code ==
            0);
    auto key = SshSigningKey::load_file(ada_path);
    REQUIRE(key.is_ok());
    ada = *key;
    allowed = dir.str() + "/allowed_signers";
    std::ofstream(allowed) << "ada@example.org " << ada->public_key().openssh() << "\n";
  }
};
}  // namespace

TEST_CASE("a branch that requires signatures: refused unless forced; forced and keyed, signed") {
  History h;
  TestRepo& t = h.t;
  Keys keys;
  auto dir = t.repo.git_dir();
  REQUIRE(dir->config_set("gpg.ssh.allowedSignersFile", keys.allowed).is_ok());
  REQUIRE(dir->config_set("gitstate.branch.main.requireSignatures", "true").is_ok());
  Repository signing = t.repo.signing_with(keys.ada);

  Status refused = squash(signing, before(3500)).status();
  CHECK(refused.code() == Code::kPermissionDenied);
  CHECK(refused.message().find("requires signed commits") != std::string::npos);
  unchanged(t, h.c5);

  // Forced without a key: the policy refuses the unsigned new commits.
  SquashOptions forced = before(3500);
  forced.force = true;
  refused = squash(t.repo.signing_with(nullptr), forced).status();
  CHECK(refused.code() == Code::kPermissionDenied);
  CHECK(refused.message().find("is not signed") != std::string::npos);
  unchanged(t, h.c5);

  // Forced with a key allowed for the squashing identity: every new commit is signed.
  forced.identity = who("ada", 0);
  auto result = squash(signing, forced);
  INFO(result.status().to_string());
  REQUIRE(result.is_ok());
  REQUIRE(result->squashed);
  REQUIRE(t.repo.objects().flush(true).is_ok());
  auto signers = AllowedSigners::load_file(keys.allowed);
  REQUIRE(signers.is_ok());
  std::vector<Oid> line = first_parents(t.repo, "main");
  REQUIRE(line.size() == 3);
  for (const Oid& id : line) {
    auto object = t.repo.objects().read(id);
    REQUIRE(object.is_ok());
    CHECK(check_commit_signature(object->data, &*signers).status == SignatureStatus::kGood);
    auto verified = run_command(
        git(t, "-c gpg.format=ssh -c gpg.ssh.allowedSignersFile=" + shell_quote(keys.allowed) +
                   " verify-commit " + id.hex() + " 2>&1"));
    INFO(verified.output);
    CHECK(verified.exit_code == 0);
  }
  // The re-created c4 keeps its author and committer time; ada signs as committer.
  CommitData c4 = raw_commit(t.repo, line[1]);
  CHECK(c4.author == raw_commit(t.repo, h.c4).author);
  CHECK(c4.committer.email == "ada@example.org");
  CHECK(c4.committer.time == kBase + 4000);
  CHECK(t.repo.state_tree().value() == raw_commit(t.repo, h.c5).tree);
  CHECK(t.fsck());
}
