// The sync API (remote.h) over a plain path: the outcome structs say what
// moved, with old and new ids, which is what callers publish.
#include <catch2/catch.hpp>

#include "gitstate/events.h"
#include "gitstate/remote.h"
#include "porcelain/porcelain_test_util.h"

using gitstate::Oid;
using gitstate::test::TempDir;
using gitstate::test::TestRepo;

TEST_CASE("fetch, pull and push outcomes name every ref they moved", "[remote]") {
  TestRepo a;
  TempDir server_dir;
  std::string server = server_dir.str() + "/server.git";
  REQUIRE(gitstate::test::run_command("git init -q --bare " + server).exit_code == 0);
  Oid first = a.set("/v", 1);
  REQUIRE(gitstate::add_remote(a.repo, "origin", server).is_ok());
  CHECK(gitstate::add_remote(a.repo, "origin", server).code() == gitstate::Code::kModified);
  CHECK(gitstate::add_remote(a.repo, "bad name", server).code() == gitstate::Code::kInvalid);

  auto pushed = gitstate::push(a.repo, "origin");
  REQUIRE(pushed.is_ok());
  REQUIRE(pushed->pushed.size() == 1);
  CHECK(pushed->pushed[0].remote_ref == "refs/heads/main");
  CHECK_FALSE(pushed->pushed[0].old_value);
  CHECK(pushed->pushed[0].new_value == first);
  REQUIRE(pushed->tracking.size() == 1);
  CHECK(pushed->tracking[0].ref == "refs/remotes/origin/main");

  TempDir clone_dir;
  auto cloned = gitstate::clone(server, clone_dir.str() + "/b.git");
  REQUIRE(cloned.is_ok());
  gitstate::Repository b = cloned->repo;
  CHECK(cloned->head == first);
  CHECK(cloned->branch == "main");
  CHECK(b.get("/v").value() == 1);

  Oid second = a.set("/v", 2);
  REQUIRE(gitstate::push(a.repo, "origin").is_ok());
  auto fetched = gitstate::fetch(b, "origin");
  REQUIRE(fetched.is_ok());
  REQUIRE(fetched->moved.size() == 1);
  CHECK(fetched->moved[0].ref == "refs/remotes/origin/main");
  CHECK(fetched->moved[0].old_value == first);
  CHECK(fetched->moved[0].new_value == second);

  auto pulled = gitstate::pull(b, "origin");
  REQUIRE(pulled.is_ok());
  CHECK(pulled->merge.kind == gitstate::MergeKind::kFastForward);
  CHECK(pulled->old_head == first);
  CHECK(pulled->merge.head == second);
  CHECK(pulled->fetched.moved.empty());
  CHECK(pulled->tracking_ref == "refs/remotes/origin/main");
  CHECK(pulled->perspectives.result == gitstate::PerspectivesSync::kNone);

  REQUIRE(gitstate::remove_remote(a.repo, "origin").is_ok());
  CHECK(gitstate::list_remotes(a.repo)->empty());
  CHECK(gitstate::fetch(a.repo, "origin").status().code() == gitstate::Code::kNotFound);
}

TEST_CASE("pull and push announce kSyncFinished after the moves they made", "[remote]") {
  using gitstate::Event;
  using gitstate::EventKind;
  TestRepo a;
  TempDir server_dir;
  std::string server = server_dir.str() + "/server.git";
  REQUIRE(gitstate::test::run_command("git init -q --bare " + server).exit_code == 0);
  Oid first = a.set("/v", 1);
  REQUIRE(gitstate::add_remote(a.repo, "origin", server).is_ok());
  std::vector<Event> heard_a;
  auto on_a = gitstate::subscribe(a.repo, {}, [&](const Event& e) { heard_a.push_back(e); });
  REQUIRE(on_a.is_ok());
  REQUIRE(gitstate::push(a.repo, "origin").is_ok());
  REQUIRE(heard_a.size() == 1);
  CHECK(heard_a[0].kind == EventKind::kSyncFinished);
  CHECK(heard_a[0].operation == "push");
  CHECK(heard_a[0].peer == "origin");
  CHECK_FALSE(heard_a[0].old_head);  // created on the remote
  CHECK(heard_a[0].new_head == first);

  TempDir clone_dir;
  auto cloned = gitstate::clone(server, clone_dir.str() + "/b.git");
  REQUIRE(cloned.is_ok());
  gitstate::Repository b = cloned->repo;
  std::vector<Event> heard_b;
  auto on_b = gitstate::subscribe(b, {}, [&](const Event& e) { heard_b.push_back(e); });
  REQUIRE(on_b.is_ok());
  Oid second = a.set("/v", 2);
  REQUIRE(gitstate::push(a.repo, "origin").is_ok());
  REQUIRE(gitstate::pull(b, "origin").is_ok());
  // The merge fast-forwards (kBranchMoved, kMergeFinished), then the pull is announced.
  REQUIRE(heard_b.size() == 3);
  CHECK(heard_b[0].kind == EventKind::kBranchMoved);
  CHECK(heard_b[1].kind == EventKind::kMergeFinished);
  CHECK(heard_b[2].kind == EventKind::kSyncFinished);
  CHECK(heard_b[2].operation == "pull");
  CHECK(heard_b[2].peer == "origin");
  CHECK(heard_b[2].old_head == first);
  CHECK(heard_b[2].new_head == second);
  CHECK(heard_b[1].sequence < heard_b[2].sequence);
}

TEST_CASE("push sends nothing a branch requiring signatures would refuse", "[remote]") {
  TestRepo a;
  TempDir server_dir;
  std::string server = server_dir.str() + "/server.git";
  REQUIRE(gitstate::test::run_command("git init -q --bare " + server).exit_code == 0);
  a.set("/v", 1);  // unsigned, committed before the policy
  REQUIRE(gitstate::add_remote(a.repo, "origin", server).is_ok());
  REQUIRE(a.repo.git_dir()->config_set("gitstate.branch.main.requireSignatures", "true").is_ok());

  auto pushed = gitstate::push(a.repo, "origin");
  CHECK(pushed.status().code() == gitstate::Code::kPermissionDenied);
  CHECK(pushed.status().message().find("requires signed commits") != std::string::npos);
  auto heads = gitstate::test::run_command("git --git-dir=" + server + " for-each-ref");
  CHECK(heads.output.empty());  // nothing reached the server
}
