#include "porcelain/porcelain_test_util.h"

#include <sstream>

using gitstate::Code;
using gitstate::Oid;
using gitstate::test::TestRepo;
using nlohmann::json;

TEST_CASE("import makes one commit per line with its metadata", "[batch]") {
  TestRepo t;
  std::istringstream in(
      R"({"patch":[{"op":"add","path":"/a","value":1}],"message":"first","author":"Ada <ada@x.org>","tags":["t1"],"time":1700000000})"
      "\n\n"
      R"({"patch":[{"op":"replace","path":"/a","value":2},{"op":"add","path":"/b","value":[1]}]})"
      "\n"
      R"({"merge_patch":{"b":null,"c":{"d":true}},"message":"merge","time":1700000100})"
      "\n");
  auto imported = gitstate::import_json_lines(t.repo, in);
  INFO(imported.status().to_string());
  REQUIRE(imported.is_ok());
  CHECK(imported->commits == 3);
  CHECK(imported->head == *t.repo.resolve());
  CHECK(t.get("") == json::parse(R"({"a":2,"c":{"d":true}})"));
  auto entries = gitstate::log(t.repo);
  REQUIRE(entries->size() == 4);
  CHECK((*entries)[2].message == "first");
  CHECK((*entries)[2].author.name == "Ada");
  CHECK((*entries)[2].author.time == 1700000000);
  CHECK((*entries)[2].tags == std::vector<std::string>{"t1"});
  CHECK((*entries)[0].committer.time == 1700000100);
  CHECK(t.fsck());
}

TEST_CASE("a bad import line rejects the whole import, naming the line", "[batch]") {
  TestRepo t;
  Oid head = *t.repo.resolve();
  const std::string good = R"({"patch":[{"op":"add","path":"/a","value":1}]})";
  struct Case {
    std::string line;
    Code code;
  };
  for (const Case& c :
       {Case{"{not json", Code::kInvalid},
        Case{R"({"patch":[{"op":"test","path":"/a","value":2}]})", Code::kConflict},
        Case{R"({"patch":[{"op":"remove","path":"/zz"}]})", Code::kNotFound},
        Case{R"({"patch":[],"author":"nobody"})", Code::kInvalid},
        Case{R"({"patch":[],"time":"now"})", Code::kInvalid},
        Case{R"({"patch":[],"mesage":"typo"})", Code::kInvalid},
        Case{R"({"message":"no patch"})", Code::kInvalid}, Case{R"([1,2])", Code::kInvalid}}) {
    INFO(c.line);
    std::istringstream in(good + "\n" + good + "\n" + c.line + "\n" + good + "\n");
    auto imported = gitstate::import_json_lines(t.repo, in);
    CHECK(imported.status().code() == c.code);
    CHECK(imported.status().message().rfind("line 3: ", 0) == 0);
    CHECK(*t.repo.resolve() == head);
  }
  std::istringstream empty("\n  \n");
  auto nothing = gitstate::import_json_lines(t.repo, empty);
  REQUIRE(nothing.is_ok());
  CHECK(nothing->commits == 0);
  CHECK(nothing->head == head);
}

TEST_CASE("a batch lands all its commits at once, or rebases, or conflicts", "[batch]") {
  TestRepo t;
  auto batch = gitstate::Batch::start(t.repo);
  REQUIRE(batch.is_ok());
  for (int i = 0; i < 5; ++i) {
    auto tx = batch->begin();
    REQUIRE(tx.is_ok());
    REQUIRE(tx->set("/batch/k" + std::to_string(i), i).is_ok());
    REQUIRE(tx->commit().is_ok());
  }
  CHECK(batch->size() == 5);
  CHECK(t.repo.get("/batch").status().code() == Code::kNotFound);  // nothing visible yet

  auto stale = batch->begin();
  auto current = batch->begin();
  REQUIRE(current->set("/batch/k5", 5).is_ok());
  REQUIRE(current->commit().is_ok());
  REQUIRE(stale->set("/batch/k6", 6).is_ok());
  CHECK(stale->commit().status().code() == Code::kInvalid);

  t.set("/other", 1);  // the branch moves under the batch, on a disjoint path
  auto head = batch->finish();
  INFO(head.status().to_string());
  REQUIRE(head.is_ok());
  CHECK(t.get("/other") == 1);
  CHECK(t.get("/batch/k5") == 5);
  CHECK(gitstate::log(t.repo)->size() == 8);
  CHECK(batch->finish().status().code() == Code::kInvalid);

  auto colliding = gitstate::Batch::start(t.repo);
  auto tx = colliding->begin();
  REQUIRE(tx->set("/other", 2).is_ok());
  REQUIRE(tx->commit().is_ok());
  t.set("/other", 3);
  CHECK(colliding->finish().status().code() == Code::kConflict);
  CHECK(t.get("/other") == 3);
  CHECK(t.fsck());
}
