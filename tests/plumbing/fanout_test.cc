#include "fanout_internal.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_edit.h"

using namespace gitstate;
using json = nlohmann::json;

namespace {
json wide_object(size_t members) {
  json object = json::object();
  for (size_t i = 0; i < members; ++i) object["member-" + std::to_string(i)] = i % 1000;
  return object;
}

struct Shape {
  size_t trees = 0;    // trees in the object's layout
  size_t largest = 0;  // entries in its largest tree
  size_t levels = 0;   // fanout levels on the deepest path
};

// Walks the layout of one object (not its member values).
void measure(ObjectStore& store, const Oid& tree, size_t level, Shape& shape) {
  auto entries = store.read_tree(tree).value();
  ++shape.trees;
  shape.largest = std::max(shape.largest, entries->size());
  if (!fanout::is_fanout(*entries)) return;
  shape.levels = std::max(shape.levels, level + 1);
  for (const TreeEntry& bucket : *entries) {
    REQUIRE(fanout::parse_bucket_name(bucket.name) >= 0);
    measure(store, bucket.oid, level + 1, shape);
  }
}

Shape shape_of(ObjectStore& store, const Oid& tree) {
  Shape shape;
  measure(store, tree, 0, shape);
  return shape;
}

// `count` keys whose hashes all start with the same `bytes` bytes.
std::vector<std::string> colliding_keys(size_t count, size_t bytes) {
  std::vector<std::string> keys;
  uint64_t want = fanout::key_hash("seed") >> (64 - 8 * bytes);
  for (uint64_t i = 0; keys.size() < count; ++i) {
    std::string key = "c" + std::to_string(i);
    if (fanout::key_hash(key) >> (64 - 8 * bytes) == want) keys.push_back(key);
  }
  return keys;
}
}  // namespace

TEST_CASE("bucket names and hash bytes") {
  CHECK(fanout::bucket_name(0) == "%%00");
  CHECK(fanout::bucket_name(0xAB) == "%%AB");
  CHECK(fanout::parse_bucket_name("%%AB") == 0xAB);
  CHECK(fanout::parse_bucket_name("%%ab") == -1);
  CHECK(fanout::parse_bucket_name("%%A") == -1);
  CHECK(fanout::parse_bucket_name("%2E") == -1);
  CHECK(fanout::bucket_of(0x0123456789ABCDEFull, 0) == 0x01);
  CHECK(fanout::bucket_of(0x0123456789ABCDEFull, 7) == 0xEF);
  // XXH3-64 is frozen: these ids are part of every fanout tree.
  CHECK(fanout::key_hash("") == 0x2D06800538D394C2ull);
  CHECK(fanout::key_hash("a") == 0xE6C632B61E964E1Full);
}

TEST_CASE("an object fans out above kFanoutThreshold members, and not at it") {
  ObjectStore store(make_memory_backend());
  json at = wide_object(kFanoutThreshold);
  Node plain = write_value(store, at).value();
  Shape shape = shape_of(store, plain.oid);
  CHECK(shape.levels == 0);
  CHECK(shape.largest == kFanoutThreshold);

  json above = wide_object(kFanoutThreshold + 1);
  Node fan = write_value(store, above).value();
  auto entries = store.read_tree(fan.oid).value();
  REQUIRE(fanout::is_fanout(*entries));
  for (const TreeEntry& e : *entries) {
    CHECK(e.is_tree());
    CHECK(fanout::parse_bucket_name(e.name) >= 0);
  }
  CHECK(read_value(store, fan).value() == above);
  CHECK(lookup(store, fan.oid, {"member-7"}).value().has_value());
  CHECK(!lookup(store, fan.oid, {"member-999"}).value().has_value());
}

TEST_CASE("large objects keep every tree small and read back whole") {
  for (size_t members : {size_t{1000}, size_t{10000}, size_t{100000}}) {
    INFO(members);
    ObjectStore store(make_memory_backend());
    json object = wide_object(members);
    Node node = write_value(store, object).value();
    Shape shape = shape_of(store, node.oid);
    CHECK(shape.largest <= std::max<size_t>(256, kFanoutThreshold));
    CHECK(shape.levels == (members > 256 * kFanoutThreshold ? 2 : 1));
    CHECK(read_value(store, node).value() == object);
    for (size_t i = 0; i < members; i += members / 50) {
      auto value = read_path(store, node.oid, {"member-" + std::to_string(i)});
      REQUIRE(value.is_ok());
      CHECK(*value == i % 1000);
    }
    size_t seen = 0;
    std::string previous;
    Status walk = for_each_member(store, node.oid, [&](const std::string& key, const Node& member) {
      if (seen++ > 0 && !(previous < key)) return invalid("out of order at " + key);
      previous = key;
      return member.is_tree() ? invalid("member " + key + " is a tree") : Status::ok();
    });
    CHECK(walk.is_ok());
    CHECK(seen == members);
  }
}

TEST_CASE("a million-member object: edits rewrite a few small trees and stay canonical") {
  ObjectStore store(make_memory_backend());
  json state = {{"map", wide_object(1000000)}, {"other", 1}};
  Oid root = write_state(store, state).value();
  Oid map = lookup(store, root, {"map"}).value()->oid;
  Shape shape = shape_of(store, map);
  CHECK(shape.levels == 2);
  CHECK(shape.largest <= 256);
  state = json();  // free the big value

  Oid changed = apply_edits(store, root, {{{"map", "member-500000"}, json("new")}}).value();
  CHECK(read_path(store, changed, {"map", "member-500000"}).value() == "new");
  CHECK(read_path(store, changed, {"map", "member-500001"}).value() == 1);
  // Setting the old value back gives the old id: the layout is canonical.
  CHECK(apply_edits(store, changed, {{{"map", "member-500000"}, json(0)}}).value() == root);

  Oid removed = apply_edits(store, root, {{{"map", "member-42"}, std::nullopt}}).value();
  CHECK(!lookup(store, removed, {"map", "member-42"}).value().has_value());
  CHECK(apply_edits(store, removed, {{{"map", "member-42"}, json(42)}}).value() == root);

  Oid added = apply_edits(store, root,
                          {{{"map", "fresh"}, json::object()}, {{"map", "fresh", "x"}, json(1)}})
                  .value();
  CHECK(read_path(store, added, {"map", "fresh"}).value() == json{{"x", 1}});
  CHECK(apply_edits(store, added, {{{"map", "fresh"}, std::nullopt}}).value() == root);
}

TEST_CASE("buckets split and collapse across the threshold, several levels at once") {
  ObjectStore store(make_memory_backend());
  // Keys sharing two hash bytes: 300 of them fan out three levels deep
  // (one bucket at levels 0 and 1), yet 256 of them make one plain tree.
  std::vector<std::string> keys = colliding_keys(kFanoutThreshold + 44, 2);
  json object = json::object();
  for (const std::string& key : keys) object[key] = key;
  Node deep = write_value(store, object).value();
  Shape shape = shape_of(store, deep.oid);
  CHECK(shape.levels == 3);
  CHECK(shape.trees > 3);
  CHECK(read_value(store, deep).value() == object);
  Oid state = write_state(store, {{"o", object}}).value();

  std::vector<Edit> removals;
  for (size_t i = 0; i < 44; ++i) {
    removals.push_back({{"o", keys[i]}, std::nullopt});
    object.erase(keys[i]);
  }
  Oid shrunk = apply_edits(store, state, removals).value();
  Node plain = *lookup(store, shrunk, {"o"}).value();
  CHECK(shape_of(store, plain.oid).levels == 0);
  CHECK(plain.oid == write_value(store, object).value().oid);

  std::vector<Edit> additions;
  for (size_t i = 0; i < 44; ++i) additions.push_back({{"o", keys[i]}, json(keys[i])});
  CHECK(apply_edits(store, shrunk, additions).value() == state);
  std::reverse(additions.begin(), additions.end());
  CHECK(apply_edits(store, shrunk, additions).value() == state);
}

TEST_CASE("when 64 hash bits run out the last level holds every colliding key") {
  ObjectStore store(make_memory_backend());
  std::vector<fanout::Member> members;
  Oid blob = store.write(ObjectType::kBlob, "1\n");
  for (size_t i = 0; i < kFanoutThreshold + 10; ++i)
    members.push_back({{"k" + std::to_string(i), kModeBlob, blob}, 0x0123456789ABCDEFull});
  Oid tree = fanout::write_node(store, members, 0);
  const char* path[] = {"%%01", "%%23", "%%45", "%%67", "%%89", "%%AB", "%%CD", "%%EF"};
  for (const char* bucket : path) {
    auto entries = store.read_tree(tree).value();
    REQUIRE(entries->size() == 1);
    CHECK(entries->front().name == bucket);
    tree = entries->front().oid;
  }
  auto last = store.read_tree(tree).value();
  CHECK(last->size() == kFanoutThreshold + 10);
  CHECK(!fanout::is_fanout(*last));
}

TEST_CASE("readers reject misshapen fanout trees") {
  ObjectStore store(make_memory_backend());
  Oid blob = store.write(ObjectType::kBlob, "1\n");
  auto corrupt_object = [&](const Oid& tree) {
    CHECK(read_value(store, {kModeTree, tree}).status().code() == Code::kCorrupt);
    CHECK(for_each_member(store, tree, [](const std::string&, const Node&) {
            return Status::ok();
          }).code() == Code::kCorrupt);
  };
  // Too few members to fan out.
  std::string key = "a";
  std::string bucket = fanout::bucket_name(fanout::bucket_of(fanout::key_hash(key), 0));
  Oid one = store.write_tree({{key, kModeBlob, blob}});
  corrupt_object(store.write_tree({{bucket, kModeTree, one}}));
  // Too many members for a plain tree.
  std::vector<TreeEntry> many;
  for (size_t i = 0; i <= kFanoutThreshold; ++i)
    many.push_back({"m" + std::to_string(i), kModeBlob, blob});
  corrupt_object(store.write_tree(many));

  json object = wide_object(kFanoutThreshold + 1);
  Oid good = write_value(store, object).value().oid;
  auto buckets = *store.read_tree(good).value();
  // A member moved to the wrong bucket.
  auto first = *store.read_tree(buckets[0].oid).value();
  auto second = *store.read_tree(buckets[1].oid).value();
  second.push_back(first.back());
  first.pop_back();
  auto moved = buckets;
  moved[1].oid = store.write_tree(second);
  if (first.empty()) {
    moved.erase(moved.begin());
  } else {
    moved[0].oid = store.write_tree(first);
  }
  corrupt_object(store.write_tree(moved));
  // A bucket name in lowercase, and a blob where a bucket should be.
  auto renamed = buckets;
  for (auto& e : renamed)
    if (e.name.find_first_of("ABCDEF") != std::string::npos) {
      std::transform(e.name.begin(), e.name.end(), e.name.begin(), ::tolower);
      break;
    }
  corrupt_object(store.write_tree(renamed));
  auto blobbed = buckets;
  blobbed.back().mode = kModeBlob;
  corrupt_object(store.write_tree(blobbed));
}
