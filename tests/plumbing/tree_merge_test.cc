#include "gitstate/plumbing/tree_merge.h"

#include <catch2/catch.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_edit.h"
#include "plumbing/tree_merge_fixture.h"

using namespace gitstate;
using json = nlohmann::json;

namespace {
// Counts the objects written through it, to show a failed merge writes none.
class CountingBackend : public ObjectBackend {
 public:
  explicit CountingBackend(size_t& writes) : inner_(make_memory_backend()), writes_(writes) {}
  Result<Object> read(const Oid& id) override { return inner_->read(id); }
  bool contains(const Oid& id) override { return inner_->contains(id); }
  void write(const Oid& id, ObjectType type, std::string data) override {
    ++writes_;
    inner_->write(id, type, std::move(data));
  }
  Status flush(bool durable) override { return inner_->flush(durable); }
  size_t pending_count() override { return inner_->pending_count(); }

 private:
  std::unique_ptr<ObjectBackend> inner_;
  size_t& writes_;
};

PointerGlob glob(std::string_view pattern) { return PointerGlob::parse(pattern).value(); }

// Values of every JSON type, the empty containers included.
std::vector<json> every_type() {
  return {nullptr,
          true,
          false,
          0,
          -7,
          1.5,
          "",
          "text",
          json::array(),
          json{1, "two"},
          json::object(),
          json{{"x", 1}, {"y", {{"z", true}}}}};
}

struct Merge : gitstate::test::MergeFixture {
  MergeResult run(const json& base, const json& ours, const json& theirs) {
    return merge(base, ours, theirs);
  }
  // The merged JSON of a merge that must be clean.
  json clean(const json& base, const json& ours, const json& theirs) {
    MergeResult result = merge(base, ours, theirs);
    for (const Conflict& c : result.conflicts) INFO("conflict at " << format_pointer(c.path));
    CHECK(result.clean);
    return read(result.tree);
  }
};

// The "name" of each element of a keyed list, in order.
std::vector<std::string> names(const json& list) {
  std::vector<std::string> out;
  for (const json& element : list) out.push_back(element["name"]);
  return out;
}

std::optional<json> some(json value) { return value; }
}  // namespace

TEST_CASE("a change on one side only takes that side, for every type") {
  Merge m;
  for (const json& value : every_type()) {
    INFO(value.dump());
    json base = {{"keep", 1}, {"m", "old"}};
    // added, changed or removed by one side while the other changes something else
    CHECK(m.clean({{"keep", 1}}, {{"keep", 1}, {"m", value}}, {{"keep", 2}}) ==
          json{{"keep", 2}, {"m", value}});
    CHECK(m.clean({{"keep", 1}}, {{"keep", 2}}, {{"keep", 1}, {"m", value}}) ==
          json{{"keep", 2}, {"m", value}});
    CHECK(m.clean(base, {{"keep", 1}, {"m", value}}, {{"keep", 3}, {"m", "old"}}) ==
          json{{"keep", 3}, {"m", value}});
    CHECK(m.clean(base, {{"keep", 4}, {"m", "old"}}, {{"keep", 1}, {"m", value}}) ==
          json{{"keep", 4}, {"m", value}});
    json with_value = {{"keep", 1}, {"m", value}};
    CHECK(m.clean(with_value, {{"keep", 1}}, {{"keep", 5}, {"m", value}}) == json{{"keep", 5}});
    CHECK(m.clean(with_value, {{"keep", 6}, {"m", value}}, {{"keep", 1}}) == json{{"keep", 6}});
  }
}

TEST_CASE("equal changes on both sides are clean, for every type") {
  Merge m;
  for (const json& value : every_type()) {
    INFO(value.dump());
    CHECK(m.clean({{"m", "old"}}, {{"m", value}}, {{"m", value}}) == json{{"m", value}});
    CHECK(m.clean(json::object(), {{"m", value}}, {{"m", value}}) == json{{"m", value}});
    CHECK(m.clean({{"m", value}}, json::object(), json::object()) == json::object());
  }
  // 1 and 1.0 are the same value (the same blob).
  CHECK(m.clean({{"n", 0}}, {{"n", 1}}, {{"n", 1.0}}) == json{{"n", 1}});
}

TEST_CASE("merging a state with itself, or with an unchanged side, returns the other side") {
  Merge m;
  json a = {{"a", {{"x", 1}}}, {"list", {1, 2}}};
  json b = {{"a", {{"x", 2}, {"y", json::object()}}}, {"z", nullptr}};
  Oid ta = m.state(a), tb = m.state(b);
  CHECK(merge_trees(m.store, ta, ta, tb)->tree == tb);
  CHECK(merge_trees(m.store, ta, tb, ta)->tree == tb);
  CHECK(merge_trees(m.store, ta, tb, tb)->tree == tb);
  CHECK(merge_trees(m.store, tb, ta, ta)->tree == ta);
  MergeResult same = merge_trees(m.store, ta, ta, ta).value();
  CHECK(same.tree == ta);
  CHECK(same.clean);
  CHECK(same.stats.members_looked_up == 0);
}

TEST_CASE("different changes to the same scalar or array conflict, ours stays in the tree") {
  Merge m;
  std::vector<json> values = every_type();
  for (const json& ours : values) {
    for (const json& theirs : values) {
      if (ours == theirs || (ours.is_object() && theirs.is_object())) continue;
      INFO(ours.dump() << " vs " << theirs.dump());
      MergeResult result =
          m.run({{"m", "base"}, {"n", 1}}, {{"m", ours}, {"n", 1}}, {{"m", theirs}, {"n", 2}});
      CHECK(!result.clean);
      REQUIRE(result.conflicts.size() == 1);
      const Conflict& c = result.conflicts[0];
      CHECK(c.path == Path{"m"});
      CHECK(c.base == some("base"));
      CHECK(c.ours == some(ours));
      CHECK(c.theirs == some(theirs));
      CHECK(m.read(result.tree) == json{{"m", ours}, {"n", 2}});
    }
  }
}

TEST_CASE("a change against a removal conflicts, whole values on each side") {
  Merge m;
  for (const json& value : every_type()) {
    INFO(value.dump());
    MergeResult result = m.run({{"m", "base"}}, {{"m", value}}, json::object());
    REQUIRE(result.conflicts.size() == 1);
    CHECK(result.conflicts[0].path == Path{"m"});
    CHECK(result.conflicts[0].ours == some(value));
    CHECK(!result.conflicts[0].theirs);
    CHECK(m.read(result.tree) == json{{"m", value}});

    result = m.run({{"m", "base"}}, json::object(), {{"m", value}});
    REQUIRE(result.conflicts.size() == 1);
    CHECK(!result.conflicts[0].ours);
    CHECK(result.conflicts[0].theirs == some(value));
    CHECK(m.read(result.tree) == json::object());  // ours removed it
  }
  // Removing an object against a change deep inside it: one conflict, at the object.
  json base = {{"cfg", {{"db", {{"port", 1}}}, {"x", 1}}}};
  json theirs = {{"cfg", {{"db", {{"port", 2}}}, {"x", 1}}}};
  MergeResult result = m.run(base, json::object(), theirs);
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].path == Path{"cfg"});
  CHECK(result.conflicts[0].base == some(base["cfg"]));
  CHECK(!result.conflicts[0].ours);
  CHECK(result.conflicts[0].theirs == some(theirs["cfg"]));
  // An object emptied on one side and removed on the other.
  result = m.run({{"o", {{"a", 1}}}}, {{"o", json::object()}}, json::object());
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].ours == some(json::object()));
}

TEST_CASE("a type change against another change conflicts") {
  Merge m;
  json base = {{"t", {{"a", 1}, {"b", 2}}}};
  // ours turns the object into a scalar, theirs edits inside it
  MergeResult result = m.run(base, {{"t", 5}}, {{"t", {{"a", 1}, {"b", 3}}}});
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].path == Path{"t"});
  CHECK(result.conflicts[0].base == some(base["t"]));
  CHECK(result.conflicts[0].ours == some(5));
  CHECK(result.conflicts[0].theirs == some(json{{"a", 1}, {"b", 3}}));
  CHECK(m.read(result.tree) == json{{"t", 5}});
  // a scalar that became an object on one side and another scalar on the other
  result = m.run({{"s", 1}}, {{"s", 2}}, {{"s", {{"k", 1}}}});
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].theirs == some(json{{"k", 1}}));
  // an empty object against an array
  result = m.run({{"s", 1}}, {{"s", json::object()}}, {{"s", json::array()}});
  REQUIRE(result.conflicts.size() == 1);
  CHECK(m.read(result.tree) == json{{"s", json::object()}});
}

TEST_CASE("objects merge member by member, at any depth") {
  Merge m;
  json base = {{"cfg", {{"db", {{"host", "a"}, {"port", 1}}}, {"name", "x"}}}, {"top", 0}};
  json ours = {{"cfg", {{"db", {{"host", "b"}, {"port", 1}}}, {"name", "x"}, {"new", {1}}}},
               {"top", 0}};
  json theirs = {
      {"cfg", {{"db", {{"host", "a"}, {"port", 2}}}}}, {"top", 1}, {"t", json::object()}};
  CHECK(m.clean(base, ours, theirs) ==
        json{{"cfg", {{"db", {{"host", "b"}, {"port", 2}}}, {"new", {1}}}},
             {"top", 1},
             {"t", json::object()}});
  // Objects added on both sides (or replacing a scalar on both) merge against the empty object.
  CHECK(
      m.clean(json::object(), {{"o", {{"a", 1}, {"same", 0}}}}, {{"o", {{"b", 2}, {"same", 0}}}}) ==
      json{{"o", {{"a", 1}, {"b", 2}, {"same", 0}}}});
  CHECK(m.clean({{"o", 1}}, {{"o", json::object()}}, {{"o", {{"b", 2}}}}) ==
        json{{"o", {{"b", 2}}}});
  CHECK(m.clean({{"o", {1}}}, {{"o", {{"a", {{"x", 1}}}}}}, {{"o", {{"a", {{"y", 2}}}}}}) ==
        json{{"o", {{"a", {{"x", 1}, {"y", 2}}}}}});
  MergeResult result = m.run(json::object(), {{"o", {{"a", 1}}}}, {{"o", {{"a", 2}}}});
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].path == Path{"o", "a"});
  CHECK(!result.conflicts[0].base);
  // Emptying an object on one side while the other edits another object stays clean.
  CHECK(m.clean({{"a", {{"x", 1}}}, {"b", {{"y", 1}}}}, {{"a", json::object()}, {"b", {{"y", 1}}}},
                {{"a", {{"x", 1}}}, {"b", {{"y", 2}}}}) ==
        json{{"a", json::object()}, {"b", {{"y", 2}}}});
}

TEST_CASE("keys that need escaping merge like any other") {
  Merge m;
  json base = {{".git", 1}, {"a/b", {{"~", 1}}}, {"", 0}};
  json ours = {{".git", 2}, {"a/b", {{"~", 1}}}, {"", 0}};
  json theirs = {{".git", 1}, {"a/b", {{"~", 2}, {"%%", 3}}}, {"", 1}};
  CHECK(m.clean(base, ours, theirs) == json{{".git", 2}, {"a/b", {{"~", 2}, {"%%", 3}}}, {"", 1}});
  MergeResult result = m.run(base, {{"a/b", {{"~", 5}}}}, theirs);
  REQUIRE(result.conflicts.size() >= 1);
  CHECK(result.conflicts[0].path == Path{""});
}

TEST_CASE("fanout objects merge as the objects they are, across the threshold") {
  Merge m;
  auto members = [](size_t from, size_t to) {
    json object = json::object();
    for (size_t i = from; i < to; ++i) object["m" + std::to_string(i)] = i;
    return object;
  };
  auto with = [](json object, const json& more) {
    object.update(more);
    return object;
  };
  size_t t = kFanoutThreshold;
  // ours crosses the threshold upwards, theirs stays flat
  json base = {{"o", members(0, t - 6)}};
  json ours = {{"o", with(members(0, t - 6), members(1000, 1010))}};
  json theirs = {{"o", with(members(0, t - 6), members(2000, 2003))}};
  theirs["o"]["m0"] = "changed";
  json expected = {{"o", with(with(members(0, t - 6), members(1000, 1010)), members(2000, 2003))}};
  expected["o"]["m0"] = "changed";
  CHECK(m.clean(base, ours, theirs) == expected);
  CHECK(m.clean(base, theirs, ours) == expected);
  // both sides stay below, the merge crosses
  json a = {{"o", with(members(0, t - 6), members(1000, 1005))}};
  json b = {{"o", with(members(0, t - 6), members(2000, 2005))}};
  CHECK(m.clean(base, a, b)["o"].size() == t + 4);
  // ours falls below by removals, theirs adds: the result is plain again
  json big = {{"o", members(0, t + 4)}};
  json fewer = {{"o", members(0, t - 10)}};
  json added = {{"o", with(members(0, t + 4), members(3000, 3003))}};
  CHECK(m.clean(big, fewer, added) == json{{"o", with(members(0, t - 10), members(3000, 3003))}});
  CHECK(m.clean(big, added, fewer) == json{{"o", with(members(0, t - 10), members(3000, 3003))}});
  // conflicts inside a fanout object on both sides of the threshold
  json x = {{"o", with(members(0, t + 50), json{{"m7", "x"}})}};
  json y = {{"o", with(members(0, t - 50), json{{"m7", "y"}})}};
  MergeResult result = m.run(big, x, y);
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].path == Path{"o", "m7"});
  CHECK(m.read(result.tree)["o"]["m7"] == "x");
  CHECK(m.read(result.tree)["o"].size() == t - 50 + 46);
}

TEST_CASE("keyed arrays merge element by element") {
  Merge m;
  m.options.keyed_arrays.push_back({glob("/services"), "name"});
  json base = json::parse(R"({"services": [
      {"name": "web", "image": "web:1", "port": 80},
      {"name": "db", "image": "pg:14"},
      {"name": "cache", "image": "redis:6"}]})");

  SECTION("edits to different elements and members") {
    json ours = base, theirs = base;
    ours["services"][0]["image"] = "web:2";
    theirs["services"][0]["port"] = 8080;
    theirs["services"][1]["image"] = "pg:15";
    json expected = base;
    expected["services"][0]["image"] = "web:2";
    expected["services"][0]["port"] = 8080;
    expected["services"][1]["image"] = "pg:15";
    CHECK(m.clean(base, ours, theirs) == expected);
  }
  SECTION("additions on both sides keep their places") {
    json ours = base, theirs = base;
    ours["services"].push_back({{"name", "queue"}});
    theirs["services"].insert(theirs["services"].begin(), json{{"name", "proxy"}});
    theirs["services"].push_back({{"name", "search"}});
    CHECK(names(m.clean(base, ours, theirs)["services"]) ==
          std::vector<std::string>{"proxy", "web", "db", "cache", "queue", "search"});
  }
  SECTION("insertions at the same place: ours first, then theirs") {
    json ours = base, theirs = base;
    auto& o = ours["services"];
    auto& t = theirs["services"];
    o.insert(o.begin() + 1, json{{"name", "o1"}});
    o.insert(o.begin() + 2, json{{"name", "o2"}});
    t.insert(t.begin() + 1, json{{"name", "t1"}});
    CHECK(names(m.clean(base, ours, theirs)["services"]) ==
          std::vector<std::string>{"web", "o1", "o2", "t1", "db", "cache"});
  }
  SECTION("removals, and a removal on one side with an edit elsewhere on the other") {
    json ours = base, theirs = base;
    ours["services"].erase(2);
    theirs["services"].erase(0);
    theirs["services"][0]["image"] = "pg:16";
    json merged = m.clean(base, ours, theirs);
    CHECK(merged == json::parse(R"({"services": [{"name": "db", "image": "pg:16"}]})"));
  }
  SECTION("the order of the side that reordered, with the other side's edits") {
    json ours = base, theirs = base;
    std::swap(theirs["services"][0], theirs["services"][2]);  // cache, db, web
    ours["services"][0]["image"] = "web:9";
    ours["services"].push_back({{"name", "mail"}});
    json merged = m.clean(base, ours, theirs);
    CHECK(names(merged["services"]) == std::vector<std::string>{"cache", "db", "web", "mail"});
    CHECK(merged["services"][2]["image"] == "web:9");
    // symmetric: the order comes from the side that changed it
    CHECK(m.clean(base, theirs, ours) == merged);
  }
  SECTION("both reordered differently: ours' order, theirs' new elements after their predecessor") {
    json ours = json::parse(R"({"services": [
      {"name": "db", "image": "pg:14"}, {"name": "web", "image": "web:1", "port": 80},
      {"name": "cache", "image": "redis:6"}]})");
    json theirs = json::parse(R"({"services": [
      {"name": "cache", "image": "redis:6"}, {"name": "new", "image": "n"},
      {"name": "web", "image": "web:1", "port": 80}, {"name": "db", "image": "pg:14"}]})");
    CHECK(names(m.clean(base, ours, theirs)["services"]) ==
          std::vector<std::string>{"db", "web", "cache", "new"});
  }
  SECTION("elements added on both sides: equal is clean, different conflicts") {
    json ours = base, theirs = base;
    ours["services"].push_back({{"name", "x"}, {"v", 1}});
    theirs["services"].push_back({{"name", "x"}, {"v", 1}});
    CHECK(m.clean(base, ours, theirs) == ours);
    theirs["services"][3]["w"] = 2;
    MergeResult result = m.run(base, ours, theirs);
    REQUIRE(result.conflicts.size() == 1);
    const Conflict& c = result.conflicts[0];
    CHECK(c.path == Path{"services", "name=x"});
    CHECK(!c.base);
    CHECK(c.ours == some({{"name", "x"}, {"v", 1}}));
    CHECK(c.theirs == some({{"name", "x"}, {"v", 1}, {"w", 2}}));
    CHECK(m.read(result.tree) == ours);
  }
  SECTION("conflicts are per element and per member, named by identity") {
    json ours = base, theirs = base;
    ours["services"][0]["image"] = "web:ours";
    theirs["services"][0]["image"] = "web:theirs";
    ours["services"][1]["image"] = "pg:same";
    theirs["services"][1]["image"] = "pg:same";
    ours["services"].erase(2);
    theirs["services"][2]["image"] = "redis:7";
    MergeResult result = m.run(base, ours, theirs);
    REQUIRE(result.conflicts.size() == 2);
    CHECK(result.conflicts[0].path == Path{"services", "name=cache"});
    CHECK(result.conflicts[0].base == some(base["services"][2]));
    CHECK(!result.conflicts[0].ours);
    CHECK(result.conflicts[0].theirs == some(theirs["services"][2]));
    CHECK(result.conflicts[1].path == Path{"services", "name=web", "image"});
    CHECK(result.conflicts[1].base == some("web:1"));
    CHECK(result.conflicts[1].ours == some("web:ours"));
    CHECK(result.conflicts[1].theirs == some("web:theirs"));
    CHECK(m.read(result.tree) == ours);  // ours at every conflicting path
    CHECK(result.fallbacks.empty());
  }
  SECTION("numeric identities, and a base that was not an array") {
    m.options.keyed_arrays = {{glob("/items"), "id"}};
    json ours = json::parse(R"({"items": [{"id": 1, "v": "a"}, {"id": 2.5, "v": "b"}]})");
    json theirs = json::parse(R"({"items": [{"id": 3}, {"id": 1.0, "w": "c"}]})");
    MergeResult result = m.run({{"items", "none"}}, ours, theirs);
    REQUIRE(result.conflicts.size() == 1);
    CHECK(result.conflicts[0].path == Path{"items", "id=1"});
    CHECK(m.read(result.tree) ==
          json::parse(R"({"items": [{"id": 3}, {"id": 1, "v": "a"}, {"id": 2.5, "v": "b"}]})"));
    // "1" and 1 share the token id=1, so they cannot be told apart: whole-value merge
    theirs["items"].push_back({{"id", "1"}});
    result = m.run(json::parse(R"({"items": [{"id": 1}]})"), ours, theirs);
    REQUIRE(result.fallbacks.size() == 1);
    CHECK(result.fallbacks[0].path == Path{"items"});
    CHECK(result.fallbacks[0].reason == "element 2 of theirs repeats the identity id=1");
    REQUIRE(result.conflicts.size() == 1);
    CHECK(result.conflicts[0].path == Path{"items"});
  }
}

TEST_CASE("keyed arrays nest, and fall back to whole values when elements do not qualify") {
  Merge m;
  m.options.keyed_arrays = {{glob("/apps/*/ports"), "port"}, {glob("/apps"), "id"}};
  json base = json::parse(R"({"apps": [{"id": "a", "ports": [{"port": 80}, {"port": 443}]}]})");
  json ours = json::parse(
      R"({"apps": [{"id": "a", "ports": [{"port": 80, "tls": false}, {"port": 443}]}]})");
  json theirs = json::parse(
      R"({"apps": [{"id": "a", "ports": [{"port": 80}, {"port": 443}, {"port": 8080}]}]})");
  CHECK(m.clean(base, ours, theirs) == json::parse(R"({"apps": [{"id": "a", "ports":
            [{"port": 80, "tls": false}, {"port": 443}, {"port": 8080}]}]})"));
  theirs["apps"][0]["ports"][0]["tls"] = true;
  MergeResult result = m.run(base, ours, theirs);
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].path == Path{"apps", "id=a", "ports", "port=80", "tls"});

  struct Case {
    const char* name;
    json ours_list;
    std::string reason;
  };
  std::vector<Case> cases = {
      {"an element without the key", json::parse(R"([{"id": "a"}, {"x": 1}])"),
       "element 1 of ours has no member 'id'"},
      {"duplicate keys", json::parse(R"([{"id": "a"}, {"id": "a", "x": 1}])"),
       "element 1 of ours repeats the identity id=a"},
      {"an element that is not an object", json::parse(R"([{"id": "a"}, 3])"),
       "element 1 of ours is not an object"},
      {"a key that is neither a string nor a number", json::parse(R"([{"id": null}])"),
       "element 0 of ours has a 'id' that is neither a string nor a number"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    m.options.keyed_arrays = {{glob("/list"), "id"}};
    json b = json::parse(R"({"list": [{"id": "a"}]})");
    json t = json::parse(R"({"list": [{"id": "a", "t": 1}]})");
    result = m.run(b, {{"list", c.ours_list}}, t);
    REQUIRE(result.fallbacks.size() == 1);
    CHECK(result.fallbacks[0].path == Path{"list"});
    CHECK(result.fallbacks[0].reason == c.reason);
    REQUIRE(result.conflicts.size() == 1);  // whole-value semantics
    CHECK(result.conflicts[0].path == Path{"list"});
    CHECK(m.read(result.tree)["list"] == c.ours_list);
  }
  // A change on one side only needs no keyed merge, so no fallback either.
  result = m.run({{"list", {1}}}, {{"list", {1, 2}}}, {{"list", {1}}});
  CHECK(result.clean);
  CHECK(result.fallbacks.empty());
  // Undeclared arrays are whole values.
  m.options.keyed_arrays.clear();
  result = m.run(base, ours, theirs);
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].path == Path{"apps"});
  CHECK(result.fallbacks.empty());
}

TEST_CASE("strategies resolve conflicts but keep clean changes") {
  Merge m;
  json base = {{"a", 1}, {"b", 1}, {"c", 1}, {"gone", 1}};
  json ours = {{"a", 2}, {"b", 1}, {"c", 2}, {"gone", 2}};
  json theirs = {{"a", 3}, {"b", 3}, {"c", 1}};
  m.options.strategy = MergeStrategy::kOurs;
  MergeResult result = m.run(base, ours, theirs);
  CHECK(result.clean);
  CHECK(m.read(result.tree) == json{{"a", 2}, {"b", 3}, {"c", 2}, {"gone", 2}});
  REQUIRE(result.resolved.size() == 2);
  CHECK(result.resolved[0].conflict.path == Path{"a"});
  CHECK(result.resolved[0].with == ResolvedWith::kOurs);
  CHECK(result.resolved[0].rule.empty());
  CHECK(result.resolved[0].value == some(2));
  CHECK(result.resolved[1].conflict.path == Path{"gone"});
  CHECK(result.resolved[1].conflict.theirs == std::nullopt);

  m.options.strategy = MergeStrategy::kTheirs;
  result = m.run(base, ours, theirs);
  CHECK(result.clean);
  CHECK(m.read(result.tree) == json{{"a", 3}, {"b", 3}, {"c", 2}});
  REQUIRE(result.resolved.size() == 2);
  CHECK(result.resolved[1].with == ResolvedWith::kTheirs);
  CHECK(result.resolved[1].value == std::nullopt);  // theirs removed it
}

TEST_CASE("rules first, then the resolver, then the default strategy") {
  Merge m;
  json base = {{"features", {{"x", 1}, {"y", {{"deep", 1}}}}}, {"locked", 1}, {"n", 1}, {"s", "a"}};
  json ours = {{"features", {{"x", 2}, {"y", {{"deep", 2}}}}}, {"locked", 2}, {"n", 2}, {"s", "b"}};
  json theirs = {
      {"features", {{"x", 3}, {"y", {{"deep", 3}}}}}, {"locked", 3}, {"n", 3}, {"s", "c"}};
  m.options.rules = {{glob("/features/**"), MergeStrategy::kTheirs},
                     {glob("/locked"), MergeStrategy::kReport},
                     {glob("/**"), MergeStrategy::kOurs}};
  std::vector<Path> asked;
  m.options.resolver = [&](const Path& path, const std::optional<json>&, const std::optional<json>&,
                           const std::optional<json>&) {
    asked.push_back(path);
    return std::optional<json>(json("resolved"));
  };
  MergeResult result = m.run(base, ours, theirs);
  CHECK(asked.empty());  // every conflict matched a rule
  CHECK(m.read(result.tree) ==
        json{{"features", {{"x", 3}, {"y", {{"deep", 3}}}}}, {"locked", 2}, {"n", 2}, {"s", "b"}});
  REQUIRE(result.conflicts.size() == 1);
  CHECK(result.conflicts[0].path == Path{"locked"});
  REQUIRE(result.resolved.size() == 4);
  CHECK(result.resolved[0].conflict.path == Path{"features", "x"});
  CHECK(result.resolved[0].rule == "/features/**");
  CHECK(result.resolved[0].with == ResolvedWith::kTheirs);
  CHECK(result.resolved[2].conflict.path == Path{"n"});
  CHECK(result.resolved[2].rule == "/**");

  // Without the catch-all rule the resolver is asked; declining falls to the strategy.
  m.options.rules.pop_back();
  m.options.strategy = MergeStrategy::kTheirs;
  m.options.resolver = [&](const Path& path, const std::optional<json>& b,
                           const std::optional<json>& o,
                           const std::optional<json>& t) -> std::optional<json> {
    asked.push_back(path);
    if (path != Path{"n"}) return std::nullopt;
    return b->get<int>() + o->get<int>() + t->get<int>();
  };
  result = m.run(base, ours, theirs);
  CHECK(asked == std::vector<Path>{{"n"}, {"s"}});
  CHECK(m.read(result.tree) ==
        json{{"features", {{"x", 3}, {"y", {{"deep", 3}}}}}, {"locked", 2}, {"n", 6}, {"s", "c"}});
  REQUIRE(result.resolved.size() == 4);
  CHECK(result.resolved[2].with == ResolvedWith::kResolver);
  CHECK(result.resolved[2].value == some(6));
  CHECK(result.resolved[3].with == ResolvedWith::kTheirs);
  CHECK(result.resolved[3].rule.empty());
  CHECK(result.conflicts.size() == 1);

  // A resolver may choose an object; it is stored as a tree.
  m.options = {};
  m.options.resolver = [](const Path&, const std::optional<json>&, const std::optional<json>&,
                          const std::optional<json>&) {
    return std::optional<json>(json{{"chosen", {{"deep", true}}}});
  };
  result = m.run({{"v", 1}}, {{"v", 2}}, {{"v", 3}});
  CHECK(m.read(result.tree) == json{{"v", {{"chosen", {{"deep", true}}}}}});
}

TEST_CASE("resolvers get keyed-array element paths and must keep identities") {
  Merge m;
  m.options.keyed_arrays = {{glob("/s"), "name"}};
  json base = json::parse(R"({"s": [{"name": "a", "v": 1}]})");
  json ours = json::parse(R"({"s": [{"name": "a", "v": 2}, {"name": "b", "v": 1}]})");
  json theirs = json::parse(R"({"s": [{"name": "a", "v": 3}, {"name": "b", "v": 2}]})");
  m.options.rules = {{glob("/s/*/v"), MergeStrategy::kTheirs}};
  m.options.resolver = [](const Path& path, const std::optional<json>&,
                          const std::optional<json>& o,
                          const std::optional<json>&) -> std::optional<json> {
    if (path == Path{"s", "name=b"}) return json{{"name", "b"}, {"v", (*o)["v"].get<int>() + 10}};
    return std::nullopt;
  };
  MergeResult result = m.run(base, ours, theirs);
  CHECK(result.clean);
  CHECK(m.read(result.tree) ==
        json::parse(R"({"s": [{"name": "a", "v": 3}, {"name": "b", "v": 11}]})"));
  m.options.resolver = [](const Path&, const std::optional<json>&, const std::optional<json>&,
                          const std::optional<json>&) {
    return std::optional<json>(json{{"name", "renamed"}});
  };
  auto failed = merge_trees(m.store, m.state(base), m.state(ours), m.state(theirs), m.options);
  REQUIRE(!failed.is_ok());
  CHECK(failed.status().code() == Code::kInvalid);
  CHECK(failed.status().message().find("/s/name=b") != std::string::npos);
}

TEST_CASE("a resolver value that cannot be stored fails the merge") {
  Merge m;
  m.options.resolver = [](const Path&, const std::optional<json>&, const std::optional<json>&,
                          const std::optional<json>&) {
    return std::optional<json>(json(std::nan("")));
  };
  auto result = merge_trees(m.store, m.state({{"v", 1}}), m.state({{"v", 2}}), m.state({{"v", 3}}),
                            m.options);
  REQUIRE(!result.is_ok());
  CHECK(result.status().code() == Code::kInvalid);
  CHECK(result.status().message().find("/v") != std::string::npos);
}

TEST_CASE("bad input fails with a clear status and writes nothing") {
  size_t writes = 0;
  ObjectStore store(std::make_unique<CountingBackend>(writes));
  json base = {{"a", {{"x", 1}}}, {"b", 1}};
  Oid base_tree = write_state(store, base).value();
  Oid ours_tree = write_state(store, {{"a", {{"x", 2}}}, {"b", 1}}).value();
  Oid missing = hash_object(ObjectType::kTree, "not stored");
  Oid blob = store.write(ObjectType::kBlob, "1\n");
  // a member whose blob is not canonical text, and one whose tree is missing
  Oid bad_blob = store.write(ObjectType::kBlob, "1.0\n");
  Oid bad_tree = store.write_tree({{"a", kModeTree, missing}, {"b", kModeBlob, bad_blob}});
  Oid theirs_bad_b = store.write_tree(
      {{"a", kModeTree, write_state(store, {{"x", 1}}).value()}, {"b", kModeBlob, bad_blob}});
  size_t before = writes;

  auto result = merge_trees(store, base_tree, ours_tree, missing);
  REQUIRE(!result.is_ok());
  CHECK(result.status().code() == Code::kNotFound);
  CHECK(result.status().message().find("theirs state tree") != std::string::npos);

  result = merge_trees(store, blob, ours_tree, base_tree);
  REQUIRE(!result.is_ok());
  CHECK(result.status().code() == Code::kCorrupt);
  CHECK(result.status().message().find("base state tree") != std::string::npos);

  result = merge_trees(store, base_tree, ours_tree, bad_tree);
  REQUIRE(!result.is_ok());
  CHECK(result.status().code() == Code::kNotFound);
  CHECK(result.status().message().find(missing.hex()) != std::string::npos);

  // ours changed b too, so the merge reads theirs' bad blob
  Oid ours_b = write_state(store, {{"a", {{"x", 1}}}, {"b", 2}}).value();
  before = writes;
  result = merge_trees(store, base_tree, ours_b, theirs_bad_b);
  REQUIRE(!result.is_ok());
  CHECK(result.status().code() == Code::kCorrupt);
  CHECK(result.status().message().find("merging /b") != std::string::npos);
  CHECK(writes == before);

  // a failure after merged objects were made still writes none of them
  json big_base = {{"a", {{"x", 1}}}, {"b", 1}, {"c", 1}};
  Oid big_base_tree = write_state(store, big_base).value();
  Oid big_ours = write_state(store, {{"a", {{"x", 1}, {"y", 2}}}, {"b", 2}, {"c", 1}}).value();
  Oid big_theirs =
      store.write_tree({{"a", kModeTree, write_state(store, {{"x", 1}, {"z", 3}}).value()},
                        {"b", kModeBlob, bad_blob},
                        {"c", kModeBlob, store.write(ObjectType::kBlob, "1\n")}});
  before = writes;
  result = merge_trees(store, big_base_tree, big_ours, big_theirs);
  REQUIRE(!result.is_ok());
  CHECK(writes == before);
  // and a successful one writes only what its tree holds
  Oid good_theirs = write_state(store, {{"a", {{"x", 1}, {"z", 3}}}, {"b", 1}, {"c", 1}}).value();
  before = writes;
  MergeResult ok = merge_trees(store, big_base_tree, big_ours, good_theirs).value();
  CHECK(writes - before == 2);  // the merged root and the merged /a
  CHECK(read_value(store, Node{kModeTree, ok.tree}).value() ==
        json{{"a", {{"x", 1}, {"y", 2}, {"z", 3}}}, {"b", 2}, {"c", 1}});
}

TEST_CASE("the cost of a merge follows the changes, not the state") {
  ObjectStore store(make_memory_backend());
  json state = json::object();
  for (size_t i = 0; i < 20000; ++i) state["m" + std::to_string(i)] = {{"v", i}};
  Oid base = write_state(store, {{"map", state}, {"other", 1}}).value();
  std::vector<Edit> ours_edits, theirs_edits;
  for (size_t i = 0; i < 5; ++i) {
    ours_edits.push_back({{"map", "m" + std::to_string(i * 3001), "v"}, json("ours")});
    theirs_edits.push_back({{"map", "m" + std::to_string(i * 3001 + 7), "v"}, json("theirs")});
  }
  theirs_edits.push_back({{"map", "added"}, json(1)});
  theirs_edits.push_back({{"map", "m5"}, std::nullopt});
  Oid ours = apply_edits(store, base, ours_edits).value();
  Oid theirs = apply_edits(store, base, theirs_edits).value();
  MergeResult result = merge_trees(store, base, ours, theirs).value();
  CHECK(result.clean);
  std::vector<Edit> all = ours_edits;
  all.insert(all.end(), theirs_edits.begin(), theirs_edits.end());
  CHECK(result.tree == apply_edits(store, base, all).value());
  // Theirs' 7 changes cost their paths: one fanout level of 256 buckets and a
  // few buckets of about 80 members, never the 20,000 members.
  CHECK(result.stats.entries_compared < 2000);
  CHECK(result.stats.entries_compared > 7);
  CHECK(result.stats.trees_read <= 2 * 7 * 4 + 2);
  CHECK(result.stats.members_looked_up <= 3 * (1 + 7 + 5));
}
