#include "gitstate/plumbing/tree_edit.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "plumbing/random_json.h"

using namespace gitstate;
using json = nlohmann::json;
using gitstate::test::RandomJson;

namespace {
// The reference semantics of one edit on a plain nlohmann value: the code
// apply_edits must return, or kOk after changing `state`.
Code apply_to_model(json& state, const Edit& edit) {
  if (edit.path.empty()) {
    if (!edit.value || !edit.value->is_object()) return Code::kInvalid;
    state = *edit.value;
    return Code::kOk;
  }
  json* object = &state;
  for (size_t i = 0; i + 1 < edit.path.size(); ++i) {
    auto it = object->find(edit.path[i]);
    if (it == object->end()) {
      if (!edit.value || !edit.create_parents) return Code::kNotFound;
      object = &((*object)[edit.path[i]] = json::object());
    } else if (!it->is_object()) {
      return Code::kInvalid;
    } else {
      object = &*it;
    }
  }
  const std::string& key = edit.path.back();
  if (!edit.value) {
    if (!object->contains(key)) return Code::kNotFound;
    object->erase(key);
  } else {
    (*object)[key] = *edit.value;
  }
  return Code::kOk;
}

// A random path: mostly through existing members, sometimes new keys, and
// sometimes on through a scalar.
Path random_path(RandomJson& gen, const json& state) {
  Path path;
  const json* at = &state;
  size_t length = 1 + gen.below(4);
  while (path.size() < length) {
    if (at && at->is_object() && !at->empty() && gen.chance(0.75)) {
      auto it = at->begin();
      std::advance(it, gen.below(at->size()));
      path.push_back(it.key());
      at = &it.value();
    } else {
      path.push_back(gen.key());
      at = at && at->is_object() && at->contains(path.back()) ? &(*at)[path.back()] : nullptr;
    }
    if (at && !at->is_object() && !gen.chance(0.1)) break;
  }
  return path;
}

Edit random_edit(RandomJson& gen, const json& state) {
  Edit edit;
  if (gen.chance(0.02)) {
    edit.value = gen.object(2, 4);
    return edit;
  }
  edit.path = random_path(gen, state);
  if (gen.chance(0.3)) return edit;  // a removal
  edit.value = gen.chance(0.3) ? gen.object(2, 4) : gen.value(2);
  edit.create_parents = gen.chance(0.8);
  return edit;
}

Status error_of(const Result<Oid>& result) { return result.status(); }
}  // namespace

TEST_CASE("set, replace and remove values") {
  ObjectStore store(make_memory_backend());
  Oid root = write_state(store, {{"a", {{"x", 1}}}, {"b", 2}}).value();
  Oid next = apply_edits(store, root,
                         {{{"a", "y"}, json(2)},
                          {{"b"}, json{{"nested", true}}},
                          {{"c", "d", "e"}, json("deep")},
                          {{"a", "x"}, std::nullopt}})
                 .value();
  json expected = {{"a", {{"y", 2}}}, {"b", {{"nested", true}}}, {"c", {{"d", {{"e", "deep"}}}}}};
  CHECK(read_value(store, {kModeTree, next}).value() == expected);
  CHECK(next == write_state(store, expected).value());
  CHECK(apply_edits(store, root, {}).value() == root);

  // Later edits see earlier ones.
  Oid later = apply_edits(store, root,
                          {{{"n"}, json::object()},
                           {{"n", "k"}, json(1)},
                           {{"a"}, std::nullopt},
                           {{"a", "z"}, json(3)},
                           {{}, json{{"root", {{"r", 1}}}}},
                           {{"root", "s"}, json(2)}})
                  .value();
  CHECK(read_value(store, {kModeTree, later}).value() == json{{"root", {{"r", 1}, {"s", 2}}}});
}

TEST_CASE("untouched subtrees keep their ids") {
  ObjectStore store(make_memory_backend());
  Oid root = write_state(store, {{"a", {{"x", 1}}}, {"b", {{"y", {{"z", 2}}}}}}).value();
  Oid next = apply_edits(store, root, {{{"a", "x"}, json(5)}}).value();
  CHECK(lookup(store, next, {"b"}).value()->oid == lookup(store, root, {"b"}).value()->oid);
  CHECK(lookup(store, next, {"a"}).value()->oid != lookup(store, root, {"a"}).value()->oid);
}

TEST_CASE("edit errors") {
  ObjectStore store(make_memory_backend());
  Oid root =
      write_state(store, {{"a", 1}, {"list", {1, 2}}, {"o", {{"p", json::object()}}}}).value();
  auto fails = [&](std::vector<Edit> edits, Code code, const std::string& text) {
    Status status = error_of(apply_edits(store, root, edits));
    CHECK(status.code() == code);
    CHECK_THAT(status.message(), Catch::Contains(text));
  };
  fails({{{"a", "b"}, json(1)}}, Code::kInvalid, "path /a/b goes through a scalar at /a");
  fails({{{"a", "b", "c"}, std::nullopt}}, Code::kInvalid, "goes through a scalar at /a");
  fails({{{"list", "0"}, json(1)}}, Code::kInvalid, "goes through an array at /list");
  fails({{{"x", "y"}, json(1), false}}, Code::kNotFound, "parent /x of /x/y does not exist");
  fails({{{"o", "q", "r"}, json(1), false}}, Code::kNotFound,
        "parent /o/q of /o/q/r does not exist");
  fails({{{"o", "missing"}, std::nullopt}}, Code::kNotFound, "/o/missing");
  fails({{{"x", "y"}, std::nullopt}}, Code::kNotFound, "/x/y");
  fails({{{"a"}, std::nullopt}, {{"a"}, std::nullopt}}, Code::kNotFound, "/a");
  fails({{{}, json(1)}}, Code::kInvalid, "must be an object");
  fails({{{}, json::array()}}, Code::kInvalid, "must be an object");
  fails({{{}, std::nullopt}}, Code::kInvalid, "cannot remove the root");
  fails({{{"a"}, json(1)}, {{"a", "b"}, json(1)}}, Code::kInvalid, "goes through a scalar at /a");
  fails({{{"k"}, json{{"v", std::nan("")}}}}, Code::kInvalid, "/k/v");
  fails({{{std::string(kMaxKeyBytes + 1, 'k')}, json(1)}}, Code::kInvalid, "bytes escaped");
  fails({{{std::string(kMaxKeyBytes + 1, 'k'), "x"}, json(1)}}, Code::kInvalid, "bytes escaped");
  // Depth counts the path: 255 tokens leave room for one object level.
  Path deep(kMaxDepth - 1, "d");
  CHECK(apply_edits(store, root, {{deep, json{{"leaf", 1}}}}).is_ok());
  fails({{deep, json{{"o", json::object()}}}}, Code::kInvalid, "deeper than 256");
  Path deepest(kMaxDepth, "d");
  CHECK(apply_edits(store, root, {{deepest, json(1)}}).is_ok());
  fails({{deepest, json::array()}}, Code::kInvalid, "deeper than 256");
  fails({{Path(kMaxDepth + 1, "d"), json(1)}}, Code::kInvalid, "tokens");
  // A removal of a path below a removed or replaced member.
  fails({{{"o"}, std::nullopt}, {{"o", "p"}, std::nullopt}}, Code::kNotFound, "/o/p");
}

TEST_CASE("random edits match the reference semantics") {
  ObjectStore store(make_memory_backend());
  RandomJson gen(2024);
  size_t failures = 0;
  for (int round = 0; round < 400; ++round) {
    json state = gen.object(3, 6);
    Oid root = write_state(store, state).value();
    std::vector<Edit> edits;
    json expected = state;
    Code expected_code = Code::kOk;
    for (size_t i = 1 + gen.below(6); i > 0; --i) {
      edits.push_back(random_edit(gen, expected));
      Code code = apply_to_model(expected, edits.back());
      if (code != Code::kOk) {
        expected_code = code;
        break;
      }
    }
    auto result = apply_edits(store, root, edits);
    INFO("round " << round << ": " << result.status().to_string());
    REQUIRE(result.status().code() == expected_code);
    if (expected_code != Code::kOk) {
      ++failures;
      continue;
    }
    CHECK(read_value(store, {kModeTree, *result}).value() == expected);
    CHECK(*result == write_state(store, expected).value());
    // One edit per call gives the same state as one batch.
    Oid stepwise = root;
    for (const Edit& edit : edits) stepwise = apply_edits(store, stepwise, {edit}).value();
    CHECK(stepwise == *result);
  }
  CHECK(failures > 20);   // the generator exercises the error paths too
  CHECK(failures < 300);  // and mostly succeeds
}

TEST_CASE(
    "the same state gets the same id whatever the order of edits, across the fanout threshold") {
  ObjectStore store(make_memory_backend());
  RandomJson gen(99);
  for (size_t start : {kFanoutThreshold - 10, kFanoutThreshold + 5, size_t{2000}}) {
    json object = json::object();
    for (size_t i = 0; i < start; ++i) object["m" + std::to_string(i)] = i;
    Oid root = write_state(store, {{"o", object}, {"x", 1}}).value();
    // Up across the threshold, then down again: add 30, remove 40, change 10.
    std::vector<Edit> edits;
    for (size_t i = 0; i < 30; ++i) {
      edits.push_back({{"o", "new" + std::to_string(i)}, json(i)});
      object["new" + std::to_string(i)] = i;
    }
    for (size_t i = 0; i < 40; ++i) {
      edits.push_back({{"o", "m" + std::to_string(i * 3)}, std::nullopt});
      object.erase("m" + std::to_string(i * 3));
    }
    for (size_t i = 0; i < 10; ++i) {
      edits.push_back({{"o", "m" + std::to_string(i * 3 + 1)}, json{{"now", "object"}}});
      object["m" + std::to_string(i * 3 + 1)] = {{"now", "object"}};
    }
    Oid expected = write_state(store, {{"o", object}, {"x", 1}}).value();
    for (int shuffle = 0; shuffle < 8; ++shuffle) {
      std::shuffle(edits.begin(), edits.end(), gen.rng());
      INFO("start " << start << ", shuffle " << shuffle);
      CHECK(apply_edits(store, root, edits).value() == expected);
      // In random batches, each batch a separate call.
      Oid stepwise = root;
      size_t begin = 0;
      while (begin < edits.size()) {
        size_t end = std::min(edits.size(), begin + 1 + gen.below(12));
        stepwise =
            apply_edits(store, stepwise, {edits.begin() + begin, edits.begin() + end}).value();
        begin = end;
      }
      CHECK(stepwise == expected);
    }
  }
}
