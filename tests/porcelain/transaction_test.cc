#include "porcelain/porcelain_test_util.h"

using gitstate::Code;
using gitstate::CommitOptions;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
json state_after_patch(TestRepo& t, const json& patch) {
  auto tx = t.repo.begin();
  REQUIRE(tx.is_ok());
  auto status = tx->patch(patch);
  INFO(status.to_string());
  REQUIRE(status.is_ok());
  REQUIRE(tx->commit().is_ok());
  return t.get("");
}

// Applies `patch` expecting it to fail with `code`; the branch must not move.
std::string rejected_patch(TestRepo& t, const json& patch, Code code) {
  auto head = t.repo.resolve();
  REQUIRE(head.is_ok());
  auto tx = t.repo.begin();
  REQUIRE(tx.is_ok());
  auto status = tx->patch(patch);
  INFO(status.to_string());
  CHECK(status.code() == code);
  auto commit = tx->commit();
  CHECK(commit.status().code() == code);
  CHECK(*t.repo.resolve() == *head);
  return status.message();
}
}  // namespace

TEST_CASE("set creates parents and replaces; remove removes", "[transaction]") {
  TestRepo t;
  t.set("/a/b/c", 1);
  CHECK(t.get("") == json{{"a", {{"b", {{"c", 1}}}}}});
  t.set("/a/b", "scalar");
  CHECK(t.get("") == json{{"a", {{"b", "scalar"}}}});
  t.set("", json{{"root", true}});
  CHECK(t.get("") == json{{"root", true}});

  auto tx = t.repo.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->remove("/root").is_ok());
  REQUIRE(tx->commit().is_ok());
  CHECK(t.get("") == json::object());
}

TEST_CASE("set inside arrays replaces, appends, and creates parent objects", "[transaction]") {
  TestRepo t;
  t.set("/list", json::array({json::object(), 2}));
  t.set("/list/0/x/y", 1);
  t.set("/list/1", 20);
  t.set("/list/-", 3);
  t.set("/list/3", 4);
  CHECK(t.get("/list") == json::parse(R"([{"x":{"y":1}},20,3,4])"));
  auto tx = t.repo.begin();
  REQUIRE(tx.is_ok());
  CHECK(tx->set("/list/9", 1).code() == Code::kInvalid);
  auto tx2 = t.repo.begin();
  CHECK(tx2->set("/list/1/x", 1).code() == Code::kInvalid);  // into a number
  auto tx3 = t.repo.begin();
  CHECK(tx3->remove("/list/4").code() == Code::kNotFound);
}

TEST_CASE("JSON Patch follows RFC 6902", "[transaction]") {
  TestRepo t;
  t.set("", json::parse(R"({"a":{"b":1},"list":[1,2,3],"s":"x"})"));
  SECTION("add member, insert into array, append with -") {
    json state = state_after_patch(t, json::parse(R"([
      {"op":"add","path":"/a/c","value":{"d":[true]}},
      {"op":"add","path":"/list/1","value":"ins"},
      {"op":"add","path":"/list/-","value":4},
      {"op":"add","path":"/list/5","value":5}])"));
    CHECK(state ==
          json::parse(R"({"a":{"b":1,"c":{"d":[true]}},"list":[1,"ins",2,3,4,5],"s":"x"})"));
  }
  SECTION("remove, replace, move, copy, test") {
    json state = state_after_patch(t, json::parse(R"([
      {"op":"test","path":"/a","value":{"b":1}},
      {"op":"test","path":"/list/0","value":1},
      {"op":"remove","path":"/list/0"},
      {"op":"replace","path":"/s","value":{"now":"object"}},
      {"op":"move","from":"/a/b","path":"/moved"},
      {"op":"copy","from":"/list","path":"/s/copy"},
      {"op":"move","from":"/list/0","path":"/list/-"},
      {"op":"copy","from":"/s","path":"/list/0"}])"));
    CHECK(
        state ==
        json::parse(
            R"({"a":{},"list":[{"now":"object","copy":[2,3]},3,2],"moved":1,"s":{"now":"object","copy":[2,3]}})"));
  }
  SECTION("add replaces the whole state; the root must stay an object") {
    CHECK(state_after_patch(t, json::parse(R"([{"op":"add","path":"","value":{"z":0}}])")) ==
          json{{"z", 0}});
    rejected_patch(t, json::parse(R"([{"op":"replace","path":"","value":[1]}])"), Code::kInvalid);
    rejected_patch(t, json::parse(R"([{"op":"remove","path":""}])"), Code::kInvalid);
  }
  SECTION("keys needing escapes") {
    json state = state_after_patch(t, json::parse(R"([{"op":"add","path":"/a~1b~0c","value":1},
      {"op":"add","path":"/","value":"empty key"}])"));
    CHECK(state["a/b~c"] == 1);
    CHECK(state[""] == "empty key");
  }
}

TEST_CASE("a failing operation rejects the whole transaction, naming the operation",
          "[transaction]") {
  TestRepo t;
  t.set("", json::parse(R"({"a":{"b":1},"list":[1,2,3],"n":5})"));
  auto before = t.get("");
  std::string message = rejected_patch(
      t,
      json::parse(R"([{"op":"add","path":"/x","value":1},{"op":"test","path":"/a/b","value":2}])"),
      Code::kConflict);
  CHECK(message.find("operation 1 (test /a/b)") != std::string::npos);
  CHECK(message.find("expected 2") != std::string::npos);
  message = rejected_patch(t, json::parse(R"([{"op":"add","path":"/missing/x","value":1}])"),
                           Code::kNotFound);
  CHECK(message.find("operation 0 (add /missing/x)") != std::string::npos);
  CHECK(message.find("parent /missing does not exist") != std::string::npos);
  message =
      rejected_patch(t, json::parse(R"([{"op":"add","path":"/n/x","value":1}])"), Code::kInvalid);
  CHECK(message.find("scalar") + message.find("number") != 2 * std::string::npos);
  rejected_patch(t, json::parse(R"([{"op":"remove","path":"/nothing"}])"), Code::kNotFound);
  rejected_patch(t, json::parse(R"([{"op":"replace","path":"/nothing","value":1}])"),
                 Code::kNotFound);
  rejected_patch(t, json::parse(R"([{"op":"move","from":"/nothing","path":"/x"}])"),
                 Code::kNotFound);
  rejected_patch(t, json::parse(R"([{"op":"move","from":"/a","path":"/a/b/c"}])"), Code::kInvalid);
  rejected_patch(t, json::parse(R"([{"op":"copy","from":"/list/7","path":"/x"}])"),
                 Code::kNotFound);
  rejected_patch(t, json::parse(R"([{"op":"test","path":"/nothing","value":1}])"), Code::kConflict);
  rejected_patch(t, json::parse(R"([{"op":"add","path":"/list/4","value":1}])"), Code::kInvalid);
  rejected_patch(t, json::parse(R"([{"op":"add","path":"/list/01","value":1}])"), Code::kInvalid);
  rejected_patch(t, json::parse(R"([{"op":"remove","path":"/list/-"}])"), Code::kNotFound);
  message =
      rejected_patch(t, json::parse(R"([{"op":"add","path":"x","value":1}])"), Code::kInvalid);
  CHECK(message.find("operation 0") != std::string::npos);
  rejected_patch(t, json::parse(R"([{"op":"frobnicate","path":"/x"}])"), Code::kInvalid);
  rejected_patch(t, json::parse(R"([{"op":"add","path":"/x"}])"), Code::kInvalid);
  rejected_patch(t, json::parse(R"({"op":"add"})"), Code::kInvalid);
  CHECK(t.get("") == before);
  CHECK(t.fsck());
}

TEST_CASE("after a failure every call repeats it, and a committed transaction is finished",
          "[transaction]") {
  TestRepo t;
  auto tx = t.repo.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/a", 1).is_ok());
  auto failed = tx->remove("/nothing");
  CHECK(failed.code() == Code::kNotFound);
  CHECK(failed.message().find("operation 1 (remove /nothing)") != std::string::npos);
  CHECK(tx->set("/b", 2).message() == failed.message());
  CHECK(tx->get("/a").status().message() == failed.message());
  CHECK(tx->commit().status().message() == failed.message());
  CHECK(t.repo.get("/a").status().code() == Code::kNotFound);

  auto ok = t.repo.begin();
  REQUIRE(ok->set("/a", 1).is_ok());
  REQUIRE(ok->commit().is_ok());
  CHECK(ok->set("/b", 1).code() == Code::kInvalid);
  CHECK(ok->commit().status().code() == Code::kInvalid);
}

TEST_CASE("merge patch follows RFC 7386", "[transaction]") {
  TestRepo t;
  t.set("", json::parse(R"({"a":"b","c":{"d":"e","f":"g"},"list":[1,2],"s":1})"));
  auto tx = t.repo.begin();
  REQUIRE(
      tx
          ->merge_patch(json::parse(
              R"({"a":"z","c":{"f":null,"new":{"x":null,"y":1}},"list":[3],"s":{"k":null},"gone":null})"))
          .is_ok());
  REQUIRE(tx->commit().is_ok());
  CHECK(t.get("") == json::parse(R"({"a":"z","c":{"d":"e","new":{"y":1}},"list":[3],"s":{}})"));
  auto bad = t.repo.begin();
  CHECK(bad->merge_patch(json::array()).code() == Code::kInvalid);
}

TEST_CASE("commit metadata: message, trailers, identities, empty deltas", "[transaction]") {
  TestRepo t;
  auto tx = t.repo.begin();
  REQUIRE(tx->set("/a", 1).is_ok());
  CommitOptions options;
  options.message = "configure a\n\nwith a body  \n\n";
  options.tags = {"ui-change", "reviewed"};
  auto author = gitstate::parse_identity("Ada <ada@example.com>", 1700000000, 60);
  REQUIRE(author.is_ok());
  options.author = *author;
  auto outcome = tx->commit(options);
  REQUIRE(outcome.is_ok());
  auto info = gitstate::read_commit_info(t.repo, outcome->commit);
  REQUIRE(info.is_ok());
  CHECK(info->message == "configure a\n\nwith a body");
  CHECK(info->tags == std::vector<std::string>{"ui-change", "reviewed"});
  CHECK(info->author == *author);
  CHECK(info->committer == *author);
  auto raw = t.repo.objects().read(outcome->commit);
  REQUIRE(raw.is_ok());
  CHECK(raw->data.find(
            "\n\nconfigure a\n\nwith a body\n\nState-Tag: ui-change\nState-Tag: reviewed\n") !=
        std::string::npos);

  auto summary = t.repo.begin();
  REQUIRE(summary->set("/b", 2).is_ok());
  auto summarized = summary->commit();
  REQUIRE(summarized.is_ok());
  CHECK(gitstate::read_commit_info(t.repo, summarized->commit)->message == "set /b");

  // An empty delta commits by default, or is skipped on request.
  auto same = t.repo.begin();
  REQUIRE(same->set("/b", 2).is_ok());
  auto empty_commit = same->commit();
  REQUIRE(empty_commit.is_ok());
  CHECK(empty_commit->created);
  CHECK(empty_commit->commit != summarized->commit);
  auto skipped_tx = t.repo.begin();
  REQUIRE(skipped_tx->set("/b", 2).is_ok());
  CommitOptions skip;
  skip.skip_empty = true;
  auto skipped = skipped_tx->commit(skip);
  REQUIRE(skipped.is_ok());
  CHECK(!skipped->created);
  CHECK(skipped->commit == empty_commit->commit);

  for (const std::string& bad :
       {std::string(""), std::string("two\nlines"), std::string(" padded")}) {
    auto tagged = t.repo.begin();
    REQUIRE(tagged->set("/c", 1).is_ok());
    CommitOptions bad_options;
    bad_options.tags = {bad};
    CHECK(tagged->commit(bad_options).status().code() == Code::kInvalid);
  }
  auto nul = t.repo.begin();
  CommitOptions nul_options;
  nul_options.message = std::string("a\0b", 3);
  CHECK(nul->commit(nul_options).status().code() == Code::kInvalid);
}

TEST_CASE("transactions see their own writes and begin only on existing branches",
          "[transaction]") {
  TestRepo t;
  auto tx = t.repo.begin();
  REQUIRE(tx->set("/a/b", 1).is_ok());
  CHECK(*tx->get("/a") == json{{"b", 1}});
  CHECK(tx->get("/zz").status().code() == Code::kNotFound);
  CHECK(t.repo.begin("nosuch").status().code() == Code::kNotFound);
  CHECK(t.repo.begin("bad..name").status().code() == Code::kInvalid);
}

TEST_CASE("a moved branch: disjoint transactions are re-applied, colliding ones conflict",
          "[transaction]") {
  TestRepo t;
  t.set("", json::parse(R"({"shared":{"x":1},"mine":{},"theirs":{},"list":[1,2]})"));

  SECTION("disjoint paths rebase") {
    auto first = t.repo.begin();
    auto second = t.repo.begin();
    REQUIRE(first->set("/theirs/v", 1).is_ok());
    REQUIRE(second->set("/mine/v", 2).is_ok());
    REQUIRE(first->commit().is_ok());
    auto outcome = second->commit();
    INFO(outcome.status().to_string());
    REQUIRE(outcome.is_ok());
    CHECK(outcome->rebases == 1);
    CHECK(t.get("/theirs/v") == 1);
    CHECK(t.get("/mine/v") == 2);
    auto info = gitstate::read_commit_info(t.repo, outcome->commit);
    CHECK(info->parents.front() == *t.repo.resolve("main~1"));
  }
  SECTION("the same path conflicts") {
    auto first = t.repo.begin();
    auto second = t.repo.begin();
    REQUIRE(first->set("/shared/x", 10).is_ok());
    REQUIRE(second->set("/shared/x", 20).is_ok());
    REQUIRE(first->commit().is_ok());
    auto outcome = second->commit();
    CHECK(outcome.status().code() == Code::kConflict);
    CHECK(outcome.status().message().find("/shared/x") != std::string::npos);
    CHECK(t.get("/shared/x") == 10);
  }
  SECTION("a prefix or a path underneath conflicts") {
    auto first = t.repo.begin();
    auto second = t.repo.begin();
    auto third = t.repo.begin();
    REQUIRE(first->remove("/shared").is_ok());
    REQUIRE(second->set("/shared/y/deeper", 1).is_ok());
    REQUIRE(third->set("/list/0", 7).is_ok());
    REQUIRE(first->commit().is_ok());
    CHECK(second->commit().status().code() == Code::kConflict);
    REQUIRE(third->commit().is_ok());
    auto fourth = t.repo.begin();
    auto fifth = t.repo.begin();
    REQUIRE(fourth->set("/list/1", 8).is_ok());
    REQUIRE(fifth->set("/list/-", 9).is_ok());
    REQUIRE(fourth->commit().is_ok());
    CHECK(fifth->commit().status().code() == Code::kConflict);
    CHECK(t.get("/list") == json::array({7, 8}));
  }
  SECTION("a read (test or get) conflicts with a concurrent write") {
    auto reader = t.repo.begin();
    auto getter = t.repo.begin();
    auto writer = t.repo.begin();
    REQUIRE(reader
                ->patch(json::parse(R"([{"op":"test","path":"/shared/x","value":1},
                                           {"op":"add","path":"/mine/copy","value":1}])"))
                .is_ok());
    REQUIRE(getter->get("/shared").is_ok());
    REQUIRE(getter->set("/theirs/seen", true).is_ok());
    REQUIRE(writer->set("/shared/x", 2).is_ok());
    REQUIRE(writer->commit().is_ok());
    CHECK(reader->commit().status().code() == Code::kConflict);
    CHECK(getter->commit().status().code() == Code::kConflict);
  }
}
