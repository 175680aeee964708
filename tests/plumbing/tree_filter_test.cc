#include "gitstate/plumbing/tree_filter.h"

#include <catch2/catch.hpp>

#include "fanout_internal.h"
#include "gitstate/plumbing/codec.h"
#include "plumbing/filter_reference.h"

using namespace gitstate;
using json = nlohmann::json;
using gitstate::test::filter_json;
using gitstate::test::make_filter;

namespace {
// A state with a value of every JSON type, nested.
json typed_state() {
  return json::parse(R"({
    "config": {"name": "svc", "port": 5432, "ratio": 1.5, "on": true, "none": null,
               "hosts": ["a", {"b": 1}], "db": {"user": "u", "password": "p", "pool": {"size": 4}},
               "empty": {}},
    "users": {"ada": {"email": "ada@x", "password": "s1", "roles": ["admin"]},
              "bob": {"email": "bob@x", "password": "s2", "roles": []}},
    "secret": {"key": "k"},
    "top": 7
  })");
}

// Filters `state` through `filter` and checks the result against the tree of
// `expected`; returns the work done.
FilterStats check_view(const json& state, const Filter& filter, const json& expected) {
  ObjectStore store(make_memory_backend());
  Oid root = write_state(store, state).value();
  FilterStats stats;
  Oid view = filter_tree(store, root, filter, &stats).value();
  INFO("view " << read_value(store, Node{kModeTree, view}).value().dump());
  CHECK(view == write_state(store, expected).value());
  CHECK(filter_json(state, filter) == expected);
  return stats;
}

json wide_object(size_t members) {
  json object = json::object();
  for (size_t i = 0; i < members; ++i) object["k" + std::to_string(i)] = i;
  return object;
}
}  // namespace

TEST_CASE("filter: an include keeps the member with everything below it, of any type") {
  json state = typed_state();
  check_view(state, make_filter({"/config"}), json{{"config", state["config"]}});
  check_view(state, make_filter({"/top"}), json{{"top", 7}});
  check_view(
      state, make_filter({"/config/hosts", "/config/none", "/config/ratio"}),
      json{{"config", {{"hosts", state["config"]["hosts"]}, {"none", nullptr}, {"ratio", 1.5}}}});
  check_view(state, make_filter({"/**"}), state);
  check_view(state, make_filter({""}), state);
  check_view(state, make_filter({"/nothing/here"}), json::object());
  check_view(state, make_filter({}), json::object());
}

TEST_CASE("filter: wildcards select members one level or any levels down") {
  json state = typed_state();
  check_view(state, make_filter({"/users/*/email"}),
             json{{"users", {{"ada", {{"email", "ada@x"}}}, {"bob", {{"email", "bob@x"}}}}}});
  check_view(state, make_filter({"/**/password"}),
             json{{"config", {{"db", {{"password", "p"}}}}},
                  {"users", {{"ada", {{"password", "s1"}}}, {"bob", {{"password", "s2"}}}}}});
  check_view(state, make_filter({"/*/db/**"}), json{{"config", {{"db", state["config"]["db"]}}}});
}

TEST_CASE("filter: exclude wins, at the member and everywhere below it") {
  json state = typed_state();
  json expected = state;
  expected["config"]["db"].erase("password");
  expected["users"]["ada"].erase("password");
  expected["users"]["bob"].erase("password");
  expected.erase("secret");
  check_view(state, make_filter({"/**"}, {"/**/password", "/secret"}), expected);

  // An include inside an exclude sees nothing.
  check_view(state, make_filter({"/config/db/user"}, {"/config"}), json::object());
  // An exclude inside an include cuts just that.
  json config = state["config"];
  config.erase("db");
  check_view(state, make_filter({"/config/**"}, {"/config/db"}), json{{"config", config}});
  // Excluding the root hides everything.
  check_view(state, make_filter({"/**"}, {""}), json::object());
}

TEST_CASE("filter: empty objects stay when included, go when only on the way") {
  json state = typed_state();
  check_view(state, make_filter({"/config/empty"}), json{{"config", {{"empty", json::object()}}}});
  // /users/ada is included; everything in it is excluded: it stays, empty.
  check_view(state, make_filter({"/users/ada"}, {"/users/ada/*"}),
             json{{"users", {{"ada", json::object()}}}});
  // Objects on the way to nothing visible are dropped.
  check_view(state, make_filter({"/users/*/phone"}), json::object());
}

TEST_CASE("filter: arrays and scalars are leaves, globs do not look inside them") {
  json state = typed_state();
  check_view(state, make_filter({"/config/hosts/0", "/config/hosts/1/b", "/top/x"}),
             json::object());
  check_view(state, make_filter({"/config/*"}, {"/config/hosts/0"}),
             json{{"config", state["config"]}});
}

TEST_CASE("filter: what no glob can change is kept by id without reading it") {
  json state = typed_state();
  // The root is wholly visible: not even read.
  CHECK(check_view(state, make_filter({"/**"}), state).trees_read == 0);
  // Literal includes are looked up, not listed: the root and /config only.
  FilterStats stats = check_view(state, make_filter({"/config/db"}),
                                 json{{"config", {{"db", state["config"]["db"]}}}});
  CHECK(stats.trees_read == 2);
  CHECK(stats.entries_examined == 2);
}

TEST_CASE("filter: a large object filtered down is laid out as the codec lays it out") {
  ObjectStore store(make_memory_backend());
  json state = {{"m", wide_object(5000)}, {"other", 1}};
  Oid root = write_state(store, state).value();

  SECTION("to a few members: no longer fanned out") {
    Filter filter = make_filter({"/m/k1", "/m/k17", "/m/k4999", "/m/missing"});
    FilterStats stats;
    Oid view = filter_tree(store, root, filter, &stats).value();
    json expected = {{"m", {{"k1", 1}, {"k17", 17}, {"k4999", 4999}}}};
    CHECK(view == write_state(store, expected).value());
    auto m = lookup(store, view, {"m"}).value();
    REQUIRE(m);
    CHECK(!fanout::is_fanout(*store.read_tree(m->oid).value()));
    CHECK(stats.trees_read <= 2 + 4 * 2);  // the root, then one bucket path per key
  }
  SECTION("through a wildcard, excluding a key that is literally \"k1*\"") {
    Filter filter = make_filter({"/m/*"}, {"/m/k1*"});
    json expected = state;
    expected.erase("other");
    CHECK(filter_tree(store, root, filter).value() == write_state(store, expected).value());
  }
  SECTION("to most members: edited in place, untouched buckets kept") {
    Filter filter = make_filter({"/**"}, {"/m/k3", "/m/k4000", "/other"});
    FilterStats stats;
    Oid view = filter_tree(store, root, filter, &stats).value();
    json expected = state;
    expected["m"].erase("k3");
    expected["m"].erase("k4000");
    expected.erase("other");
    CHECK(view == write_state(store, expected).value());
    // The root and m's looked-up buckets, m's edit, and the buckets the edit
    // counts to see that m still fans out (about 256 / 20 of them).
    CHECK(stats.trees_read <= 30);
  }
  SECTION("to just over and just under the fanout threshold") {
    for (size_t keep : {kFanoutThreshold, kFanoutThreshold + 1}) {
      Filter filter;
      json expected = {{"m", json::object()}};
      for (size_t i = 0; i < keep; ++i) {
        std::string key = "k" + std::to_string(i * 7);
        filter.include.push_back(PointerGlob::parse("/m/" + key).value());
        expected["m"][key] = i * 7;
      }
      CHECK(filter_tree(store, root, filter).value() == write_state(store, expected).value());
    }
  }
  SECTION("wholly visible fanned-out object keeps its id") {
    Oid view = filter_tree(store, root, make_filter({"/m/**"})).value();
    auto source_m = lookup(store, root, {"m"}).value();
    auto view_m = lookup(store, view, {"m"}).value();
    REQUIRE(view_m);
    CHECK(view_m->oid == source_m->oid);
  }
}

TEST_CASE("filter: the cost of a narrow view does not grow with the state") {
  // Sections s0..s<n-1>, each {"g": {"a": .., "b": ..}, "x": ..}: the root fans
  // out at both sizes; the filter should read the same trees at both.
  auto cost = [](size_t sections, const Filter& filter) {
    ObjectStore store(make_memory_backend());
    json state = json::object();
    for (size_t i = 0; i < sections; ++i)
      state["s" + std::to_string(i)] = {{"g", {{"a", i}, {"b", -1}}}, {"x", i}};
    Oid root = write_state(store, state).value();
    FilterStats stats;
    Oid view = filter_tree(store, root, filter, &stats).value();
    CHECK(view == write_state(store, filter_json(state, filter)).value());
    return stats;
  };
  for (const Filter& filter : {make_filter({"/s3/g/**", "/s5/x"}), make_filter({"/s3/*/a"}),
                               make_filter({"/s3/**"}, {"/s3/g/b"})}) {
    FilterStats small = cost(1000, filter), large = cost(50000, filter);
    CHECK(small.trees_read == large.trees_read);
    CHECK(small.entries_examined == large.entries_examined);
    CHECK(large.trees_read <= 8);
  }
}

TEST_CASE("filter: hidden markers stand for excluded objects") {
  json state = typed_state();
  ObjectStore store(make_memory_backend());
  Oid root = write_state(store, state).value();
  Oid db = lookup(store, root, {"config", "db"}).value()->oid;
  Oid secret = lookup(store, root, {"secret"}).value()->oid;

  json expected = state;
  expected["config"]["db"] = hidden_marker(db);
  expected["secret"] = hidden_marker(secret);
  expected["users"]["ada"].erase("password");  // a hidden scalar is dropped
  expected["users"]["bob"].erase("password");
  expected["config"]["empty"] = "gitstate:hidden:4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  Filter filter =
      make_filter({"/**"}, {"/config/db", "/config/empty", "/secret", "/users/*/password"}, true);
  check_view(state, filter, expected);
  CHECK(hidden_marker(db) == "gitstate:hidden:" + db.hex());

  // An excluded object that was never included is not hidden, just outside.
  check_view(state, make_filter({"/config/db/user"}, {"/config/db"}, true), json::object());
  // Without the option, excluded objects are dropped.
  expected = state;
  expected.erase("secret");
  check_view(state, make_filter({"/**"}, {"/secret"}), expected);
}

TEST_CASE("filter: malformed or missing trees are errors") {
  ObjectStore store(make_memory_backend());
  Oid missing = hash_object(ObjectType::kTree, "nothing stored");
  size_t pending = store.pending_count();
  auto view = filter_tree(store, missing, make_filter({"/a/b"}));
  REQUIRE(!view.is_ok());
  CHECK(view.status().code() == Code::kNotFound);
  CHECK(store.pending_count() == pending);

  Oid blob = store.write(ObjectType::kBlob, "1\n");
  Oid bad_name = store.write_tree({TreeEntry{"%zz", kModeBlob, blob}});
  view = filter_tree(store, bad_name, make_filter({"/*"}));
  REQUIRE(!view.is_ok());
  CHECK(view.status().code() == Code::kCorrupt);

  Oid bad_mode = store.write_tree({TreeEntry{"a", 0100755, blob}});
  view = filter_tree(store, bad_mode, make_filter({"/a"}));
  REQUIRE(!view.is_ok());
  CHECK(view.status().code() == Code::kCorrupt);
}
