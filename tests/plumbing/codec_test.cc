#include "gitstate/plumbing/codec.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <set>

#include "plumbing/random_json.h"
#include "support/test_util.h"

using namespace gitstate;
using json = nlohmann::json;
using gitstate::test::RandomJson;

namespace {
json nested_objects(size_t levels) {  // {"a":{"a":...{"a":1}}} with `levels` objects
  json value = 1;
  for (size_t i = 0; i < levels; ++i) value = json{{"a", std::move(value)}};
  return value;
}

json nested_arrays(size_t levels) {
  json value = 1;
  for (size_t i = 0; i < levels; ++i) value = json::array({std::move(value)});
  return value;
}

// Stores a raw tree in the store, bypassing the codec.
Oid raw_tree(ObjectStore& store, std::vector<TreeEntry> entries) {
  return store.write_tree(std::move(entries));
}
Oid raw_blob(ObjectStore& store, std::string text) {
  return store.write(ObjectType::kBlob, std::move(text));
}
}  // namespace

TEST_CASE("canonical text of numbers") {
  struct Case {
    json value;
    const char* text;
  };
  const double two63 = 9223372036854775808.0, two64 = 18446744073709551616.0;
  std::vector<Case> cases = {
      {0, "0"},
      {-0.0, "0"},
      {1.0, "1"},
      {-1.5, "-1.5"},
      {0.1, "0.1"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1e-7, "1e-7"},
      {1.5e-7, "1.5e-7"},
      {0.000001, "0.000001"},
      {123456.789, "123456.789"},
      {4503599627370495.5, "4503599627370495.5"},
      {1e19, "10000000000000000000"},
      {1e20, "1e+20"},
      {1e21, "1e+21"},
      {1e300, "1e+300"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {two63, "9223372036854775808"},
      {-two63, "-9223372036854775808"},
      {two64, "1.8446744073709552e+19"},
      {-two64, "-1.8446744073709552e+19"},
      {std::ldexp(1.0, 60), "1152921504606846976"},
      {std::numeric_limits<int64_t>::min(), "-9223372036854775808"},
      {std::numeric_limits<int64_t>::max(), "9223372036854775807"},
      {std::numeric_limits<uint64_t>::max(), "18446744073709551615"},
      {-42, "-42"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(canonical_text(c.value) == std::string(c.text) + "\n");
    auto back = parse_json_text(c.text);
    REQUIRE(back.is_ok());
    CHECK(*back == c.value);
    CHECK(canonical_text(*back) == canonical_text(c.value));
  }
}

TEST_CASE("canonical text of strings, containers and literals") {
  CHECK(canonical_text(nullptr) == "null\n");
  CHECK(canonical_text(true) == "true\n");
  CHECK(canonical_text(false) == "false\n");
  CHECK(canonical_text(std::string("a\"b\\c/\n\t\b\f\r\x01\x1F\x7F\xC3\xA9\xF0\x9F\x98\x80") +
                       '\0') ==
        "\"a\\\"b\\\\c/\\n\\t\\b\\f\\r\\u0001\\u001f\x7F\xC3\xA9\xF0\x9F\x98\x80\\u0000\"\n");
  CHECK(canonical_text(json::array()) == "[]\n");
  CHECK(canonical_text(json::object()) == "{}\n");
  json nested = json::parse(R"([{"b":1,"a":[true,null],"":{"\u00e9":2,"z":3}}, "x", 1.5])");
  CHECK(canonical_text(nested) ==
        "[{\"\":{\"z\":3,\"\xC3\xA9\":2},\"a\":[true,null],\"b\":1},\"x\",1.5]\n");
}

TEST_CASE("canonical number text round-trips for random doubles") {
  RandomJson gen(7);
  for (int i = 0; i < 20000; ++i) {
    json number = gen.number();
    std::string text = canonical_text(number);
    auto back = parse_json_text(text);
    INFO(text);
    REQUIRE(back.is_ok());
    CHECK(*back == number);
    CHECK(canonical_text(*back) == text);
  }
}

TEST_CASE("parse_json_text is strict and names the place of an error") {
  auto error = [](std::string_view text) {
    auto parsed = parse_json_text(text);
    REQUIRE(!parsed.is_ok());
    CHECK(parsed.status().code() == Code::kInvalid);
    return parsed.status().message();
  };
  CHECK_THAT(error("{\"a\": 1,\n \"b\": tru}"), Catch::Contains("line 2, column"));
  CHECK_THAT(error("[1, 2,]"), Catch::Contains("line 1"));
  CHECK_THAT(error("{\"a\": 1, \"a\": 2}"), Catch::Contains("duplicate key \"a\""));
  CHECK_THAT(error("{\"x\": [{\"k\": 1, \"k\": 2}]}"), Catch::Contains("at '/x/0'"));
  error("");
  error("1 2");
  error("// comment\n1");
  error("NaN");
  error("1e400");
  error("\"\xC3\"");          // truncated UTF-8
  error("\"\xED\xA0\x80\"");  // encoded surrogate
  error("\"\\ud800\"");       // lone surrogate escape
  error("\"a\nb\"");          // raw control character
  CHECK(parse_json_text("{\"a\":[1,{\"b\":null}]}").value() ==
        json::parse("{\"a\":[1,{\"b\":null}]}"));
  CHECK(parse_json_text(" \n\"\\u00e9\" ").value() == "\xC3\xA9");
  CHECK(parse_json_text("123456789012345678901234567890").value().is_number_float());
}

TEST_CASE("parse_json_text limits nesting to kMaxDepth") {
  std::string ok = std::string(kMaxDepth, '[') + std::string(kMaxDepth, ']');
  CHECK(parse_json_text(ok).is_ok());
  std::string deep = std::string(kMaxDepth + 1, '[') + std::string(kMaxDepth + 1, ']');
  auto parsed = parse_json_text(deep);
  REQUIRE(parsed.status().code() == Code::kInvalid);
  CHECK_THAT(parsed.status().message(), Catch::Contains("line 1, column 257"));
  CHECK_THAT(parsed.status().message(), Catch::Contains("deeper than 256"));
  std::string huge(1000000, '[');  // no stack overflow, just an error
  CHECK(parse_json_text(huge).status().code() == Code::kInvalid);
}

TEST_CASE("escape_key leaves ordinary keys alone") {
  for (std::string key : {"port", "a.b", "a b", "CON", "\xC3\xA9t\xC3\xA9", "a.", "x-y_z", "a:b",
                          "1", "git", "gitmodules"})
    CHECK(escape_key(key) == key);
}

TEST_CASE("escape_key table") {
  std::vector<std::pair<std::string, std::string>> table = {
      {"", "%"},
      {".", "%2E"},
      {"..", "%2E."},
      {".git", "%2Egit"},
      {".GIT ", "%2EGIT "},
      {".gitmodules", "%2Egitmodules"},
      {"..x", "%2E.x"},
      {"a/b", "a%2Fb"},
      {"\\", "%5C"},
      {"a\\.git", "a%5C.git"},
      {"%", "%25"},
      {"%%0A", "%25%250A"},
      {"~", "%7E"},
      {"git~1", "git%7E1"},
      {std::string("a\0b", 3), "a%00b"},
      {"\xE2\x80\x8C.git", "\xE2\x80\x8C%2Egit"},
      {"\xEF\xBB\xBF\xE2\x80\x8F.x", "\xEF\xBB\xBF\xE2\x80\x8F%2Ex"},
      {"\xC3\xA9.git", "\xC3\xA9.git"},  // é is not ignorable: the dot is not leading
      {"a.git", "a.git"},
  };
  for (const auto& [key, name] : table) {
    INFO(name);
    CHECK(escape_key(key) == name);
    auto back = unescape_name(name);
    REQUIRE(back.is_ok());
    CHECK(*back == key);
  }
}

TEST_CASE("escaped names are unique, git-safe and never look like buckets") {
  std::set<std::string> names;
  auto keys = test::awkward_keys();
  std::set<std::string> unique_keys(keys.begin(), keys.end());
  for (const std::string& key : unique_keys) {
    std::string name = escape_key(key);
    INFO(name);
    CHECK(names.insert(name).second);
    CHECK(!name.empty());
    CHECK(name.find('/') == std::string::npos);
    CHECK(name.find('\0') == std::string::npos);
    CHECK(name.find("%%") == std::string::npos);
    CHECK(name.find('~') == std::string::npos);
    CHECK(name != ".");
    CHECK(name != "..");
    CHECK(name[0] != '.');
  }
}

TEST_CASE("unescape_name rejects names no key produces") {
  for (std::string name : {"%2e", "%2", "%", "a%", "%%0A", "%41", "a%2Eb", "%ZZ", ".git", "..",
                           "%FF", "\xFF", "git~1", "a\\b", "x%C3"}) {
    if (name == "%") continue;  // the empty key
    INFO(name);
    CHECK(unescape_name(name).status().code() == Code::kCorrupt);
  }
}

TEST_CASE("values round-trip through trees and blobs") {
  ObjectStore store(make_memory_backend());
  RandomJson gen(12345);
  for (int i = 0; i < 300; ++i) {
    json state = gen.object(5, 8);
    auto root = write_state(store, state);
    REQUIRE(root.is_ok());
    auto back = read_value(store, {kModeTree, *root});
    REQUIRE(back.is_ok());
    CHECK(*back == state);
    CHECK(canonical_text(*back) == canonical_text(state));
    CHECK(hash_state(state).value() == *root);
    CHECK(write_state(store, *back).value() == *root);
  }
}

TEST_CASE("scalars and arrays are blobs, objects are trees") {
  ObjectStore store(make_memory_backend());
  json state = {{"config", {{"db", {{"port", 5432}, {"hosts", {"a", "b"}}}}}},
                {"empty", json::object()}};
  Oid root = write_state(store, state).value();
  auto port = lookup(store, root, {"config", "db", "port"}).value();
  REQUIRE(port.has_value());
  CHECK(!port->is_tree());
  CHECK(store.read(port->oid).value().data == "5432\n");
  auto hosts = lookup(store, root, {"config", "db", "hosts"}).value();
  CHECK(store.read(hosts->oid).value().data == "[\"a\",\"b\"]\n");
  auto empty = lookup(store, root, {"empty"}).value();
  REQUIRE(empty.has_value());
  CHECK(empty->is_tree());
  CHECK(empty->oid == empty_tree_id());
  CHECK(lookup(store, root, {}).value()->oid == root);
  CHECK(write_state(store, json::array()).status().code() == Code::kInvalid);
  CHECK(write_state(store, 5).status().code() == Code::kInvalid);
  auto blob = write_value(store, 5);
  REQUIRE(blob.is_ok());
  CHECK(!blob->is_tree());
}

TEST_CASE("writers enforce the limits with kInvalid") {
  ObjectStore store(make_memory_backend());
  CHECK(write_value(store, nested_objects(kMaxDepth)).is_ok());
  auto deep = write_value(store, nested_objects(kMaxDepth + 1));
  REQUIRE(deep.status().code() == Code::kInvalid);
  CHECK_THAT(deep.status().message(), Catch::Contains("deeper than 256"));
  json arrays = {{"a", nested_arrays(kMaxDepth - 1)}};
  CHECK(write_value(store, arrays).is_ok());
  CHECK(read_value(store, write_value(store, arrays).value()).value() == arrays);
  arrays = {{"a", nested_arrays(kMaxDepth)}};
  CHECK(write_value(store, arrays).status().code() == Code::kInvalid);

  CHECK(write_value(store, json{{std::string(kMaxKeyBytes, 'k'), 1}}).is_ok());
  auto long_key = write_value(store, json{{std::string(kMaxKeyBytes + 1, 'k'), 1}});
  CHECK(long_key.status().code() == Code::kInvalid);
  CHECK_THAT(long_key.status().message(), Catch::Contains("4097 bytes"));
  // The limit counts escaped bytes: 1366 '%' escape to 4098.
  CHECK(write_value(store, json{{std::string(1366, '%'), 1}}).status().code() == Code::kInvalid);

  CHECK(write_value(store, json{{"x", std::nan("")}}).status().code() == Code::kInvalid);
  CHECK(write_value(store, json{{"x", {1, INFINITY}}}).status().code() == Code::kInvalid);
  auto bad_utf8 = write_value(store, json{{"x", {{"y", "\xFF"}}}});
  CHECK(bad_utf8.status().code() == Code::kInvalid);
  CHECK_THAT(bad_utf8.status().message(), Catch::Contains("/x/y"));
  CHECK(write_value(store, json{{"\xC3", 1}}).status().code() == Code::kInvalid);
  CHECK(write_value(store, json::array({json{{"\xC3", 1}}})).status().code() == Code::kInvalid);
  CHECK(write_value(store, json::binary({1, 2})).status().code() == Code::kInvalid);

  // kMaxBlobBytes counts the canonical text: two quotes and a newline around a string.
  CHECK(write_value(store, json(std::string(kMaxBlobBytes - 3, 'v'))).is_ok());
  auto big = write_value(store, json{{"doc", std::string(kMaxBlobBytes - 2, 'v')}});
  REQUIRE(big.status().code() == Code::kInvalid);
  CHECK_THAT(big.status().message(), Catch::Contains("/doc") && Catch::Contains("16777216"));
}

TEST_CASE("a blob over kMaxBlobBytes reads as kCorrupt") {
  ObjectStore store(make_memory_backend());
  Oid blob = store.write(ObjectType::kBlob, canonical_text(json(std::string(kMaxBlobBytes, 'v'))));
  auto value = read_value(store, Node{kModeBlob, blob});
  REQUIRE(value.status().code() == Code::kCorrupt);
  CHECK_THAT(value.status().message(), Catch::Contains(blob.hex()));
}

TEST_CASE("read_value rejects what the codec would not have written") {
  ObjectStore store(make_memory_backend());
  Oid good = raw_blob(store, "5432\n");
  auto corrupt_blob = [&](std::string text) {
    INFO(text);
    CHECK(read_value(store, {kModeBlob, raw_blob(store, text)}).status().code() == Code::kCorrupt);
  };
  CHECK(read_value(store, {kModeBlob, good}).value() == 5432);
  corrupt_blob("5432");
  corrupt_blob("1.0\n");
  corrupt_blob("-0\n");
  corrupt_blob("[1, 2]\n");
  corrupt_blob("{\"a\":1}\n");
  corrupt_blob("\"\\u0041\"\n");
  corrupt_blob("nope\n");
  auto corrupt_tree = [&](std::vector<TreeEntry> entries) {
    CHECK(read_value(store, {kModeTree, raw_tree(store, entries)}).status().code() ==
          Code::kCorrupt);
  };
  raw_tree(store, {});  // the empty tree, read below where a blob should be
  corrupt_tree({{"%2e", kModeBlob, good}});
  corrupt_tree({{".git", kModeBlob, good}});
  corrupt_tree({{"a%", kModeBlob, good}});
  corrupt_tree({{"\xFF", kModeBlob, good}});
  corrupt_tree({{"x", 0100755, good}});
  corrupt_tree({{"x", kModeTree, good}});  // a blob where a tree should be
  corrupt_tree({{"x", kModeBlob, empty_tree_id()}});
  CHECK(read_value(store, {kModeTree, raw_tree(store, {{"%2Egit", kModeBlob, good}})}).value() ==
        json{{".git", 5432}});
}

TEST_CASE("lookup and read_path") {
  ObjectStore store(make_memory_backend());
  json state = {{"list", {1, {{"name", "x"}}, {5, 6}}}, {"n", 3}, {"o", {{"a/b", {{"~", true}}}}}};
  Oid root = write_state(store, state).value();

  CHECK(!lookup(store, root, {"missing"}).value().has_value());
  CHECK(!lookup(store, root, {"o", "zz", "y"}).value().has_value());
  auto through = lookup(store, root, {"n", "x"});
  REQUIRE(through.status().code() == Code::kInvalid);
  CHECK_THAT(through.status().message(), Catch::Contains("goes through a scalar at /n"));
  auto through_array = lookup(store, root, {"list", "0"});
  REQUIRE(through_array.status().code() == Code::kInvalid);
  CHECK_THAT(through_array.status().message(), Catch::Contains("an array at /list"));

  CHECK(read_path(store, root, {}).value() == state);
  CHECK(read_path(store, root, {"o", "a/b", "~"}).value() == true);
  CHECK(read_path(store, root, {"list", "0"}).value() == 1);
  CHECK(read_path(store, root, {"list", "1", "name"}).value() == "x");
  CHECK(read_path(store, root, {"list", "2", "1"}).value() == 6);
  for (Path missing : std::vector<Path>{{"zz"},
                                        {"list", "3"},
                                        {"list", "01"},
                                        {"list", "-"},
                                        {"list", "x"},
                                        {"list", "1", "nope"},
                                        {"n", "0"},
                                        {"o", "a/b", "~", "x"}}) {
    auto value = read_path(store, root, missing);
    INFO(format_pointer(missing));
    REQUIRE(value.status().code() == Code::kNotFound);
    CHECK_THAT(value.status().message(), Catch::Contains(format_pointer(missing)));
  }
}

TEST_CASE("for_each_member visits members in key order and stops on error") {
  ObjectStore store(make_memory_backend());
  json state = {{"b", 1}, {"a", {{"x", 1}}}, {"%", 2}, {"", 3}, {"a/b", 4}, {".", 5}};
  Oid root = write_state(store, state).value();
  std::vector<std::string> keys;
  Status status = for_each_member(store, root, [&](const std::string& key, const Node& node) {
    keys.push_back(key);
    CHECK(node.is_tree() == (key == "a"));
    return Status::ok();
  });
  CHECK(status.is_ok());
  CHECK(keys == std::vector<std::string>{"", "%", ".", "a", "a/b", "b"});
  int calls = 0;
  status = for_each_member(store, root, [&](const std::string&, const Node&) {
    return ++calls == 2 ? not_found("stop") : Status::ok();
  });
  CHECK(status.code() == Code::kNotFound);
  CHECK(calls == 2);
}

TEST_CASE("stock git reads the trees, and fsck --strict accepts awkward keys") {
  ObjectStore store(make_memory_backend());
  json state = {{"config", {{"db", {{"port", 5432}}}}}};
  // Blob contents that would upset fsck's .gitmodules/.gitattributes checks
  // if the names were not escaped.
  json nasty = {std::string(3000, 'x'), "[submodule \"x\"]\n\tpath = -x\n\turl = --upload-pack=x"};
  for (const std::string& key : test::awkward_keys()) {
    state["flat"][key] = nasty;
    state["nested"][key] = {{key, 1}};
  }
  Oid root = write_state(store, state).value();

  test::TempDir dir;
  std::string git = "git --git-dir=" + test::shell_quote(dir.str());
  REQUIRE(test::run_command("git init -q --bare " + test::shell_quote(dir.str())).exit_code == 0);
  // Export every object with `git hash-object`, which recomputes each id.
  std::vector<Oid> pending = {root};
  std::set<Oid> seen;
  while (!pending.empty()) {
    Oid id = pending.back();
    pending.pop_back();
    if (!seen.insert(id).second) continue;
    Object object = store.read(id).value();
    auto written = test::run_command(
        git + " hash-object -w --stdin -t " + object_type_name(object.type), object.data);
    REQUIRE(written.exit_code == 0);
    CHECK(written.output == id.hex() + "\n");
    if (object.type == ObjectType::kTree)
      for (const TreeEntry& e : *store.read_tree(id).value()) pending.push_back(e.oid);
  }
  auto commit = test::run_command(
      "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t "
      "GIT_COMMITTER_EMAIL=t@t " +
      git + " commit-tree -m state " + root.hex());
  REQUIRE(commit.exit_code == 0);
  REQUIRE(test::run_command(git + " update-ref refs/heads/main " + commit.output).exit_code == 0);
  CHECK(test::run_command(git + " show main:config/db/port").output == "5432\n");
  CHECK(test::run_command(git + " fsck --strict --full --no-dangling 2>&1").exit_code == 0);
  auto names = test::run_command(git + " ls-tree --name-only -z main:flat");
  CHECK(names.output.find(std::string("%2Egitmodules") + '\0') != std::string::npos);
  CHECK(names.output.find(std::string("git%7E1") + '\0') != std::string::npos);
}
