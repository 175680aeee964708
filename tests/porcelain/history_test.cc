#include "porcelain/porcelain_test_util.h"

#include <algorithm>
#include <map>

using gitstate::Code;
using gitstate::CommitOptions;
using gitstate::LogOptions;
using gitstate::Oid;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
Oid commit_as(TestRepo& t, const std::string& pointer, const json& value, const std::string& who,
              int64_t time, std::vector<std::string> tags = {}) {
  auto tx = t.repo.begin();
  REQUIRE(tx->set(pointer, value).is_ok());
  CommitOptions options;
  options.author = *gitstate::parse_identity(who, time);
  options.tags = std::move(tags);
  auto outcome = tx->commit(options);
  REQUIRE(outcome.is_ok());
  return outcome->commit;
}

std::vector<Oid> ids(const gitstate::Result<std::vector<gitstate::CommitInfo>>& entries) {
  INFO(entries.status().to_string());
  REQUIRE(entries.is_ok());
  std::vector<Oid> out;
  for (const auto& entry : *entries) out.push_back(entry.id);
  return out;
}
}  // namespace

TEST_CASE("log lists newest first and filters by path, author, tag and time", "[history]") {
  TestRepo t;
  Oid root = *t.repo.resolve();
  Oid c1 = commit_as(t, "/config/db/port", 1, "Ada <ada@example.com>", 2000000000, {"infra"});
  Oid c2 =
      commit_as(t, "/config/ui/theme", "dark", "Bob <bob@example.org>", 2000000100, {"ui-change"});
  Oid c3 = commit_as(t, "/list", json::array({1, 2}), "Ada <ada@example.com>", 2000000200);
  Oid c4 = commit_as(t, "/list/1", 3, "Bob <bob@example.org>", 2000000300, {"ui-change", "infra"});

  CHECK(ids(gitstate::log(t.repo)) == std::vector<Oid>{c4, c3, c2, c1, root});
  LogOptions options;
  options.path = "/config";
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c2, c1});
  options.path = "/config/db";
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c1});
  options.path = "/list/1";
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c4, c3});
  options.path = "/list/0";
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c3});
  options = {};
  options.author = "example.org";
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c4, c2});
  options.author = "Ada";
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c3, c1});
  options = {};
  options.tag = "infra";
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c4, c1});
  options = {};
  options.since = 2000000100;
  options.until = 2000000200;
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c3, c2});
  options = {};
  options.rev = "main~2";
  options.max_count = 1;
  CHECK(ids(gitstate::log(t.repo, options)) == std::vector<Oid>{c2});

  auto entries = gitstate::log(t.repo);
  CHECK((*entries)[0].tags == std::vector<std::string>{"ui-change", "infra"});
  CHECK((*entries)[0].message == "set /list/1");
  CHECK((*entries)[0].parents == std::vector<Oid>{c3});

  options = {};
  options.path = "nope";
  CHECK(gitstate::log(t.repo, options).status().code() == Code::kInvalid);
  options = {};
  options.rev = "nosuch";
  CHECK(gitstate::log(t.repo, options).status().code() == Code::kNotFound);
}

TEST_CASE("log never shows a parent before its children", "[history]") {
  TestRepo t;
  Oid base = commit_as(t, "/a", 1, "A <a@x>", 1000);
  REQUIRE(gitstate::create_branch(t.repo, "side").is_ok());
  // The side branch has older timestamps than its parent on main: skewed clocks.
  Oid main1 = commit_as(t, "/a", 2, "A <a@x>", 3000);
  auto tx = t.repo.begin("side");
  REQUIRE(tx->set("/b", 1).is_ok());
  CommitOptions old;
  old.author = *gitstate::parse_identity("B <b@x>", 500);
  Oid side1 = tx->commit(old)->commit;
  std::string git = "git --git-dir=" + gitstate::test::shell_quote(t.path());
  auto merge = gitstate::test::run_command("GIT_COMMITTER_DATE='@4000 +0000' " + git +
                                           " commit-tree " + main1.hex() + "^{tree} -p " +
                                           main1.hex() + " -p " + side1.hex() + " -m merge");
  REQUIRE(merge.exit_code == 0);
  Oid merge_id = *Oid::from_hex(merge.output.substr(0, 40));
  LogOptions options;
  options.rev = merge_id.hex();
  auto order = ids(gitstate::log(t.repo, options));
  REQUIRE(order.size() == 5);
  CHECK(order[0] == merge_id);
  auto position = [&](const Oid& id) {
    return std::find(order.begin(), order.end(), id) - order.begin();
  };
  CHECK(position(side1) < position(base));
  CHECK(position(main1) < position(base));
  options.first_parent = true;
  CHECK(ids(gitstate::log(t.repo, options)).size() == 4);
}

TEST_CASE("show gives metadata and the delta; diff compares any two revisions", "[history]") {
  TestRepo t;
  t.set("", json::parse(R"({"a":{"b":1,"c":[1,2]},"d":"x"})"));
  t.set("/a/c/1", 5);
  auto shown = gitstate::show(t.repo, "main");
  REQUIRE(shown.is_ok());
  CHECK(shown->patch == json::parse(R"([{"op":"replace","path":"/a/c","value":[1,5]}])"));
  auto first = gitstate::show(t.repo, "main~2");
  REQUIRE(first.is_ok());
  CHECK(first->patch == json::array());
  CHECK(first->commit.parents.empty());

  auto patch = gitstate::diff(t.repo, "main~2", "main");
  REQUIRE(patch.is_ok());
  CHECK(json::object().patch(*patch) == t.get(""));
  auto under = gitstate::diff(t.repo, "main~1", "main", "/a/c");
  REQUIRE(under.is_ok());
  CHECK(under->size() == 1);
  auto inside = gitstate::diff(t.repo, "main~1", "main", "/a/c/1");
  REQUIRE(inside.is_ok());
  CHECK(*inside == json::parse(R"([{"op":"replace","path":"/a/c/1","value":5}])"));
  auto unchanged = gitstate::diff(t.repo, "main~1", "main", "/d");
  CHECK(*unchanged == json::array());
  CHECK(gitstate::diff(t.repo, "main", "nosuch").status().code() == Code::kNotFound);
  CHECK(gitstate::diff(t.repo, "main", "main", "bad").status().code() == Code::kInvalid);
}

TEST_CASE("blame names the last commit that changed each leaf", "[history]") {
  TestRepo t;
  Oid c1 = t.set("", json::parse(R"({"a":{"b":1,"c":2,"e":{}},"list":[1,2],"z":0})"));
  Oid c2 = t.set("/a/b", 10);
  Oid c3 = t.set("/list/0", 7);
  t.set("/z", 1);
  Oid c5 = t.set("/z", 0);
  auto entries = gitstate::blame(t.repo, "/");
  CHECK(entries.status().code() == Code::kNotFound);  // "/" is the member named ""
  entries = gitstate::blame(t.repo, "");
  REQUIRE(entries.is_ok());
  std::map<std::string, Oid> by_path;
  for (const auto& entry : *entries) by_path[entry.path] = entry.commit;
  CHECK(by_path == std::map<std::string, Oid>{
                       {"/a/b", c2}, {"/a/c", c1}, {"/a/e", c1}, {"/list", c3}, {"/z", c5}});
  auto leaf = gitstate::blame(t.repo, "/list/1");
  REQUIRE(leaf.is_ok());
  REQUIRE(leaf->size() == 1);
  CHECK(leaf->front().commit == c1);
  auto at = gitstate::blame(t.repo, "/a", "main~3");
  REQUIRE(at.is_ok());
  CHECK(at->front().path == "/a/b");
  CHECK(at->front().commit == c2);
  CHECK(gitstate::blame(t.repo, "/nothing").status().code() == Code::kNotFound);
}
