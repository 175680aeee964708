#include "porcelain/porcelain_test_util.h"

using gitstate::Code;
using gitstate::Oid;
using gitstate::test::TestRepo;

TEST_CASE("branches: create, list, fast-forward, delete", "[branches]") {
  TestRepo t;
  Oid root = *t.repo.resolve();
  auto created = gitstate::create_branch(t.repo, "exp");
  REQUIRE(created.is_ok());
  CHECK(*created == root);
  CHECK(gitstate::create_branch(t.repo, "exp").status().code() == Code::kModified);
  CHECK(gitstate::create_branch(t.repo, "bad..name").status().code() == Code::kInvalid);
  CHECK(gitstate::create_branch(t.repo, "x", "nosuch").status().code() == Code::kNotFound);

  Oid ahead = t.set("/a", 1, "", "exp");
  CHECK(t.get("/a", "exp") == 1);
  CHECK(t.repo.get("/a").status().code() == Code::kNotFound);

  auto branches = gitstate::list_branches(t.repo);
  REQUIRE(branches.is_ok());
  REQUIRE(branches->size() == 2);
  CHECK((*branches)[0].name == "exp");
  CHECK((*branches)[0].target == ahead);
  CHECK((*branches)[1].name == "main");

  auto forward = gitstate::fast_forward(t.repo, "main", "exp");
  REQUIRE(forward.is_ok());
  CHECK(*t.repo.resolve("main") == ahead);
  CHECK(gitstate::fast_forward(t.repo, "main", "exp").is_ok());  // already there
  t.set("/b", 1);
  t.set("/c", 1, "", "exp");
  auto diverged = gitstate::fast_forward(t.repo, "main", "exp");
  CHECK(diverged.status().code() == Code::kNonFastForward);
  CHECK(gitstate::fast_forward(t.repo, "exp", "main~1").status().code() == Code::kNonFastForward);
  CHECK(gitstate::fast_forward(t.repo, "nosuch", "main").status().code() == Code::kNotFound);

  CHECK(gitstate::delete_branch(t.repo, "main").code() == Code::kInvalid);
  CHECK(gitstate::delete_branch(t.repo, "exp", root).code() == Code::kModified);
  CHECK(gitstate::delete_branch(t.repo, "nosuch").code() == Code::kNotFound);
  REQUIRE(gitstate::delete_branch(t.repo, "exp").is_ok());
  CHECK(gitstate::list_branches(t.repo)->size() == 1);
  CHECK(t.fsck());
}

TEST_CASE("tags: create, list, delete; annotated tags peel", "[branches]") {
  TestRepo t;
  Oid one = t.set("/a", 1);
  REQUIRE(gitstate::create_tag(t.repo, "v1").is_ok());
  CHECK(gitstate::create_tag(t.repo, "v1", "main").status().code() == Code::kModified);
  t.set("/a", 2);
  CHECK(t.get("/a", "v1") == 1);
  std::string git = "git --git-dir=" + gitstate::test::shell_quote(t.path());
  REQUIRE(gitstate::test::run_command("GIT_COMMITTER_NAME=x GIT_COMMITTER_EMAIL=x@y " + git +
                                      " tag -a -m annotated v0 " + one.hex())
              .exit_code == 0);
  CHECK(*t.repo.resolve("v0") == one);
  auto tags = gitstate::list_tags(t.repo);
  REQUIRE(tags.is_ok());
  REQUIRE(tags->size() == 2);
  CHECK((*tags)[0].name == "v0");
  CHECK((*tags)[0].target == one);
  REQUIRE(gitstate::delete_tag(t.repo, "v1").is_ok());
  CHECK(gitstate::delete_tag(t.repo, "v1").code() == Code::kNotFound);
  CHECK(t.repo.resolve("v1").status().code() == Code::kNotFound);
}
