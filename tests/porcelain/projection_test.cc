// Projected history: deterministic, incremental, and free of secrets.
#include "gitstate/projection.h"
#include "gitstate/events.h"
#include "gitstate/perspective.h"
#include "gitstate/plumbing/codec.h"
#include "porcelain_test_util.h"

using namespace gitstate;
using gitstate::test::TempDir;
using nlohmann::json;

namespace {

Signature at(int64_t time) { return Signature{"Ada", "ada@example.org", time, 0}; }

// A repository whose every commit has a fixed time, so that a history can
// be replayed elsewhere with the same ids.
struct Replay {
  TempDir dir;
  Repository repo;

  Replay() : repo(init(dir)) {
    REQUIRE(define_perspective(repo, PerspectiveDef{"pub", {"/public/**"}, {"/**/password"}, {}})
                .is_ok());
  }
  static Repository init(const TempDir& dir) {
    InitOptions options;
    options.author = at(999);
    auto repo = Repository::init(dir.str() + "/state.git", options);
    REQUIRE(repo.is_ok());
    return *repo;
  }

  Oid commit(const std::string& pointer, const json& value, int64_t time) {
    auto tx = repo.begin();
    REQUIRE(tx.is_ok());
    REQUIRE(tx->set(pointer, value).is_ok());
    CommitOptions options;
    options.author = at(time);
    auto outcome = tx->commit(options);
    REQUIRE(outcome.is_ok());
    return outcome->commit;
  }
  // Two visible commits and a secret-only one.
  void first_half() {
    commit("/public/a", 1, 1000);
    secret_ids.push_back(commit("/secret", "SECRET-1", 1001));
    commit("/public/b", {{"x", 1}, {"password", "SECRET-2"}}, 1002);
  }
  void second_half() {
    secret_ids.push_back(commit("/secret", "SECRET-3", 1003));
    commit("/public/a", 2, 1004);
  }

  Oid project(const std::string& target, bool mark_hidden = false) {
    auto result = project_history(repo, ProjectOptions{"pub", "main", target, mark_hidden});
    INFO(result.status().to_string());
    REQUIRE(result.is_ok());
    return result->head;
  }

  CommitInfo info(const Oid& id) {
    auto info = read_commit_info(repo, id);
    REQUIRE(info.is_ok());
    return *info;
  }

  // The projected history from `head`, checking that no secret value or
  // secret-only commit id is in any state, message or trailer.
  std::vector<Oid> clean_history(const Oid& head) {
    std::vector<Oid> ids;
    for (std::optional<Oid> id = head; id;) {
      CommitInfo commit = info(*id);
      ids.push_back(*id);
      auto state = read_path(repo.objects(), commit.tree, Path{});
      REQUIRE(state.is_ok());
      CHECK(state->dump().find("SECRET") == std::string::npos);
      for (const Oid& secret : secret_ids) {
        CHECK(commit.message.find(secret.hex()) == std::string::npos);
        for (const auto& trailer : commit.trailers)
          CHECK(trailer.second.find(secret.hex()) == std::string::npos);
      }
      id = commit.parents.empty() ? std::nullopt : std::optional<Oid>(commit.parents.front());
    }
    return ids;
  }

  std::vector<Oid> secret_ids;
};

}  // namespace

TEST_CASE("projection is deterministic and skips secret-only commits", "[projection]") {
  Replay t;
  t.first_half();
  t.second_half();
  Oid one = t.project("proj1");
  CHECK(t.project("proj2") == one);
  CHECK(t.project("proj1") == one);  // nothing new: unchanged

  CHECK(t.clean_history(one).size() == 4);  // the root and three visible commits
  CommitInfo head = t.info(one);
  CHECK(head.author == at(1004));
  CHECK(head.message == "set /public/a");
  auto state = read_path(t.repo.objects(), head.tree, Path{});
  REQUIRE(state.is_ok());
  CHECK(*state == json{{"public", {{"a", 2}, {"b", {{"x", 1}}}}}});

  // A fresh repository given the same history, projected in two runs.
  Replay other;
  other.first_half();
  Oid partial = other.project("proj");
  CHECK(partial != one);
  other.second_half();
  CHECK(other.project("proj") == one);

  // Hidden markers: the excluded object /public/b/password is a leaf, so it
  // is dropped; the marked projection is its own deterministic history.
  Oid marked = t.project("marked", true);
  CHECK(other.project("marked", true) == marked);
  t.clean_history(marked);
}

TEST_CASE("projection refuses targets that are not projections", "[projection]") {
  Replay t;
  t.first_half();
  REQUIRE(create_branch(t.repo, "other", "main").is_ok());
  ProjectOptions options{"pub", "main", "other", false};
  auto refused = project_history(t.repo, options);
  CHECK(refused.status().code() == Code::kConflict);
  Oid marked = t.project("marked", true);
  options.target = "marked";
  CHECK(project_history(t.repo, options).status().code() == Code::kConflict);
  CHECK(*t.repo.resolve("marked") == marked);
  options.target = "main";
  CHECK(project_history(t.repo, options).status().code() == Code::kInvalid);
  options.target = "x";
  options.perspective = "nope";
  CHECK(project_history(t.repo, options).status().code() == Code::kNotFound);
  auto fsck = gitstate::test::run_command(
      "git --git-dir=" + gitstate::test::shell_quote(t.dir.str() + "/state.git") +
      " fsck --strict --full 2>&1");
  INFO(fsck.output);
  CHECK(fsck.exit_code == 0);
}

TEST_CASE("projected commits are announced on the target branch, in order", "[projection]") {
  Replay r;
  r.first_half();
  std::vector<Event> seen;
  SubscribeOptions options;
  options.branch = "public";
  auto subscription =
      subscribe(r.repo, options, [&](const Event& event) { seen.push_back(event); });
  REQUIRE(subscription.is_ok());

  Oid head = r.project("public");
  REQUIRE(seen.size() == 2);  // the secret-only commit is not projected
  CHECK(seen[0].kind == EventKind::kCommit);
  CHECK(seen[1].kind == EventKind::kCommit);
  CHECK(seen[0].sequence < seen[1].sequence);
  CHECK(seen[1].commit.id == head);
  CHECK(seen[1].commit.parents == std::vector<Oid>{seen[0].commit.id});
  CHECK(seen[0].patch == json::parse(R"([{"op":"add","path":"/public","value":{"a":1}}])"));
  CHECK(seen[1].patch.dump().find("SECRET") == std::string::npos);

  r.second_half();
  seen.clear();
  Oid next = r.project("public");
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].commit.id == next);
  CHECK(seen[0].old_head == head);
}
