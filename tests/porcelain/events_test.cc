#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "porcelain/porcelain_test_util.h"

using gitstate::Delivery;
using gitstate::Event;
using gitstate::EventKind;
using gitstate::Oid;
using gitstate::SubscribeOptions;
using gitstate::Subscription;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
// Events received by a callback, for a test thread to wait on (bounded).
struct Inbox {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Event> events;

  void add(const Event& event) {
    std::lock_guard lock(mutex);
    events.push_back(event);
    changed.notify_all();
  }
  // The events once there are at least `n` (fails the test after 30 s).
  std::vector<Event> wait_for(size_t n) {
    std::unique_lock lock(mutex);
    bool got = changed.wait_for(lock, std::chrono::seconds(30), [&] { return events.size() >= n; });
    REQUIRE(got);
    return events;
  }
  std::vector<Event> now() {
    std::lock_guard lock(mutex);
    return events;
  }
};

Subscription listen(const gitstate::Repository& repo, Inbox& inbox, SubscribeOptions options = {}) {
  auto subscription =
      gitstate::subscribe(repo, options, [&inbox](const Event& e) { inbox.add(e); });
  INFO(subscription.status().to_string());
  REQUIRE(subscription.is_ok());
  return std::move(subscription).value();
}

std::vector<Oid> commit_ids(const std::vector<Event>& events) {
  std::vector<Oid> ids;
  for (const Event& event : events)
    if (event.kind == EventKind::kCommit) ids.push_back(event.commit.id);
  return ids;
}

// The first-parent history of `rev`, oldest first, without the root commit.
std::vector<Oid> history(const gitstate::Repository& repo, const std::string& rev = "main") {
  gitstate::LogOptions options;
  options.rev = rev;
  options.first_parent = true;
  auto entries = gitstate::log(repo, options);
  REQUIRE(entries.is_ok());
  std::vector<Oid> ids;
  for (auto it = entries->rbegin() + 1; it != entries->rend(); ++it) ids.push_back(it->id);
  return ids;
}
}  // namespace

TEST_CASE("events: a commit is delivered after the ref moved, its delta cut to the glob",
          "[events]") {
  TestRepo t;
  std::vector<Oid> heads_seen;
  std::vector<Event> got;
  SubscribeOptions options;
  options.glob = "/a/**";
  auto subscription = gitstate::subscribe(t.repo, options, [&](const Event& event) {
    heads_seen.push_back(*t.repo.resolve("main"));
    got.push_back(event);
  });
  REQUIRE(subscription.is_ok());

  auto tx = t.repo.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/a/x", 1).is_ok());
  REQUIRE(tx->set("/b", 2).is_ok());
  gitstate::CommitOptions commit_options;
  commit_options.message = "two paths";
  commit_options.tags = {"infra"};
  auto outcome = tx->commit(commit_options);
  REQUIRE(outcome.is_ok());
  REQUIRE(got.size() == 1);
  CHECK(heads_seen[0] == outcome->commit);
  CHECK(got[0].kind == EventKind::kCommit);
  CHECK(got[0].branch == "main");
  CHECK(got[0].commit.id == outcome->commit);
  CHECK(got[0].commit.message == "two paths");
  CHECK(got[0].commit.tags == std::vector<std::string>{"infra"});
  CHECK(got[0].patch == json::parse(R"([{"op":"add","path":"/a","value":{"x":1}}])"));

  t.set("/b", 3);  // outside the glob: not delivered
  CHECK(got.size() == 1);
  t.set("/a", json{{"x", 1}, {"y", {{"z", 2}}}});
  REQUIRE(got.size() == 2);
  CHECK(got[1].patch == json::parse(R"([{"op":"add","path":"/a/y","value":{"z":2}}])"));

  SubscribeOptions deep;
  deep.glob = "/c/y/**";
  Inbox inbox;
  Subscription deep_subscription = listen(t.repo, inbox, deep);
  t.set("/c", json{{"x", 1}, {"y", {{"z", 2}}}});
  REQUIRE(inbox.now().size() == 1);
  CHECK(inbox.now()[0].patch == json::parse(R"([{"op":"add","path":"/c","value":{"y":{"z":2}}}])"));
  CHECK(subscription->stats().delivered == 2);
}

TEST_CASE("events: a subscription sees only its branch, and a malformed one is refused",
          "[events]") {
  TestRepo t;
  REQUIRE(gitstate::create_branch(t.repo, "exp").is_ok());
  Inbox inbox;
  SubscribeOptions options;
  options.branch = "exp";
  Subscription subscription = listen(t.repo, inbox, options);
  t.set("/a", 1);
  Oid on_exp = t.set("/a", 2, "", "exp");
  REQUIRE(inbox.now().size() == 1);
  CHECK(inbox.now()[0].commit.id == on_exp);
  CHECK(inbox.now()[0].branch == "exp");

  auto noop = [](const Event&) {};
  options.glob = "no-slash";
  CHECK(gitstate::subscribe(t.repo, options, noop).status().code() == gitstate::Code::kInvalid);
  options.glob = "/**";
  options.branch = "bad..name";
  CHECK(gitstate::subscribe(t.repo, options, noop).status().code() == gitstate::Code::kInvalid);
  CHECK(gitstate::subscribe(t.repo, {}, nullptr).status().code() == gitstate::Code::kInvalid);
}

TEST_CASE("events: commits racing on one branch are delivered in the order the ref moved",
          "[events]") {
  TestRepo t;
  Inbox sync_inbox, async_inbox;
  Subscription sync = listen(t.repo, sync_inbox);
  SubscribeOptions async_options;
  async_options.delivery = Delivery::kAsync;
  Subscription async = listen(t.repo, async_inbox, async_options);
  constexpr int kThreads = 4, kCommits = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      for (int n = 0; n < kCommits; ++n) {
        auto tx = t.repo.begin();
        if (!tx.is_ok() ||
            !tx->set("/t" + std::to_string(i) + "/" + std::to_string(n), n).is_ok() ||
            !tx->commit().is_ok())
          ++failures;
      }
    });
  for (std::thread& thread : threads) thread.join();
  REQUIRE(failures == 0);
  std::vector<Oid> landed = history(t.repo);
  REQUIRE(landed.size() == kThreads * kCommits);
  CHECK(commit_ids(sync_inbox.wait_for(landed.size())) == landed);
  CHECK(commit_ids(async_inbox.wait_for(landed.size())) == landed);
  std::vector<Event> events = sync_inbox.now();
  for (size_t i = 1; i < events.size(); ++i) CHECK(events[i].sequence > events[i - 1].sequence);
}

TEST_CASE("events: a throwing subscriber changes neither the commit nor other subscribers",
          "[events]") {
  TestRepo t;
  auto thrower = gitstate::subscribe(
      t.repo, {}, [](const Event&) { throw std::runtime_error("subscriber bug"); });
  REQUIRE(thrower.is_ok());
  Inbox inbox;
  Subscription other = listen(t.repo, inbox);
  Oid first = t.set("/a", 1);
  Oid second = t.set("/a", 2);
  CHECK(t.get("/a") == 2);
  CHECK(commit_ids(inbox.now()) == std::vector<Oid>{first, second});
  CHECK(thrower->stats().thrown == 2);
  CHECK(thrower->stats().delivered == 0);
}

TEST_CASE("events: a slow subscriber's full queue ends in a kMissed event, commits go on",
          "[events]") {
  TestRepo t;
  std::mutex gate_mutex;
  std::condition_variable gate_changed;
  bool open = false, blocked = false;
  Inbox inbox;
  SubscribeOptions options;
  options.delivery = Delivery::kAsync;
  options.queue_capacity = 2;
  auto slow = gitstate::subscribe(t.repo, options, [&](const Event& event) {
    std::unique_lock lock(gate_mutex);
    blocked = true;
    gate_changed.notify_all();
    gate_changed.wait_for(lock, std::chrono::seconds(30), [&] { return open; });
    lock.unlock();
    inbox.add(event);
  });
  REQUIRE(slow.is_ok());
  Inbox fast;
  Subscription quick = listen(t.repo, fast);

  std::vector<Oid> commits{t.set("/n", 0)};
  {
    std::unique_lock lock(gate_mutex);
    REQUIRE(gate_changed.wait_for(lock, std::chrono::seconds(30), [&] { return blocked; }));
  }
  // The callback holds the first event: two more fill the queue, the rest are missed.
  for (int n = 1; n < 10; ++n) commits.push_back(t.set("/n", n));
  CHECK(commit_ids(fast.now()) == commits);
  {
    std::lock_guard lock(gate_mutex);
    open = true;
    gate_changed.notify_all();
  }
  std::vector<Event> got = inbox.wait_for(4);
  REQUIRE(got.size() == 4);
  CHECK(commit_ids({got.begin(), got.begin() + 3}) ==
        std::vector<Oid>{commits[0], commits[1], commits[2]});
  CHECK(got[3].kind == EventKind::kMissed);
  CHECK(got[3].missed == 7);
  CHECK(got[3].old_head == commits[2]);
  CHECK(got[3].new_head == commits[9]);
  CHECK(slow->stats().missed == 7);
  Oid after = t.set("/n", 10);
  got = inbox.wait_for(5);
  CHECK(got[4].commit.id == after);
}

TEST_CASE("events: unsubscribing inside a callback, and a repository closed under subscriptions",
          "[events]") {
  TestRepo t;
  int calls = 0;
  Subscription self;
  auto made = gitstate::subscribe(t.repo, {}, [&](const Event&) {
    ++calls;
    self.reset();
  });
  REQUIRE(made.is_ok());
  self = std::move(made).value();
  t.set("/a", 1);
  t.set("/a", 2);
  CHECK(calls == 1);

  std::atomic<int> async_calls{0};
  Subscription async_self;
  std::mutex self_mutex;
  SubscribeOptions options;
  options.delivery = Delivery::kAsync;
  Inbox done;
  auto async_made = gitstate::subscribe(t.repo, options, [&](const Event& event) {
    ++async_calls;
    std::lock_guard lock(self_mutex);
    async_self.reset();
    done.add(event);
  });
  REQUIRE(async_made.is_ok());
  {
    std::lock_guard lock(self_mutex);
    async_self = std::move(async_made).value();
  }
  t.set("/a", 3);
  done.wait_for(1);
  t.set("/a", 4);
  CHECK(async_calls == 1);

  Inbox inbox;
  Subscription outlives_sync, outlives_async;
  {
    auto repo = gitstate::Repository::open(t.path());
    REQUIRE(repo.is_ok());
    outlives_sync = listen(*repo, inbox);
    outlives_async = listen(*repo, inbox, options);
    auto tx = repo->begin();
    REQUIRE(tx.is_ok());
    REQUIRE(tx->set("/b", 1).is_ok());
    REQUIRE(tx->commit().is_ok());
    inbox.wait_for(2);
  }
  // The bus is gone with the last handle; the subscriptions still answer.
  CHECK(outlives_sync.stats().delivered == 1);
  CHECK(outlives_async.stats().delivered == 1);
  outlives_sync.reset();
  outlives_async.reset();
}

TEST_CASE("events: branches created, moved and deleted, and merges finished or stopped",
          "[events]") {
  TestRepo t;
  Inbox inbox;
  Subscription subscription = listen(t.repo, inbox);
  Oid root = *t.repo.resolve();
  REQUIRE(gitstate::create_branch(t.repo, "exp").is_ok());
  Oid ahead = t.set("/a", 1, "", "exp");
  REQUIRE(gitstate::fast_forward(t.repo, "main", "exp").is_ok());
  std::vector<Event> got = inbox.wait_for(3);
  CHECK(got[0].kind == EventKind::kBranchCreated);
  CHECK(got[0].branch == "exp");
  CHECK(got[0].new_head == root);
  CHECK(got[1].kind == EventKind::kCommit);
  CHECK(got[2].kind == EventKind::kBranchMoved);
  CHECK(got[2].fast_forward);
  CHECK(got[2].old_head == root);
  CHECK(got[2].new_head == ahead);

  Oid theirs = t.set("/b", 1, "", "exp");
  auto merged = gitstate::merge(t.repo, "exp");
  REQUIRE(merged.is_ok());
  REQUIRE(merged->kind == gitstate::MergeKind::kFastForward);
  got = inbox.wait_for(6);
  CHECK(got[4].kind == EventKind::kBranchMoved);
  CHECK(got[5].kind == EventKind::kMergeFinished);
  CHECK(got[5].fast_forward);
  CHECK(got[5].source == theirs);
  CHECK(got[5].new_head == theirs);

  auto diverge_and_merge = [&](const std::string& path, gitstate::MergeKind kind) {
    t.set(path, 1);
    t.set(path == "/c" ? "/d" : path, 2, "", "exp");
    auto outcome = gitstate::merge(t.repo, "exp");
    REQUIRE(outcome.is_ok());
    REQUIRE(outcome->kind == kind);
    return *outcome;
  };
  merged = diverge_and_merge("/c", gitstate::MergeKind::kMerged);
  got = inbox.wait_for(10);
  CHECK(got[8].kind == EventKind::kCommit);
  CHECK(got[8].commit.id == merged->head);
  CHECK(got[8].patch == json::parse(R"([{"op":"add","path":"/d","value":2}])"));
  CHECK(got[9].kind == EventKind::kMergeFinished);
  CHECK_FALSE(got[9].fast_forward);
  CHECK(got[9].operation == "merge");

  diverge_and_merge("/e", gitstate::MergeKind::kConflicted);
  got = inbox.wait_for(13);
  CHECK(got[12].kind == EventKind::kMergeStopped);
  CHECK(got[12].branch == "main");
  CHECK(got[12].conflicts == std::vector<std::string>{"/e"});
  REQUIRE(gitstate::abort_merge(t.repo).is_ok());

  Oid exp_head = *t.repo.resolve("exp");
  REQUIRE(gitstate::delete_branch(t.repo, "exp").is_ok());
  got = inbox.wait_for(14);
  CHECK(got[13].kind == EventKind::kBranchDeleted);
  CHECK(got[13].old_head == exp_head);
}

TEST_CASE("events: a perspective restricts deltas as a view would", "[events]") {
  TestRepo t;
  std::map<std::string, gitstate::PerspectiveDef> defs;
  defs["public"] = {"public", {"/config/**"}, {"/config/secret"}, std::nullopt};
  auto resolved = gitstate::resolve_perspective(
      "public", [&](const std::string& name) -> gitstate::Result<gitstate::PerspectiveDef> {
        auto it = defs.find(name);
        if (it == defs.end()) return gitstate::not_found(name);
        return it->second;
      });
  REQUIRE(resolved.is_ok());
  Inbox inbox;
  SubscribeOptions options;
  options.perspective = *resolved;
  Subscription subscription = listen(t.repo, inbox, options);
  auto tx = t.repo.begin();
  REQUIRE(tx.is_ok());
  REQUIRE(tx->set("/config", json{{"port", 80}, {"secret", "s3"}}).is_ok());
  REQUIRE(tx->set("/other", 1).is_ok());
  REQUIRE(tx->commit().is_ok());
  t.set("/config/secret", "s4");
  t.set("/config/port", 81);
  std::vector<Event> got = inbox.now();
  REQUIRE(got.size() == 2);
  CHECK(got[0].patch == json::parse(R"([{"op":"add","path":"/config","value":{"port":80}}])"));
  CHECK(got[1].patch == json::parse(R"([{"op":"replace","path":"/config/port","value":81}])"));
}

TEST_CASE("events: a batch's commits arrive one by one after it lands, and callbacks may commit",
          "[events]") {
  TestRepo t;
  REQUIRE(gitstate::create_branch(t.repo, "audit").is_ok());
  std::vector<Event> got;
  SubscribeOptions options;
  options.branch = "main";
  // Committing from inside the callback: no gitstate lock is held there.
  auto subscription = gitstate::subscribe(t.repo, options, [&](const Event& event) {
    got.push_back(event);
    t.set("/seen/" + std::to_string(got.size()), event.commit.id.hex(), "", "audit");
  });
  REQUIRE(subscription.is_ok());
  auto batch = gitstate::Batch::start(t.repo);
  REQUIRE(batch.is_ok());
  std::vector<Oid> made;
  for (int i = 0; i < 3; ++i) {
    auto tx = batch->begin();
    REQUIRE(tx.is_ok());
    REQUIRE(tx->set("/n", i).is_ok());
    auto outcome = tx->commit();
    REQUIRE(outcome.is_ok());
    made.push_back(outcome->commit);
  }
  CHECK(got.empty());
  auto head = batch->finish();
  REQUIRE(head.is_ok());
  CHECK(commit_ids(got) == made);
  CHECK(got[2].new_head == *head);
  CHECK(t.get("/seen/3", "audit") == head->hex());
}

TEST_CASE("events: a handle bound to a perspective sees events as its reads would", "[events]") {
  TestRepo t;
  REQUIRE(
      gitstate::define_perspective(t.repo, {"public", {"/config/**"}, {"/**/secret"}, {}}).is_ok());
  auto bound = t.repo.through("public");
  REQUIRE(bound.is_ok());
  Inbox inbox;
  SubscribeOptions options;
  options.delivery = GENERATE(Delivery::kSync, Delivery::kAsync);
  Subscription subscription = listen(*bound, inbox, options);

  Oid visible = t.set("/config/port", 80);
  Oid hidden_only = t.set("/config/secret", "s3cret-value");
  Oid outside = t.set("/elsewhere", "s3cret-too");
  Oid after = t.set("/config/port", 81);
  REQUIRE(t.repo.resolve("main").value() == after);
  std::vector<Event> got = inbox.wait_for(2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a third event would show here
  got = inbox.now();
  REQUIRE(commit_ids(got) == std::vector<Oid>{visible, after});
  // The second commit's parent is shown as the nearest visible commit, never the hidden ones.
  CHECK(got[1].commit.parents == std::vector<Oid>{visible});
  CHECK(got[1].old_head == visible);
  auto view = bound->state_tree(after.hex());
  REQUIRE(view.is_ok());
  CHECK(got[1].commit.tree == *view);
  CHECK(*view != t.info(after).tree);
  std::string dumped;
  for (const Event& event : got) {
    dumped += event.patch.dump() + event.commit.tree.hex();
    for (const Oid& parent : event.commit.parents) dumped += parent.hex();
    if (event.old_head) dumped += event.old_head->hex();
  }
  for (const std::string& secret :
       {std::string("s3cret"), hidden_only.hex(), outside.hex(), t.info(after).tree.hex()})
    CHECK(dumped.find(secret) == std::string::npos);
}
