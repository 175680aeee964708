#include <catch2/catch.hpp>

#include "gitstate/merge.h"
#include "porcelain_test_util.h"

using namespace gitstate;
using gitstate::test::TestRepo;

TEST_CASE("cherry-pick applies one commit's change to another branch", "[merge]") {
  TestRepo r;
  r.set("/a", 1);
  REQUIRE(create_branch(r.repo, "feature", "main").is_ok());
  r.set("/b", "feature only", "", "feature");
  Oid picked = r.set("/c", {{"x", true}}, "add c", "feature");
  Oid main_head = r.set("/m", nullptr);

  auto outcome = cherry_pick(r.repo, "feature");
  INFO(outcome.status().to_string());
  REQUIRE(outcome.is_ok());
  CHECK(outcome->kind == MergeKind::kMerged);
  CommitInfo made = r.info(outcome->head);
  CHECK(made.parents == std::vector<Oid>{main_head});
  CHECK(made.message == "add c\n\n(cherry picked from commit " + picked.hex() + ")");
  CHECK(r.get("") == nlohmann::json{{"a", 1}, {"c", {{"x", true}}}, {"m", nullptr}});
  CHECK(r.fsck());
}

TEST_CASE("revert undoes one commit's change, keeping later ones", "[merge]") {
  TestRepo r;
  r.set("/a", 1);
  Oid reverted = r.set("/b", {1, 2}, "add b");
  r.set("/c", "later");

  auto outcome = revert(r.repo, reverted.hex().substr(0, 10));
  INFO(outcome.status().to_string());
  REQUIRE(outcome.is_ok());
  CHECK(outcome->kind == MergeKind::kMerged);
  CHECK(r.info(outcome->head).message ==
        "Revert \"add b\"\n\nThis reverts commit " + reverted.hex() + ".");
  CHECK(r.get("") == nlohmann::json{{"a", 1}, {"c", "later"}});
  CHECK(r.fsck());
}

TEST_CASE("a conflicting revert stops like a merge and is continued", "[merge]") {
  TestRepo r;
  r.set("/v", 1);
  Oid reverted = r.set("/v", 2, "two");
  Oid head = r.set("/v", 3, "three");

  auto stopped = revert(r.repo, reverted.hex());
  REQUIRE(stopped.is_ok());
  CHECK(stopped->kind == MergeKind::kConflicted);
  REQUIRE(stopped->conflicts.size() == 1);
  CHECK(stopped->conflicts[0].base == nlohmann::json(2));
  CHECK(stopped->conflicts[0].ours == nlohmann::json(3));
  CHECK(stopped->conflicts[0].theirs == nlohmann::json(1));
  CHECK(cherry_pick(r.repo, "main~1").status().code() == Code::kConflict);

  auto later = Repository::open(r.path());
  REQUIRE(later.is_ok());
  CHECK(stopped_merge(*later)->operation == "revert");
  REQUIRE(resolve_conflict(*later, "", "/v", Settle::kTheirs).is_ok());
  auto done = continue_merge(*later);
  REQUIRE(done.is_ok());
  CHECK(r.info(*done).parents == std::vector<Oid>{head});
  CHECK(r.get("/v") == 1);
  CHECK(r.fsck());
}
