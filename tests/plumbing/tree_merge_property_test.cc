// Properties of merge_trees on random states and random edits (seeded, small).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_diff.h"
#include "gitstate/plumbing/tree_merge.h"
#include "plumbing/random_json.h"
#include "plumbing/tree_merge_fixture.h"
#include "tree_merge_internal.h"

using namespace gitstate;
using json = nlohmann::json;
using gitstate::test::RandomJson;
using OptJson = std::optional<json>;

namespace {
bool same(const OptJson& a, const OptJson& b) { return merge_internal::same_value(a, b); }

// The value at `path` walking objects only (absent through anything else),
// which is how merge paths name values.
OptJson value_at(const json& state, const Path& path) {
  const json* at = &state;
  for (const std::string& token : path) {
    if (!at->is_object() || !at->contains(token)) return std::nullopt;
    at = &(*at)[token];
  }
  return *at;
}

// Edits `state` at random places: sets (any type, so type changes too),
// removals, new members, emptied objects, and deeper edits inside objects.
void random_edits(RandomJson& gen, json& state, size_t count) {
  for (size_t n = 0; n < count; ++n) {
    json* object = &state;
    while (!object->empty() && gen.chance(0.5)) {
      auto it = object->begin();
      std::advance(it, gen.below(object->size()));
      if (!it->is_object()) break;
      object = &*it;
    }
    std::string key = gen.key();
    if (!object->empty() && gen.chance(0.7)) {
      auto it = object->begin();
      std::advance(it, gen.below(object->size()));
      key = it.key();
    }
    switch (gen.below(5)) {
      case 0:
        object->erase(key);
        break;
      case 1:
        (*object)[key] = json::object();
        break;
      default:
        (*object)[key] = gen.value(2);
    }
  }
}

struct Sides {
  json base, ours, theirs;
};

Sides random_sides(RandomJson& gen) {
  Sides s;
  s.base = gen.object(4, 8);
  s.ours = s.base;
  s.theirs = s.base;
  random_edits(gen, s.ours, gen.below(5));
  random_edits(gen, s.theirs, gen.below(5));
  return s;
}

using Fixture = gitstate::test::MergeFixture;

std::string describe(const Sides& s) {
  return "base " + s.base.dump() + "\nours " + s.ours.dump() + "\ntheirs " + s.theirs.dump();
}

// Checks that every conflict is a path changed differently on both sides
// and that the merged state holds ours there (Fixture::merge checks history
// independence).
void check_conflicts(Fixture& f, const Sides& s, const MergeResult& result) {
  json merged = f.read(result.tree);
  for (const Conflict& c : result.conflicts) {
    INFO("conflict at " << format_pointer(c.path));
    CHECK(same(c.base, value_at(s.base, c.path)));
    CHECK(same(c.ours, value_at(s.ours, c.path)));
    CHECK(same(c.theirs, value_at(s.theirs, c.path)));
    CHECK(!same(c.base, c.ours));
    CHECK(!same(c.base, c.theirs));
    CHECK(!same(c.ours, c.theirs));
    CHECK(same(value_at(merged, c.path), c.ours));
  }
}

// The changes of `from` -> `to` that touch no path of `avoid` (neither at,
// above nor below one).
std::vector<Change> disjoint_changes(const std::vector<Change>& changes,
                                     const std::vector<Change>& avoid) {
  auto prefix = [](const Path& a, const Path& b) {
    return a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
  };
  std::vector<Change> out;
  for (const Change& change : changes) {
    bool touches = std::any_of(avoid.begin(), avoid.end(), [&](const Change& other) {
      return prefix(change.path, other.path) || prefix(other.path, change.path);
    });
    if (!touches) out.push_back(change);
  }
  return out;
}
}  // namespace

TEST_CASE("random merges: conflicts are real, symmetric, ids are history independent") {
  Fixture f, theirs_wins;
  theirs_wins.options.strategy = MergeStrategy::kTheirs;
  RandomJson gen(20240611);
  for (int i = 0; i < 400; ++i) {
    Sides s = random_sides(gen);
    INFO(describe(s));
    MergeResult result = f.merge(s.base, s.ours, s.theirs);
    check_conflicts(f, s, result);
    // The tree walk agrees with merging the whole states as JSON values.
    MergeResult expected;
    merge_internal::ConflictLog log(f.options);
    merge_internal::ValueMerger values(f.options, log);
    Path root;
    OptJson merged = values.merge(root, s.base, s.ours, s.theirs).value();
    log.finish(expected);
    CHECK(f.read(result.tree) == *merged);
    REQUIRE(result.conflicts.size() == expected.conflicts.size());
    for (size_t c = 0; c < expected.conflicts.size(); ++c)
      CHECK(result.conflicts[c].path == expected.conflicts[c].path);
    // Symmetric when clean; base == ours gives theirs, X with itself gives X.
    MergeResult backward = f.merge(s.base, s.theirs, s.ours);
    REQUIRE(result.conflicts.size() == backward.conflicts.size());
    if (result.clean) CHECK(result.tree == backward.tree);
    for (size_t c = 0; c < result.conflicts.size(); ++c) {
      CHECK(result.conflicts[c].path == backward.conflicts[c].path);
      CHECK(same(result.conflicts[c].ours, backward.conflicts[c].theirs));
    }
    // A strategy resolves exactly those conflicts, with its side's value.
    MergeResult resolved = theirs_wins.merge(s.base, s.ours, s.theirs);
    CHECK(resolved.clean);
    REQUIRE(resolved.resolved.size() == result.conflicts.size());
    json resolved_state = theirs_wins.read(resolved.tree);
    for (size_t c = 0; c < result.conflicts.size(); ++c) {
      CHECK(resolved.resolved[c].conflict.path == result.conflicts[c].path);
      CHECK(same(value_at(resolved_state, result.conflicts[c].path), result.conflicts[c].theirs));
    }
    Oid ours = f.state(s.ours), theirs = f.state(s.theirs);
    CHECK(f.merge(s.base, s.base, s.theirs).tree == theirs);
    CHECK(f.merge(s.base, s.ours, s.base).tree == ours);
    CHECK(f.merge(s.ours, s.ours, s.ours).tree == ours);
    CHECK(f.merge(s.base, s.theirs, s.theirs).tree == theirs);
  }
}

TEST_CASE("random merges: disjoint changes merge cleanly into both deltas") {
  Fixture f;
  RandomJson gen(77);
  for (int i = 0; i < 400; ++i) {
    Sides s = random_sides(gen);
    Oid base = f.state(s.base);
    auto ours_changes = diff_trees(f.store, base, f.state(s.ours)).value();
    auto theirs_changes =
        disjoint_changes(diff_trees(f.store, base, f.state(s.theirs)).value(), ours_changes);
    s.theirs = s.base.patch(to_json_patch(theirs_changes));
    json both = s.ours.patch(to_json_patch(theirs_changes));
    INFO(describe(s));
    MergeResult result = f.merge(s.base, s.ours, s.theirs);
    CHECK(result.clean);
    CHECK(result.tree == f.state(both));
    CHECK(f.merge(s.base, s.theirs, s.ours).tree == result.tree);
  }
}

TEST_CASE("random merges of large objects around the fanout threshold") {
  Fixture f;
  RandomJson gen(4096);
  for (int i = 0; i < 60; ++i) {
    size_t size = kFanoutThreshold - 20 + gen.below(40);
    json map = json::object();
    for (size_t m = 0; m < size; ++m) map["m" + std::to_string(m)] = m;
    Sides s{{{"map", map}, {"x", 1}}, {}, {}};
    s.ours = s.base;
    s.theirs = s.base;
    for (json* side : {&s.ours, &s.theirs}) {
      json& object = (*side)["map"];
      for (size_t n = gen.below(30); n > 0; --n)
        object.erase("m" + std::to_string(gen.below(size)));
      for (size_t n = gen.below(30); n > 0; --n) {
        size_t k = gen.below(60);
        object["n" + std::to_string(k)] = k;  // the same value when both sides add it
      }
      for (size_t n = gen.below(4); n > 0; --n) object["m" + std::to_string(gen.below(size))] = "v";
    }
    INFO("round " << i);
    MergeResult result = f.merge(s.base, s.ours, s.theirs);
    check_conflicts(f, s, result);
    if (result.clean) CHECK(result.tree == f.merge(s.base, s.theirs, s.ours).tree);
  }
}

namespace {
// A keyed list of {"id", "v"} elements with unique ids from a small pool, so
// both sides sometimes add the same id.
json random_list(RandomJson& gen) {
  json list = json::array();
  for (size_t n = gen.below(7); n > 0; --n) {
    std::string id = "e" + std::to_string(gen.below(12));
    if (std::none_of(list.begin(), list.end(), [&](const json& e) { return e["id"] == id; }))
      list.push_back({{"id", id}, {"v", gen.below(3)}});
  }
  return list;
}

void edit_list(RandomJson& gen, json& list) {
  for (size_t n = gen.below(4); n > 0; --n) {
    size_t pick = gen.below(5);
    if (pick == 0 && !list.empty()) {
      list.erase(gen.below(list.size()));
    } else if (pick == 1) {
      std::string id = "e" + std::to_string(gen.below(12));
      if (std::none_of(list.begin(), list.end(), [&](const json& e) { return e["id"] == id; }))
        list.insert(list.begin() + gen.below(list.size() + 1), json{{"id", id}, {"v", 9}});
    } else if (pick == 2 && !list.empty()) {
      list[gen.below(list.size())]["w"] = gen.below(2);
    } else if (pick == 3 && list.size() > 1) {
      std::shuffle(list.begin(), list.end(), gen.rng());
    } else if (!list.empty()) {
      list[gen.below(list.size())]["v"] = gen.below(3);
    }
  }
}

std::map<std::string, json> by_id(const json& list) {
  std::map<std::string, json> out;
  for (const json& element : list) out["id=" + element["id"].get<std::string>()] = element;
  return out;
}

OptJson element(const std::map<std::string, json>& elements, const std::string& token) {
  auto it = elements.find(token);
  if (it == elements.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> ids(const json& list) {
  std::vector<std::string> out;
  for (const json& e : list) out.push_back("id=" + e["id"].get<std::string>());
  return out;
}

// Keeps the tokens of `order` that are in `keep`.
std::vector<std::string> only(const std::vector<std::string>& order,
                              const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const std::string& t : order) {
    if (std::find(keep.begin(), keep.end(), t) != keep.end()) out.push_back(t);
  }
  return out;
}
}  // namespace

TEST_CASE("random keyed-array merges: membership, contents, order and conflicts by identity") {
  Fixture f;
  f.options.keyed_arrays = {{PointerGlob::parse("/lists/*").value(), "id"}};
  RandomJson gen(99);
  for (int i = 0; i < 400; ++i) {
    json base_list = random_list(gen), ours_list = base_list, theirs_list = base_list;
    edit_list(gen, ours_list);
    edit_list(gen, theirs_list);
    Sides s{{{"lists", {{"l", base_list}}}},
            {{"lists", {{"l", ours_list}}}},
            {{"lists", {{"l", theirs_list}}}}};
    INFO(describe(s));
    MergeResult result = f.merge(s.base, s.ours, s.theirs);
    CHECK(result.fallbacks.empty());
    json merged = f.read(result.tree)["lists"]["l"];
    auto b = by_id(base_list), o = by_id(ours_list), t = by_id(theirs_list), m = by_id(merged);
    CHECK(m.size() == merged.size());  // identities stay unique
    std::set<std::string> tokens;
    for (const auto* side : {&b, &o, &t})
      for (const auto& [token, e] : *side) tokens.insert(token);
    std::map<std::string, const Conflict*> conflicts;
    for (const Conflict& c : result.conflicts) {
      REQUIRE(c.path.size() >= 3);
      conflicts[c.path[2]] = &c;
    }
    for (const std::string& token : tokens) {
      INFO(token);
      OptJson be = element(b, token), oe = element(o, token), te = element(t, token);
      OptJson me = element(m, token);
      if (same(oe, te) || same(be, te)) {
        CHECK(same(me, oe));
      } else if (same(be, oe)) {
        CHECK(same(me, te));
      } else if (!be || !oe || !te) {  // add/add, or a change against a removal
        REQUIRE(conflicts.count(token));
        CHECK(conflicts[token]->path.size() == 3);
        CHECK(same(me, oe));
      } else {  // both changed members of a shared element
        CHECK(me.has_value());
      }
    }
    // The order is the leading side's, for the elements it has.
    auto reordered = [&](const json& side) {
      return only(ids(side), ids(base_list)) != only(ids(base_list), ids(side));
    };
    const json& leading = reordered(theirs_list) && !reordered(ours_list) ? theirs_list : ours_list;
    CHECK(only(ids(merged), ids(leading)) == only(ids(leading), ids(merged)));
    // Contents do not depend on which side is ours.
    MergeResult swapped = f.merge(s.base, s.theirs, s.ours);
    CHECK(swapped.conflicts.size() == result.conflicts.size());
    if (result.clean) CHECK(by_id(f.read(swapped.tree)["lists"]["l"]) == m);
  }
}
