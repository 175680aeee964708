#include "gitstate/plumbing/view_cache.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "gitstate/plumbing/codec.h"

using namespace gitstate;
using json = nlohmann::json;

namespace {
Oid tree_id(int n) { return hash_object(ObjectType::kTree, std::to_string(n)); }

ViewCache::Key key(int n, bool marked = false) {
  return ViewCache::Key{tree_id(n), digest128("perspective"), marked};
}

ResolvedPerspective perspective(const std::vector<std::string>& include) {
  PerspectiveDef def{"p", include, {}, std::nullopt};
  return resolve_perspective("p", [&](const std::string&) -> Result<PerspectiveDef> { return def; })
      .value();
}
}  // namespace

TEST_CASE("view cache: remembers views and forgets the least recently used") {
  ViewCache cache(2);
  CHECK(!cache.find(key(1)));
  cache.insert(key(1), tree_id(101));
  cache.insert(key(2), tree_id(102));
  CHECK(cache.find(key(1)) == tree_id(101));  // 1 is now the most recently used
  cache.insert(key(3), tree_id(103));         // forgets 2
  CHECK(!cache.find(key(2)));
  CHECK(cache.find(key(1)) == tree_id(101));
  CHECK(cache.find(key(3)) == tree_id(103));
  CHECK(!cache.find(key(1, true)));  // marked views are other views
  ViewCache::Stats stats = cache.stats();
  CHECK(stats.entries == 2);
  CHECK(stats.hits == 3);
  CHECK(stats.misses == 3);

  ViewCache none(0);
  none.insert(key(1), tree_id(101));
  CHECK(!none.find(key(1)));
}

TEST_CASE("view cache: a repeated view is a lookup") {
  ObjectStore store(make_memory_backend());
  Oid root = write_state(store, json{{"a", {{"x", 1}}}, {"b", 2}}).value();
  ViewCache cache;
  ResolvedPerspective only_a = perspective({"/a/x"});
  FilterStats stats;
  Oid first = cached_view(store, cache, root, only_a, &stats).value();
  CHECK(first == write_state(store, json{{"a", {{"x", 1}}}}).value());
  CHECK(stats.trees_read > 0);
  Oid again = cached_view(store, cache, root, only_a, &stats).value();
  CHECK(again == first);
  CHECK(stats.trees_read == 0);
  CHECK(cache.stats().hits == 1);

  // Another perspective, or marks, are other keys.
  CHECK(cached_view(store, cache, root, perspective({"/b"}), nullptr).value() ==
        write_state(store, json{{"b", 2}}).value());
  ResolvedPerspective marked = only_a;
  marked.filter.mark_hidden = true;
  CHECK(cached_view(store, cache, root, marked).is_ok());
  CHECK(cache.stats().entries == 3);

  // Failures are not remembered.
  Oid missing = hash_object(ObjectType::kTree, "absent");
  CHECK(cached_view(store, cache, missing, only_a).status().code() == Code::kNotFound);
  CHECK(cache.stats().entries == 3);
}

TEST_CASE("view cache: safe to share between threads") {
  ViewCache cache(64);
  std::atomic<int> wrong{0};  // Catch2's assertions are not thread-safe: count, check after
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&cache, &wrong, t] {
      for (int i = 0; i < 2000; ++i) {
        int n = (i * 7 + t) % 100;
        if (auto found = cache.find(key(n))) {
          if (*found != tree_id(1000 + n)) ++wrong;
        } else {
          cache.insert(key(n), tree_id(1000 + n));
        }
      }
    });
  for (std::thread& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(cache.stats().entries == 64);
}
