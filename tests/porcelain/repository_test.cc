#include "porcelain/porcelain_test_util.h"

#include <filesystem>
#include <fstream>

using gitstate::Code;
using gitstate::Repository;
using gitstate::test::TempDir;
using gitstate::test::TestRepo;
using nlohmann::json;

TEST_CASE("a new repository has branch main with the empty state", "[repository]") {
  TestRepo t;
  REQUIRE(t.repo.current_branch().is_ok());
  CHECK(*t.repo.current_branch() == "main");
  CHECK(t.get("") == json::object());
  auto head = t.repo.resolve("main");
  REQUIRE(head.is_ok());
  auto info = gitstate::read_commit_info(t.repo, *head);
  REQUIRE(info.is_ok());
  CHECK(info->parents.empty());
  CHECK(info->tree == gitstate::empty_tree_id());
  CHECK(info->message == "Initialize state");
  CHECK(t.fsck());
}

TEST_CASE("open finds what init wrote; errors name the problem", "[repository]") {
  TestRepo t;
  t.set("/a", 1);
  auto reopened = Repository::open(t.path());
  REQUIRE(reopened.is_ok());
  CHECK(*reopened->get("/a") == json(1));

  TempDir empty;
  auto missing = Repository::open(empty.str() + "/nothing");
  CHECK(missing.status().code() == Code::kNotFound);

  auto again = Repository::init(t.path());
  CHECK(again.status().code() == Code::kInvalid);

  std::ofstream(empty.str() + "/file") << "x";
  auto over_file = Repository::init(empty.str());
  CHECK(over_file.status().code() == Code::kInvalid);
}

TEST_CASE("get reads any value at any revision and names what is missing", "[repository]") {
  TestRepo t;
  t.set("/config/db", json{{"host", "db1"}, {"port", 5432}});
  t.set("/config/db/port", 6432);
  t.set("/list", json::array({1, json{{"x", "y"}}, 3}));
  CHECK(t.get("/config/db/port") == 6432);
  CHECK(t.get("/config/db/port", "main~2") == 5432);
  CHECK(t.get("/list/1/x") == "y");
  CHECK(t.get("") == json{{"config", {{"db", {{"host", "db1"}, {"port", 6432}}}}},
                          {"list", json::array({1, json{{"x", "y"}}, 3})}});

  auto missing = t.repo.get("/config/nothing");
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message().find("/config/nothing") != std::string::npos);
  CHECK(t.repo.get("config").status().code() == Code::kInvalid);
  CHECK(t.repo.get("/a", "nosuchbranch").status().code() == Code::kNotFound);
  CHECK(t.repo.get("/list/7").status().code() == Code::kNotFound);
}
