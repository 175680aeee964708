#include "gitstate/plumbing/tree_diff.h"

#include <catch2/catch.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_edit.h"
#include "plumbing/random_json.h"

using namespace gitstate;
using json = nlohmann::json;
using gitstate::test::RandomJson;

namespace {
// Randomly mutates objects in `value`: changes, removes, adds members and
// replaces values with values of other types.
void mutate(RandomJson& gen, json& value, size_t depth) {
  if (!value.is_object()) return;
  std::vector<std::string> keys;
  for (auto it = value.begin(); it != value.end(); ++it) keys.push_back(it.key());
  for (const std::string& key : keys) {
    size_t pick = gen.below(12);
    if (pick == 0) {
      value.erase(key);
    } else if (pick == 1) {
      value[key] = gen.value(2);
    } else if (pick < 6 && depth > 0) {
      mutate(gen, value[key], depth - 1);
    }
  }
  if (gen.chance(0.3)) value[gen.key()] = gen.value(2);
}

json leaves_state(size_t sections, size_t groups, size_t keys) {
  json state = json::object();
  for (size_t s = 0; s < sections; ++s)
    for (size_t g = 0; g < groups; ++g)
      for (size_t k = 0; k < keys; ++k)
        state["s" + std::to_string(s)]["g" + std::to_string(g)]["k" + std::to_string(k)] =
            s * 1000 + g * 10 + k;
  return state;
}
}  // namespace

TEST_CASE("diff reports changes at the deepest path where both sides are objects") {
  ObjectStore store(make_memory_backend());
  json before = {{"a", {{"x", 1}, {"y", {1, 2}}}},
                 {"b", {{"c", {{"d", true}}}}},
                 {"gone", "g"},
                 {"t", {{"o", 1}}}};
  json after = {{"a", {{"x", 2}, {"y", {1, 2}}}},
                {"b", {{"c", {{"d", true}, {"e", nullptr}}}}},
                {"new", {{"n", 1}}},
                {"t", 5}};
  Oid old_root = write_state(store, before).value();
  Oid new_root = write_state(store, after).value();
  auto changes = diff_trees(store, old_root, new_root).value();
  REQUIRE(changes.size() == 5);
  CHECK(changes[0].path == Path{"a", "x"});
  CHECK(changes[0].kind == ChangeKind::kModified);
  CHECK(changes[0].old_value == json(1));
  CHECK(changes[0].new_value == json(2));
  CHECK(changes[1].path == Path{"b", "c", "e"});
  CHECK(changes[1].kind == ChangeKind::kAdded);
  CHECK(!changes[1].old_value);
  CHECK(changes[1].new_value == json(nullptr));
  CHECK(changes[2].path == Path{"gone"});
  CHECK(changes[2].kind == ChangeKind::kRemoved);
  CHECK(changes[2].old_value == json("g"));
  CHECK(changes[3].path == Path{"new"});
  CHECK(changes[3].new_value == json{{"n", 1}});
  CHECK(changes[4].path == Path{"t"});
  CHECK(changes[4].kind == ChangeKind::kModified);
  CHECK(changes[4].old_value == json{{"o", 1}});

  json patch = to_json_patch(changes);
  CHECK(patch[0] == json{{"op", "replace"}, {"path", "/a/x"}, {"value", 2}});
  CHECK(patch[1] == json{{"op", "add"}, {"path", "/b/c/e"}, {"value", nullptr}});
  CHECK(patch[2] == json{{"op", "remove"}, {"path", "/gone"}});
  CHECK(before.patch(patch) == after);

  CHECK(diff_trees(store, old_root, old_root).value().empty());
}

TEST_CASE("diff without values still says what kind of change") {
  ObjectStore store(make_memory_backend());
  Oid old_root = write_state(store, {{"a", 1}, {"b", 2}}).value();
  Oid new_root = write_state(store, {{"a", 3}, {"c", 4}}).value();
  auto changes = diff_trees(store, old_root, new_root, {{}, false}).value();
  REQUIRE(changes.size() == 3);
  CHECK(changes[0].kind == ChangeKind::kModified);
  CHECK(changes[1].kind == ChangeKind::kRemoved);
  CHECK(changes[2].kind == ChangeKind::kAdded);
  for (const Change& change : changes) CHECK((!change.old_value && !change.new_value));
  json patch = to_json_patch(changes);
  CHECK(patch[0] == json{{"op", "replace"}, {"path", "/a"}});
  CHECK(patch[2] == json{{"op", "add"}, {"path", "/c"}});
}

TEST_CASE("diff restricted to a subtree") {
  ObjectStore store(make_memory_backend());
  Oid old_root = write_state(store, {{"a", {{"x", 1}, {"y", 1}}}, {"b", 1}, {"s", 1}}).value();
  Oid new_root =
      write_state(store, {{"a", {{"x", 2}, {"y", 1}}}, {"b", 2}, {"s", {{"t", 1}}}}).value();
  auto under_a = diff_trees(store, old_root, new_root, {{"a"}}).value();
  REQUIRE(under_a.size() == 1);
  CHECK(under_a[0].path == Path{"a", "x"});
  auto under_b = diff_trees(store, old_root, new_root, {{"b"}}).value();
  REQUIRE(under_b.size() == 1);
  CHECK(under_b[0].path == Path{"b"});
  CHECK(under_b[0].new_value == json(2));
  // /s/t goes through a scalar on the old side: absent there.
  auto under_st = diff_trees(store, old_root, new_root, {{"s", "t"}}).value();
  REQUIRE(under_st.size() == 1);
  CHECK(under_st[0].kind == ChangeKind::kAdded);
  CHECK(diff_trees(store, old_root, new_root, {{"a", "y"}}).value().empty());
  CHECK(diff_trees(store, old_root, new_root, {{"nothing", "here"}}).value().empty());
}

TEST_CASE("random pairs: the patch turns old into new") {
  ObjectStore store(make_memory_backend());
  RandomJson gen(4242);
  for (int i = 0; i < 400; ++i) {
    json before = gen.object(4, 8);
    json after = before;
    mutate(gen, after, 3);
    Oid old_root = write_state(store, before).value();
    Oid new_root = write_state(store, after).value();
    auto changes = diff_trees(store, old_root, new_root);
    REQUIRE(changes.is_ok());
    json patch = to_json_patch(*changes);
    INFO(patch.dump());
    CHECK(before.patch(patch) == after);
    CHECK(std::is_sorted(changes->begin(), changes->end(),
                         [](const Change& a, const Change& b) { return a.path < b.path; }));
    for (const Change& change : *changes) CHECK(change.old_value != change.new_value);
    auto back = diff_trees(store, new_root, old_root).value();
    CHECK(after.patch(to_json_patch(back)) == before);
    CHECK(back.size() == changes->size());
  }
}

TEST_CASE("diff across fanout, bucket by bucket and across the threshold") {
  ObjectStore store(make_memory_backend());
  RandomJson gen(5);
  for (size_t size : {kFanoutThreshold - 3, kFanoutThreshold + 3, size_t{3000}}) {
    json before = json::object();
    for (size_t i = 0; i < size; ++i) before["m" + std::to_string(i)] = {{"v", i}};
    for (int round = 0; round < 10; ++round) {
      json after = before;
      for (size_t n = gen.below(12); n > 0; --n) after.erase("m" + std::to_string(gen.below(size)));
      for (size_t n = gen.below(12); n > 0; --n) after["x" + std::to_string(gen.below(100))] = n;
      for (size_t n = gen.below(5); n > 0; --n)
        after["m" + std::to_string(gen.below(size))]["v"] = "changed";
      Oid old_root = write_state(store, {{"o", before}}).value();
      Oid new_root = write_state(store, {{"o", after}}).value();
      auto changes = diff_trees(store, old_root, new_root).value();
      INFO("size " << size << ", round " << round);
      CHECK(json{{"o", before}}.patch(to_json_patch(changes)) == json{{"o", after}});
    }
  }
}

TEST_CASE("the cost of a diff follows the change, not the state") {
  ObjectStore store(make_memory_backend());
  // 100,000 leaves: 1000 sections of 100 leaves, plus one 20,000-member map.
  json state = leaves_state(1000, 10, 10);
  for (size_t i = 0; i < 20000; ++i) state["map"]["m" + std::to_string(i)] = i;
  Oid old_root = write_state(store, state).value();
  std::vector<Edit> edits;
  for (size_t i = 0; i < 5; ++i)
    edits.push_back({{"s" + std::to_string(i * 97), "g3", "k4"}, json("changed")});
  for (size_t i = 0; i < 5; ++i)
    edits.push_back({{"map", "m" + std::to_string(i * 3001)}, json(-1)});
  Oid new_root = apply_edits(store, old_root, edits).value();
  DiffStats stats;
  auto changes = diff_trees(store, old_root, new_root, {}, &stats).value();
  CHECK(changes.size() == 10);
  // Each changed leaf costs its root-to-leaf path on both sides: a handful of
  // trees, never the 1000 sections or 20,000 members.
  CHECK(stats.trees_read <= 2 * 10 * 4 + 2);
  CHECK(stats.trees_read >= 2 * 10);
  CHECK(stats.entries_compared < 5000);
  CHECK(stats.entries_compared > 10);
}
