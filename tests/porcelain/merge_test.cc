#include "gitstate/merge.h"

#include <algorithm>
#include <iterator>
#include <sstream>

#include "gitstate/plumbing/git_dir.h"
#include "porcelain_test_util.h"

using namespace gitstate;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TestRepo;

namespace {
// A repository with branch `feature` made from main after `prepare`.
struct MergeRepo : TestRepo {
  void branch(const std::string& name) { REQUIRE(create_branch(repo, name, "main").is_ok()); }

  // /v is 1, then 2 on main and 3 on feature; returns main's head.
  Oid diverge_on_v() {
    set("/v", 1);
    branch("feature");
    Oid ours = set("/v", 2);
    set("/v", 3, "", "feature");
    return ours;
  }

  static BranchMergeOptions with(MergeStrategy strategy, bool no_ff = false) {
    BranchMergeOptions options;
    options.strategy = strategy;
    options.no_ff = no_ff;
    return options;
  }

  BranchMergeOutcome merge_ok(const std::string& source, const std::string& into = "main",
                              const BranchMergeOptions& options = {}) {
    auto outcome = merge(repo, source, into, options);
    INFO(outcome.status().to_string());
    REQUIRE(outcome.is_ok());
    return *outcome;
  }

  std::string git(const std::string& args) {
    auto result = run_command("git --git-dir=" + shell_quote(path()) + " " + args + " 2>&1");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    return result.output;
  }
};
}  // namespace

TEST_CASE("merge: up to date, fast-forward, --no-ff, merge commit", "[merge]") {
  MergeRepo r;
  r.set("/a", 1);
  r.branch("feature");
  Oid start = *r.repo.resolve("main");

  auto same = r.merge_ok("main", "feature");
  CHECK(same.kind == MergeKind::kUpToDate);
  CHECK(same.head == start);

  Oid f1 = r.set("/b", "x", "", "feature");
  auto ff = r.merge_ok("feature");
  CHECK(ff.kind == MergeKind::kFastForward);
  CHECK(ff.head == f1);
  CHECK(*r.repo.resolve("main") == f1);

  Oid f2 = r.set("/c", true, "", "feature");
  auto no_ff = r.merge_ok("feature", "main", MergeRepo::with(MergeStrategy::kReport, true));
  CHECK(no_ff.kind == MergeKind::kMerged);
  CommitInfo made = r.info(no_ff.head);
  CHECK(made.parents == std::vector<Oid>{f1, f2});
  CHECK(made.message == "Merge feature into main");
  CHECK(r.get("") == nlohmann::json{{"a", 1}, {"b", "x"}, {"c", true}});

  Oid m1 = r.set("/m", nullptr);
  Oid f3 = r.set("/f", 2.5, "", "feature");
  auto merged = r.merge_ok("feature");
  CHECK(merged.kind == MergeKind::kMerged);
  CHECK(r.info(merged.head).parents == std::vector<Oid>{m1, f3});
  CHECK(merged.bases == std::vector<Oid>{f2});
  CHECK(r.get("") == nlohmann::json{{"a", 1}, {"b", "x"}, {"c", true}, {"f", 2.5}, {"m", nullptr}});
  CHECK(r.git("merge-base main~1 feature").substr(0, 40) == f2.hex());
  CHECK(r.git("log --graph --format=%s main").find("Merge feature into main") != std::string::npos);
  CHECK(r.fsck());
}

TEST_CASE("merge: every JSON type merges from both sides", "[merge]") {
  MergeRepo r;
  r.set("/doc",
        {{"s", "a"}, {"n", 1}, {"b", false}, {"z", nullptr}, {"l", {1}}, {"o", {{"k", 1}}}});
  r.branch("feature");
  r.set("/doc/s", "ours");
  r.set("/doc/l", {1, 2});
  r.set("/doc/o/mine", {{"deep", 1}});
  r.set("/doc/n", 2, "", "feature");
  r.set("/doc/b", true, "", "feature");
  r.set("/doc/z", {{"now", "object"}}, "", "feature");
  r.set("/doc/o/theirs", {3, "x"}, "", "feature");
  auto merged = r.merge_ok("feature");
  CHECK(merged.kind == MergeKind::kMerged);
  CHECK(r.get("/doc") ==
        nlohmann::json{{"s", "ours"},
                       {"n", 2},
                       {"b", true},
                       {"z", {{"now", "object"}}},
                       {"l", {1, 2}},
                       {"o", {{"k", 1}, {"mine", {{"deep", 1}}}, {"theirs", {3, "x"}}}}});
  CHECK(r.fsck());
}

TEST_CASE("merge: conflicts stop the merge; strategies and the resolver settle them", "[merge]") {
  MergeRepo r;
  Oid ours = r.diverge_on_v();

  auto stopped = r.merge_ok("feature");
  CHECK(stopped.kind == MergeKind::kConflicted);
  CHECK(stopped.head == ours);
  CHECK(*r.repo.resolve("main") == ours);
  REQUIRE(stopped.conflicts.size() == 1);
  CHECK(format_pointer(stopped.conflicts[0].path) == "/v");
  CHECK(stopped.conflicts[0].base == nlohmann::json(1));
  CHECK(stopped.conflicts[0].ours == nlohmann::json(2));
  CHECK(stopped.conflicts[0].theirs == nlohmann::json(3));
  CHECK(merge(r.repo, "feature").status().code() == Code::kConflict);
  REQUIRE(abort_merge(r.repo).is_ok());
  CHECK(abort_merge(r.repo).code() == Code::kNotFound);
  CHECK(*r.repo.resolve("main") == ours);

  SECTION("ours") {
    auto merged = r.merge_ok("feature", "main", MergeRepo::with(MergeStrategy::kOurs));
    CHECK(merged.kind == MergeKind::kMerged);
    CHECK(merged.resolved.size() == 1);
    CHECK(r.get("/v") == 2);
  }
  SECTION("theirs") {
    r.merge_ok("feature", "main", MergeRepo::with(MergeStrategy::kTheirs));
    CHECK(r.get("/v") == 3);
  }
  SECTION("resolver") {
    BranchMergeOptions options;
    options.resolver = [](const Path&, const std::optional<nlohmann::json>&,
                          const std::optional<nlohmann::json>& mine,
                          const std::optional<nlohmann::json>& theirs) {
      return std::optional<nlohmann::json>(mine->get<int>() + theirs->get<int>());
    };
    auto merged = r.merge_ok("feature", "main", options);
    CHECK(merged.kind == MergeKind::kMerged);
    CHECK(r.get("/v") == 5);
  }
}

TEST_CASE("merge: rules and keyed arrays from the git configuration", "[merge]") {
  MergeRepo r;
  r.set("/settings", {{"a", 1}, {"b", 1}});
  r.set("/services", nlohmann::json::array({{{"name", "web"}, {"port", 80}}}));
  r.branch("feature");
  r.set("/settings", {{"a", 2}, {"b", 2}});
  r.set("/services", nlohmann::json::array({{{"name", "web"}, {"port", 81}}}));
  r.set("/settings", {{"a", 3}, {"b", 3}}, "", "feature");
  r.set("/services",
        nlohmann::json::array({{{"name", "web"}, {"port", 80}}, {{"name", "db"}, {"port", 5432}}}),
        "", "feature");
  r.git("config --add gitstate.mergeRule '/settings/a theirs'");
  r.git("config --add gitstate.mergeRule '/settings/** ours'");
  r.git("config --add gitstate.keyedArray '/services name'");

  auto merged = r.merge_ok("feature");
  CHECK(merged.kind == MergeKind::kMerged);
  CHECK(r.get("/settings") == nlohmann::json{{"a", 3}, {"b", 2}});
  CHECK(r.get("/services") ==
        nlohmann::json::array({{{"name", "web"}, {"port", 81}}, {{"name", "db"}, {"port", 5432}}}));

  r.git("config --add gitstate.mergeRule '/x sideways'");
  r.set("/new", 1, "", "feature");
  auto bad = merge(r.repo, "feature", "main");
  CHECK(bad.status().code() == Code::kInvalid);
  CHECK(bad.status().message().find("/x sideways") != std::string::npos);
}

TEST_CASE("merge: criss-cross history merges against a virtual base", "[merge]") {
  MergeRepo r;
  r.set("/shared", {{"n", 0}});
  r.branch("x");
  r.branch("y");
  Oid x1 = r.set("/x", 1, "", "x");
  Oid y1 = r.set("/y", 1, "", "y");
  r.merge_ok("y", "x");
  r.merge_ok(x1.hex(), "y");
  r.set("/p", "from x", "", "x");
  r.set("/shared/n", 5, "", "y");

  auto merged = r.merge_ok("y", "x");
  CHECK(merged.kind == MergeKind::kMerged);
  std::vector<Oid> expected{x1, y1};
  std::sort(expected.begin(), expected.end());
  CHECK(merged.bases == expected);
  std::istringstream git_bases(r.git("merge-base --all x~1 y"));
  std::vector<std::string> lines{std::istream_iterator<std::string>(git_bases), {}};
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<std::string>{expected[0].hex(), expected[1].hex()});
  CHECK(r.get("", "x") ==
        nlohmann::json{{"shared", {{"n", 5}}}, {"x", 1}, {"y", 1}, {"p", "from x"}});
  CHECK(r.fsck());
}

TEST_CASE("merge: bad input changes nothing", "[merge]") {
  MergeRepo r;
  CHECK(merge(r.repo, "nowhere").status().code() == Code::kNotFound);
  CHECK(merge(r.repo, "main", "no..name").status().code() == Code::kInvalid);
  CHECK(merge(r.repo, "main", "absent").status().code() == Code::kNotFound);
}

TEST_CASE("merge: a stopped merge survives the process and is settled later", "[merge]") {
  MergeRepo r;
  r.set("/doc", {{"v", 1}, {"gone", "x"}, {"list", {1}}});
  r.branch("feature");
  Oid ours = r.set("/doc", {{"v", 2}, {"gone", "y"}, {"list", {1, 2}}});
  Oid theirs = r.set("/doc", {{"v", 3}, {"list", {1, 3}}}, "", "feature");
  auto stopped = r.merge_ok("feature");
  REQUIRE(stopped.kind == MergeKind::kConflicted);
  CHECK(stopped.conflicts.size() == 3);

  auto later = Repository::open(r.path());  // another process
  REQUIRE(later.is_ok());
  auto record = stopped_merge(*later);
  REQUIRE(record.is_ok());
  CHECK(record->operation == "merge");
  CHECK(record->branch == "main");
  CHECK(record->head == ours);
  CHECK(record->source == theirs);
  REQUIRE(record->open.size() == 3);
  CHECK(format_pointer(record->open[0].path) == "/doc/gone");
  CHECK(record->open[0].base == nlohmann::json("x"));
  CHECK(record->open[0].ours == nlohmann::json("y"));
  CHECK(!record->open[0].theirs.has_value());
  CHECK(merge(*later, "feature").status().code() == Code::kConflict);

  REQUIRE(resolve_conflict(*later, "", "/doc/gone", Settle::kTheirs).is_ok());
  CHECK(resolve_conflict(*later, "", "/doc/gone", Settle::kOurs).code() == Code::kNotFound);
  CHECK(resolve_conflict(*later, "", "/doc/nothing", Settle::kOurs).code() == Code::kNotFound);
  CHECK(resolve_conflict(*later, "", "bad", Settle::kOurs).code() == Code::kInvalid);
  auto early = continue_merge(*later);
  CHECK(early.status().code() == Code::kConflict);
  CHECK(early.status().message().find("/doc/list, /doc/v") != std::string::npos);

  auto third = Repository::open(r.path());
  REQUIRE(third.is_ok());
  REQUIRE(resolve_conflict(*third, "main", "/doc/list", Settle::kValue, {1, 2, 3}).is_ok());
  REQUIRE(resolve_conflict(*third, "main", "/doc/v", Settle::kOurs).is_ok());
  CHECK(stopped_merge(*third)->open.empty());
  CHECK(stopped_merge(*third)->settled.size() == 3);
  CHECK(*r.repo.resolve("main") == ours);
  auto done = continue_merge(*third);
  INFO(done.status().to_string());
  REQUIRE(done.is_ok());
  CHECK(r.info(*done).parents == std::vector<Oid>{ours, theirs});
  CHECK(r.info(*done).message == "Merge feature into main");
  CHECK(r.get("/doc") == nlohmann::json{{"v", 2}, {"list", {1, 2, 3}}});
  CHECK(stopped_merge(r.repo).status().code() == Code::kNotFound);
  CHECK(r.git("for-each-ref refs/gitstate/").empty());
  CHECK(r.fsck());
}

TEST_CASE("merge: continue refuses when the branch moved since the merge stopped", "[merge]") {
  MergeRepo r;
  r.diverge_on_v();
  REQUIRE(r.merge_ok("feature").kind == MergeKind::kConflicted);
  CHECK(r.fsck());
  REQUIRE(resolve_conflict(r.repo, "", "/v", Settle::kTheirs).is_ok());
  Oid moved = r.set("/other", true);
  auto refused = continue_merge(r.repo);
  CHECK(refused.status().code() == Code::kModified);
  CHECK(refused.status().message().find("moved") != std::string::npos);
  CHECK(*r.repo.resolve("main") == moved);
  REQUIRE(abort_merge(r.repo).is_ok());
  CHECK(r.merge_ok("feature", "main", MergeRepo::with(MergeStrategy::kTheirs)).kind ==
        MergeKind::kMerged);
  CHECK(r.get("/v") == 3);
}

TEST_CASE("merge: unrelated histories merge against the empty state", "[merge]") {
  MergeRepo r;
  r.set("/a", 1);
  std::string orphan =
      r.git("-c user.name=T -c user.email=t@example.org commit-tree main^{tree} -m orphan");
  r.git("update-ref refs/heads/orphan " + orphan.substr(0, 40));
  r.set("/b", 2, "", "orphan");
  auto merged = r.merge_ok("orphan");
  CHECK(merged.kind == MergeKind::kMerged);
  CHECK(merged.bases.empty());
  CHECK(r.get("") == nlohmann::json{{"a", 1}, {"b", 2}});
  CHECK(r.fsck());
}

TEST_CASE("merge: conflicts inside keyed arrays are settled by element path", "[merge]") {
  MergeRepo r;
  r.git("config --add gitstate.keyedArray '/services name'");
  r.set("/services", nlohmann::json::array({{{"name", "web"}, {"port", 80}}}));
  r.branch("feature");
  r.set("/services", nlohmann::json::array({{{"name", "web"}, {"port", 81}}}));
  r.set("/services",
        nlohmann::json::array({{{"name", "db"}, {"port", 5432}}, {{"name", "web"}, {"port", 82}}}),
        "", "feature");
  auto stopped = r.merge_ok("feature");
  REQUIRE(stopped.kind == MergeKind::kConflicted);
  REQUIRE(stopped.conflicts.size() == 1);
  CHECK(format_pointer(stopped.conflicts[0].path) == "/services/name=web/port");
  REQUIRE(resolve_conflict(r.repo, "", "/services/name=web/port", Settle::kTheirs).is_ok());
  auto done = continue_merge(r.repo);
  INFO(done.status().to_string());
  REQUIRE(done.is_ok());
  CHECK(r.get("/services") ==
        nlohmann::json::array({{{"name", "db"}, {"port", 5432}}, {{"name", "web"}, {"port", 82}}}));
}

TEST_CASE("merge: a branch that moves during the merge is merged again on its new head",
          "[merge]") {
  MergeRepo r;
  r.diverge_on_v();
  int asked = 0;
  BranchMergeOptions options;
  options.resolver = [&](const Path&, const auto&, const auto&, const auto&) {
    if (++asked == 1) r.set("/other", "meanwhile");  // another writer commits to main
    return std::optional<nlohmann::json>(4);
  };
  auto merged = merge(r.repo, "feature", "main", options);
  REQUIRE(merged.is_ok());
  CHECK(merged->kind == MergeKind::kMerged);
  CHECK(asked == 2);
  CHECK(r.get("") == nlohmann::json{{"v", 4}, {"other", "meanwhile"}});
  CHECK(r.fsck());
}

TEST_CASE("merge: a branch that moves under every attempt is not overwritten", "[merge]") {
  MergeRepo r;
  r.diverge_on_v();
  Oid moved;
  int asked = 0;
  BranchMergeOptions options;
  options.resolver = [&](const Path&, const auto&, const auto&, const auto&) {
    moved = r.set("/other", ++asked);
    return std::optional<nlohmann::json>(4);
  };
  auto refused = merge(r.repo, "feature", "main", options);
  CHECK(refused.status().code() == Code::kModified);
  CHECK(asked == 8);
  CHECK(*r.repo.resolve("main") == moved);
  CHECK(r.get("/v") == 2);
  CHECK(r.merge_ok("feature", "main", MergeRepo::with(MergeStrategy::kTheirs)).kind ==
        MergeKind::kMerged);
  CHECK(r.get("") == nlohmann::json{{"v", 3}, {"other", 8}});
}
