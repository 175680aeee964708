#include "porcelain/porcelain_test_util.h"

#include <map>

using gitstate::Code;
using gitstate::RevisionStep;
using gitstate::test::TestRepo;
using nlohmann::json;

TEST_CASE("parse_revision accepts cli.md's syntax and rejects the rest", "[revision]") {
  auto parsed = gitstate::parse_revision("main~2^2");
  REQUIRE(parsed.is_ok());
  CHECK(parsed->base == "main");
  CHECK(parsed->steps == std::vector<RevisionStep>{{RevisionStep::Kind::kAncestor, 2},
                                                   {RevisionStep::Kind::kParent, 2}});
  CHECK(gitstate::parse_revision("HEAD^^~").value().steps.size() == 3);
  for (const char* bad :
       {"", "~1", "main~x", "main^-1", "a..b", "bad name", "main~99999999999", "x@{1}"}) {
    INFO(bad);
    CHECK(gitstate::parse_revision(bad).status().code() == Code::kInvalid);
  }
  CHECK(gitstate::is_valid_ref_name("feature/x-1"));
  for (const char* bad :
       {"", "/a", "a/", "a//b", ".a", "a/.b", "a.lock", "a..b", "-a", "a b", "a:b", "HEAD", "@"}) {
    INFO(bad);
    CHECK(!gitstate::is_valid_ref_name(bad));
  }
}

TEST_CASE("revisions resolve branches, tags, ids, ancestors and parents", "[revision]") {
  TestRepo t;
  gitstate::Oid root = *t.repo.resolve();
  gitstate::Oid one = t.set("/a", 1);
  gitstate::Oid two = t.set("/a", 2);
  REQUIRE(gitstate::create_tag(t.repo, "v1", "main~1").is_ok());
  REQUIRE(gitstate::create_branch(t.repo, "side", "v1").is_ok());
  gitstate::Oid side = t.set("/b", 1, "", "side");

  // A merge commit, made with stock git: parents two (first) and side.
  std::string git = "git --git-dir=" + gitstate::test::shell_quote(t.path());
  auto merge = gitstate::test::run_command(git + " commit-tree " + side.hex() + "^{tree} -p " +
                                           two.hex() + " -p " + side.hex() + " -m merge");
  REQUIRE(merge.exit_code == 0);
  std::string merge_hex = merge.output.substr(0, 40);
  REQUIRE(
      gitstate::test::run_command(git + " update-ref refs/heads/merged " + merge_hex).exit_code ==
      0);

  CHECK(*t.repo.resolve() == two);
  CHECK(*t.repo.resolve("HEAD") == two);
  CHECK(*t.repo.resolve("main") == two);
  CHECK(*t.repo.resolve("refs/heads/main") == two);
  CHECK(*t.repo.resolve("v1") == one);
  CHECK(*t.repo.resolve("main~") == one);
  CHECK(*t.repo.resolve("main^") == one);
  CHECK(*t.repo.resolve("main~2") == root);
  CHECK(*t.repo.resolve("main^0") == two);
  CHECK(*t.repo.resolve(two.hex()) == two);
  CHECK(*t.repo.resolve(two.hex().substr(0, 10)) == two);
  CHECK(*t.repo.resolve("merged^2") == side);
  CHECK(*t.repo.resolve("merged~1") == two);
  CHECK(*t.repo.resolve("merged^2~1") == one);

  auto past_root = t.repo.resolve("main~3");
  CHECK(past_root.status().code() == Code::kNotFound);
  CHECK(past_root.status().message().find("main~3") != std::string::npos);
  CHECK(t.repo.resolve("main^2").status().code() == Code::kNotFound);
  auto unknown = t.repo.resolve("nosuch");
  CHECK(unknown.status().code() == Code::kNotFound);
  CHECK(unknown.status().message().find("nosuch") != std::string::npos);
  CHECK(t.repo.resolve("0000000000000000000000000000000000000000").status().code() ==
        Code::kNotFound);
  CHECK(t.repo.resolve("main~x").status().code() == Code::kInvalid);
}

TEST_CASE("an ambiguous abbreviated id lists the candidates", "[revision]") {
  TestRepo t;
  std::map<std::string, std::vector<gitstate::Oid>> by_prefix;
  std::string prefix;
  auto batch = gitstate::Batch::start(t.repo);  // many commits, one flush
  REQUIRE(batch.is_ok());
  for (int i = 0; prefix.empty(); ++i) {
    auto tx = batch->begin();
    REQUIRE(tx->set("/n", i).is_ok());
    gitstate::Oid id = tx->commit()->commit;
    auto& same = by_prefix[id.hex().substr(0, 4)];
    same.push_back(id);
    if (same.size() == 2) prefix = id.hex().substr(0, 4);
  }
  REQUIRE(batch->finish().is_ok());
  auto ambiguous = t.repo.resolve(prefix);
  CHECK(ambiguous.status().code() == Code::kInvalid);
  for (const gitstate::Oid& id : by_prefix[prefix])
    CHECK(ambiguous.status().message().find(id.hex()) != std::string::npos);
  CHECK(*t.repo.resolve(by_prefix[prefix][0].hex().substr(0, 12)) == by_prefix[prefix][0]);
}
