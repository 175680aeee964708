// sync_adapter() against both real adapters: the same scenarios run on a
// directory of JSON files and on an SQLite table (rows are objects of
// columns there, so every state here has that shape).
#include "gitstate/adapter_sync.h"

#include "adapter_test_util.h"
#include "gitstate/events.h"
#include "gitstate/merge.h"
#include "gitstate/plumbing/refs.h"

using namespace gitstate;
using gitstate::test::load_state;
using gitstate::test::StopAfter;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
template <typename System>
struct SyncFixture : TestRepo {
  System outside;

  Result<SyncOutcome> try_sync(Adapter& adapter, MergeStrategy strategy = MergeStrategy::kReport,
                               bool dry_run = false) {
    SyncOptions options;
    options.strategy = strategy;
    options.dry_run = dry_run;
    return sync_adapter(repo, adapter, options);
  }

  SyncOutcome sync(MergeStrategy strategy = MergeStrategy::kReport, bool dry_run = false) {
    auto adapter = outside.adapter();
    auto outcome = try_sync(*adapter, strategy, dry_run);
    INFO(outcome.status().to_string());
    REQUIRE(outcome.is_ok());
    return *outcome;
  }

  json branch_state() { return get(""); }
  json outside_state() { return load_state(*outside.adapter()); }

  std::optional<Oid> base() {
    auto value = read_ref(*repo.git_dir(), sync_ref(*outside.adapter(), "main"));
    REQUIRE(value.is_ok());
    return *value;
  }

  // Both sides hold {"r": {"v": 1}} and are synchronized.
  void start_synced() {
    set("/r", json{{"v", 1}, {"w", nullptr}});
    SyncOutcome first = sync();
    REQUIRE(first.result == SyncResult::kSynced);
    REQUIRE(outside_state() == branch_state());
  }

  std::string refs() {
    auto all = list_refs(*repo.git_dir(), "");
    REQUIRE(all.is_ok());
    std::string out;
    for (const auto& [name, id] : *all) out += name + " " + id.hex() + "\n";
    return out;
  }
};

json op(const std::string& kind, const std::string& path, const json& value) {
  return {{"op", kind}, {"path", path}, {"value", value}};
}
}  // namespace

TEMPLATE_TEST_CASE("sync: changes go out and come in", "[sync]", test::DirSystem,
                   test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.outside.put("o", "v", "outside");
  f.outside.put("o", "w", nullptr);
  f.set("/b", json{{"v", 2}, {"w", "branch"}});

  SyncOutcome first = f.sync();
  CHECK(first.result == SyncResult::kSynced);
  CHECK(first.base_before == std::nullopt);
  CHECK(f.branch_state() ==
        json{{"b", {{"v", 2}, {"w", "branch"}}}, {"o", {{"v", "outside"}, {"w", nullptr}}}});
  CHECK(f.outside_state() == f.branch_state());
  CHECK(f.base() == *f.repo.resolve("main"));
  CHECK(first.base_after == f.base());
  REQUIRE(first.commits.size() == 2);  // T, then the merge commit
  CommitInfo brought = f.info(first.commits[0]);
  CHECK(brought.author.name == std::string("gitstate sync ") + TestType::kName);
  CHECK(brought.author.email == "gitstate-sync@localhost");
  CHECK(f.info(first.commits[1]).parents == std::vector<Oid>{first.head_before, first.commits[0]});

  SyncOutcome again = f.sync();
  CHECK(again.result == SyncResult::kUpToDate);
  CHECK(again.commits.empty());
  CHECK(again.head_after == again.head_before);

  // Only the branch changed: it goes out, nothing is committed.
  Oid head = f.set("/b/v", 3);
  SyncOutcome out = f.sync();
  CHECK(out.result == SyncResult::kSynced);
  CHECK(out.plan.outgoing == json::array({op("replace", "/b/v", 3)}));
  CHECK(out.plan.incoming == json::array());
  CHECK(out.commits.empty());
  CHECK(*f.repo.resolve("main") == head);
  CHECK(f.outside_state()["b"]["v"] == 3);
  CHECK(f.base() == head);

  // Only the outside changed: the branch fast-forwards to the adapter's commit.
  f.outside.put("o", "w", 5);
  SyncOutcome in = f.sync();
  CHECK(in.plan.incoming == json::array({op("replace", "/o/w", 5)}));
  CHECK(in.plan.outgoing == json::array());
  REQUIRE(in.commits.size() == 1);
  CHECK(*f.repo.resolve("main") == in.commits[0]);
  CHECK(f.info(in.commits[0]).parents == std::vector<Oid>{head});
  CHECK(f.get("/o/w") == 5);

  // Both changed, different paths: a merge commit, and the branch's change goes out.
  f.outside.drop("o");
  f.set("/n", json{{"v", "new"}, {"w", nullptr}});
  SyncOutcome both = f.sync();
  CHECK(both.plan.incoming == json::array({{{"op", "remove"}, {"path", "/o"}}}));
  CHECK(both.plan.outgoing == json::array({op("add", "/n", json{{"v", "new"}, {"w", nullptr}})}));
  CHECK(both.commits.size() == 2);
  CHECK(f.outside_state() == f.branch_state());
  CHECK_FALSE(f.branch_state().contains("o"));
  CHECK(f.fsck());
}

TEMPLATE_TEST_CASE(
    "sync: conflicts stop the merge; resolve and continue, then sync sends the result", "[sync]",
    test::DirSystem, test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.start_synced();
  Oid head = f.set("/r/v", 2);
  f.outside.put("r", "v", 3);
  std::string before = f.outside.snapshot();

  SyncOutcome stopped = f.sync();
  CHECK(stopped.result == SyncResult::kConflicted);
  REQUIRE(stopped.plan.conflicts.size() == 1);
  CHECK(format_pointer(stopped.plan.conflicts[0].path) == "/r/v");
  CHECK(*stopped.plan.conflicts[0].ours == 2);
  CHECK(*stopped.plan.conflicts[0].theirs == 3);
  CHECK(f.outside.snapshot() == before);
  CHECK(*f.repo.resolve("main") == head);

  auto refused = f.try_sync(*f.outside.adapter());
  CHECK(refused.status().code() == Code::kConflict);
  CHECK_THAT(refused.status().message(), Catch::Contains("stopped on branch 'main'"));

  REQUIRE(resolve_conflict(f.repo, "main", "/r/v", Settle::kValue, 7).is_ok());
  REQUIRE(continue_merge(f.repo, "main").is_ok());
  CHECK(f.get("/r/v") == 7);

  SyncOutcome after = f.sync();
  CHECK(after.result == SyncResult::kSynced);
  CHECK(after.plan.conflicts.empty());
  CHECK(after.plan.incoming == json::array());
  CHECK(after.plan.outgoing == json::array({op("replace", "/r/v", 7)}));
  CHECK(f.outside_state() == f.branch_state());
  CHECK(f.sync().result == SyncResult::kUpToDate);
}

TEMPLATE_TEST_CASE("sync: an aborted merge offers the outside changes again", "[sync]",
                   test::DirSystem, test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.start_synced();
  Oid head = f.set("/r/v", 2);
  f.outside.put("r", "v", 3);
  f.outside.put("r", "w", "only outside");

  REQUIRE(f.sync().result == SyncResult::kConflicted);
  REQUIRE(abort_merge(f.repo, "main").is_ok());
  CHECK(*f.repo.resolve("main") == head);

  SyncOutcome dry = f.sync(MergeStrategy::kReport, true);
  CHECK(dry.plan.conflicts.size() == 1);
  CHECK(dry.plan.incoming == json::array({op("replace", "/r/w", "only outside")}));

  SyncOutcome again = f.sync();
  CHECK(again.result == SyncResult::kConflicted);
  REQUIRE(again.plan.conflicts.size() == 1);
  CHECK(*again.plan.conflicts[0].theirs == 3);
  REQUIRE(abort_merge(f.repo, "main").is_ok());

  SyncOutcome theirs = f.sync(MergeStrategy::kTheirs);
  CHECK(theirs.result == SyncResult::kSynced);
  CHECK(f.get("/r") == json{{"v", 3}, {"w", "only outside"}});
  CHECK(f.outside_state() == f.branch_state());
}

TEMPLATE_TEST_CASE("sync: strategies ours and theirs", "[sync]", test::DirSystem,
                   test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.start_synced();

  Oid head = f.set("/r/v", 2);
  f.outside.put("r", "v", 3);
  SyncOutcome ours = f.sync(MergeStrategy::kOurs);
  CHECK(ours.result == SyncResult::kSynced);
  REQUIRE(ours.plan.resolved.size() == 1);
  CHECK(ours.plan.resolved[0].with == ResolvedWith::kOurs);
  CHECK(ours.commits.empty());  // the merge result is the head: no empty commit
  CHECK(*f.repo.resolve("main") == head);
  CHECK(f.outside_state()["r"]["v"] == 2);
  CHECK(f.base() == head);

  f.set("/r/v", 4);
  f.outside.put("r", "v", 5);
  f.outside.put("r", "w", "x");
  SyncOutcome theirs = f.sync(MergeStrategy::kTheirs);
  CHECK(theirs.result == SyncResult::kSynced);
  CHECK(theirs.plan.outgoing == json::array());
  CHECK(f.get("/r") == json{{"v", 5}, {"w", "x"}});
  CHECK(f.outside_state() == f.branch_state());
  CHECK(f.sync().result == SyncResult::kUpToDate);
}

TEMPLATE_TEST_CASE("sync: --dry-run prints the plan and changes nothing", "[sync]", test::DirSystem,
                   test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.start_synced();
  f.set("/r/v", 2);
  f.set("/b", json{{"v", 1}, {"w", 1}});
  f.outside.put("r", "v", 3);
  f.outside.put("o", "v", "in");
  f.outside.put("o", "w", nullptr);
  std::string outside = f.outside.snapshot();
  std::string refs = f.refs();

  SyncOutcome dry = f.sync(MergeStrategy::kReport, true);
  CHECK(dry.result == SyncResult::kDryRun);
  CHECK(dry.plan.outgoing == json::array({op("add", "/b", json{{"v", 1}, {"w", 1}})}));
  CHECK(dry.plan.incoming == json::array({op("add", "/o", json{{"v", "in"}, {"w", nullptr}})}));
  REQUIRE(dry.plan.conflicts.size() == 1);
  CHECK(format_pointer(dry.plan.conflicts[0].path) == "/r/v");
  CHECK(dry.commits.empty());
  CHECK(dry.base_after == dry.base_before);
  CHECK(f.outside.snapshot() == outside);
  CHECK(f.refs() == refs);
  auto stopped = stopped_merge(f.repo, "main");
  CHECK(stopped.status().code() == Code::kNotFound);
}

TEMPLATE_TEST_CASE("sync: a rejection halfway is recorded; the rerun finishes", "[sync]",
                   test::DirSystem, test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.start_synced();
  for (const char* row : {"a", "b", "c", "d", "e"})
    f.set(std::string("/") + row, json{{"v", row}, {"w", 0}});
  f.outside.put("o", "v", "came in");  // also something to bring in, so the base starts at T

  StopAfter stopping(f.outside.adapter(), 2);
  auto failed = f.try_sync(stopping);
  REQUIRE_FALSE(failed.is_ok());
  CHECK(failed.status().code() == Code::kConflict);
  CHECK_THAT(failed.status().message(), Catch::Contains("operation 2 of 5 (add /c)"));
  CHECK(f.get("/o/v") == "came in");

  json outside = f.outside_state();
  CHECK(outside.contains("a"));
  CHECK(outside.contains("b"));
  CHECK_FALSE(outside.contains("c"));
  std::optional<Oid> base = f.base();
  REQUIRE(base);
  CHECK(f.get("", base->hex()) == outside);  // the base records exactly what was applied
  CommitInfo partial = f.info(*base);
  CHECK(partial.trailers ==
        std::vector<std::pair<std::string, std::string>>{{"State-Sync-Applied", "2/5"}});

  SyncOutcome dry = f.sync(MergeStrategy::kReport, true);
  CHECK(dry.plan.incoming == json::array());
  CHECK(dry.plan.outgoing.size() == 3);
  CHECK(dry.plan.outgoing[0]["path"] == "/c");

  SyncOutcome rerun = f.sync();
  CHECK(rerun.result == SyncResult::kSynced);
  CHECK(rerun.applied == 3);
  CHECK(rerun.commits.empty());
  CHECK(f.outside_state() == f.branch_state());
  CHECK(f.base() == *f.repo.resolve("main"));
  CHECK(f.sync().result == SyncResult::kUpToDate);
}

TEMPLATE_TEST_CASE("sync: a rejection of the first operation keeps the base consistent", "[sync]",
                   test::DirSystem, test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.start_synced();
  f.set("/r/v", 2);
  f.outside.put("o", "v", 1);
  StopAfter refusing(f.outside.adapter(), 0);
  REQUIRE_FALSE(f.try_sync(refusing).is_ok());
  CHECK(f.outside_state()["r"]["v"] == 1);
  CHECK(f.get("/o/v") == 1);

  SyncOutcome rerun = f.sync();
  CHECK(rerun.plan.incoming == json::array());
  CHECK(rerun.plan.outgoing == json::array({op("replace", "/r/v", 2)}));
  CHECK(f.outside_state() == f.branch_state());
}

TEST_CASE("sync: an unknown branch or an unloadable system changes nothing", "[sync]") {
  SyncFixture<test::DirSystem> f;
  f.start_synced();
  std::string refs = f.refs();
  auto adapter = f.outside.adapter();
  SyncOptions options;
  options.branch = "nowhere";
  CHECK(sync_adapter(f.repo, *adapter, options).status().code() == Code::kNotFound);

  test::write_bytes(f.outside.root / "broken", "{\"a\":");
  f.set("/r/v", 9);
  refs = f.refs();
  auto broken = f.try_sync(*adapter);
  CHECK(broken.status().code() == Code::kInvalid);
  CHECK_THAT(broken.status().message(), Catch::Contains("broken"));
  CHECK(f.refs() == refs);
}

TEMPLATE_TEST_CASE("sync: the bus hears the commits, then kSyncFinished", "[sync]", test::DirSystem,
                   test::SqliteSystem) {
  SyncFixture<TestType> f;
  f.start_synced();
  std::vector<Event> heard;
  auto subscription =
      subscribe(f.repo, SubscribeOptions{}, [&](const Event& event) { heard.push_back(event); });
  REQUIRE(subscription.is_ok());

  f.outside.put("r", "v", 2);
  Oid before = *f.repo.resolve();
  SyncOutcome synced = f.sync();
  REQUIRE(synced.result == SyncResult::kSynced);
  REQUIRE(heard.size() >= 2);
  // The outside commit fast-forwards the branch (it had not moved since the base).
  CHECK(heard.front().kind == EventKind::kBranchMoved);
  const Event& finished = heard.back();
  CHECK(finished.kind == EventKind::kSyncFinished);
  CHECK(finished.operation == "sync");
  CHECK(finished.peer == f.outside.adapter()->identity());
  CHECK(finished.branch == "main");
  CHECK(finished.old_head == before);
  CHECK(finished.new_head == *f.repo.resolve());
  CHECK(finished.conflicts.empty());

  heard.clear();
  REQUIRE(f.sync(MergeStrategy::kReport, true).result == SyncResult::kDryRun);
  CHECK(heard.empty());  // a dry run announces nothing
}
