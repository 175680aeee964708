#include "gitstate/plumbing/perspective_def.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace gitstate;
using json = nlohmann::json;

namespace {
// Parses a definition that must be valid.
PerspectiveDef def(std::string_view text) {
  return parse_perspective_def(json::parse(text)).value();
}

// Checks that `text` is refused with kInvalid and a message holding `says`.
void expect_invalid(std::string_view text, std::string_view says) {
  auto parsed = parse_perspective_def(json::parse(text));
  INFO(text);
  REQUIRE(!parsed.is_ok());
  CHECK(parsed.status().code() == Code::kInvalid);
  CHECK_THAT(parsed.status().message(), Catch::Contains(std::string(says)));
}

// A lookup over definitions held in a map; counts the calls.
struct Library {
  std::map<std::string, PerspectiveDef> defs;
  int calls = 0;

  void add(std::string_view text) {
    PerspectiveDef d = def(text);
    defs[d.name] = d;
  }
  PerspectiveLookup lookup() {
    return [this](const std::string& name) -> Result<PerspectiveDef> {
      ++calls;
      auto it = defs.find(name);
      if (it == defs.end()) return not_found("no definition " + name);
      return it->second;
    };
  }
};

std::vector<std::string> texts(const std::vector<PointerGlob>& globs) {
  std::vector<std::string> out;
  for (const PointerGlob& glob : globs) out.push_back(glob.text());
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

TEST_CASE("perspective definitions parse from JSON") {
  PerspectiveDef d = def(R"({"name": "ops", "include": ["/config/**", "/status"],
                             "exclude": ["/**/password"], "extends": "basic"})");
  CHECK(d.name == "ops");
  CHECK(d.include == std::vector<std::string>{"/config/**", "/status"});
  CHECK(d.exclude == std::vector<std::string>{"/**/password"});
  CHECK(d.extends == "basic");

  PerspectiveDef minimal = def(R"({"name": "public", "include": ["/public/**"]})");
  CHECK(minimal.exclude.empty());
  CHECK(!minimal.extends);
  CHECK(def(R"({"name": "more", "extends": "public"})").include.empty());
}

TEST_CASE("perspective definitions: bad input gets a clear kInvalid") {
  expect_invalid(R"([1])", "a perspective definition is a JSON object");
  expect_invalid(R"({"include": ["/a"]})", "needs a \"name\" string");
  expect_invalid(R"({"name": 7, "include": ["/a"]})", "needs a \"name\" string");
  expect_invalid(R"({"name": "a", "include": ["/a"], "colour": "red"})",
                 "perspective 'a': unknown field \"colour\"");
  expect_invalid(R"({"name": "a", "include": "/a"})", "\"include\" must be an array");
  expect_invalid(R"({"name": "a", "include": ["/a", 3]})", "glob strings only");
  expect_invalid(R"({"name": "a", "include": ["/a"], "exclude": [null]})", "glob strings only");
  expect_invalid(R"({"name": "a", "include": ["a/b"]})", "include pattern 'a/b'");
  expect_invalid(R"({"name": "a", "include": ["/a"], "exclude": ["/~2"]})",
                 "exclude pattern '/~2'");
  expect_invalid(R"({"name": "a", "include": ["/a"], "extends": 1})", "\"extends\" must be");
  expect_invalid(R"({"name": "a", "include": ["/a"], "extends": "a"})", "extends itself");
  expect_invalid(R"({"name": "a", "include": ["/a"], "extends": "../x"})",
                 "not a valid perspective name");
  expect_invalid(R"({"name": "a"})", "includes nothing");
  expect_invalid(R"({"name": "a", "include": []})", "includes nothing");
  for (std::string_view bad :
       {"", ".hidden", "-x", "a..b", "a.", "x.lock", "a/b", "a b", "é", "a~1"}) {
    expect_invalid(json{{"name", bad}, {"include", {"/a"}}}.dump(), "perspective name");
    CHECK(!is_valid_perspective_name(bad));
  }
  expect_invalid(json{{"name", std::string(65, 'a')}, {"include", {"/a"}}}.dump(),
                 "perspective name");
  for (std::string_view good : {"a", "basic", "Level-2", "ops_team.eu", "0"})
    CHECK(is_valid_perspective_name(good));
  CHECK(is_valid_perspective_name(std::string(64, 'a')));
}

TEST_CASE("perspective definitions: canonical form and digest") {
  PerspectiveDef a = def(R"({"name": "p", "include": ["/b", "/a", "/b"], "exclude": []})");
  PerspectiveDef b = def(R"({"include": ["/a", "/b"], "name": "p"})");
  CHECK(canonical_perspective_def(a) == canonical_perspective_def(b));
  CHECK(perspective_def_json(a) ==
        json::parse(R"({"name":"p","include":["/a","/b"],"exclude":[]})"));
  CHECK(perspective_def_digest(a) == perspective_def_digest(b));
  CHECK(perspective_def_digest(a).hex().size() == 32);

  // The digest of the canonical text, frozen: XXH3-128 of
  // {"exclude":[],"include":["/a","/b"],"name":"p"}\n, high half first (as
  // xxhsum -H2 prints it; the empty input gives xxHash's published value).
  CHECK(perspective_def_digest(a) ==
        digest128("{\"exclude\":[],\"include\":[\"/a\",\"/b\"],\"name\":\"p\"}\n"));
  CHECK(perspective_def_digest(a).hex() == "5510dfe2219ec0d3a6403a9c334ae7c8");
  CHECK(digest128("").hex() == "99aa06d3014798d86001c324468d497f");

  // Every field counts.
  Digest128 base = perspective_def_digest(a);
  CHECK(perspective_def_digest(def(R"({"name": "q", "include": ["/a", "/b"]})")) != base);
  CHECK(perspective_def_digest(def(R"({"name": "p", "include": ["/a"]})")) != base);
  CHECK(perspective_def_digest(
            def(R"({"name": "p", "include": ["/a", "/b"], "exclude": ["/a"]})")) != base);
  CHECK(perspective_def_digest(def(R"({"name": "p", "include": ["/a", "/b"], "extends": "x"})")) !=
        base);
  CHECK(perspective_def_json(def(R"({"name": "p", "extends": "x"})")) ==
        json::parse(R"({"name":"p","include":[],"exclude":[],"extends":"x"})"));
}

TEST_CASE("perspective chains resolve into the union of their globs") {
  Library lib;
  lib.add(R"({"name": "basic", "include": ["/public/**"], "exclude": ["/**/password"]})");
  lib.add(R"({"name": "standard", "include": ["/team/**"], "extends": "basic"})");
  lib.add(R"({"name": "complete", "include": ["/**", "/team/**"], "extends": "standard"})");

  ResolvedPerspective complete = resolve_perspective("complete", lib.lookup()).value();
  CHECK(complete.name == "complete");
  CHECK(complete.chain == std::vector<std::string>{"complete", "standard", "basic"});
  CHECK(texts(complete.filter.include) ==
        std::vector<std::string>{"/**", "/public/**", "/team/**"});
  CHECK(texts(complete.filter.exclude) == std::vector<std::string>{"/**/password"});
  CHECK(!complete.filter.mark_hidden);
  CHECK(lib.calls == 3);

  ResolvedPerspective basic = resolve_perspective("basic", lib.lookup()).value();
  CHECK(basic.chain == std::vector<std::string>{"basic"});
  CHECK(basic.digest == perspective_def_digest(lib.defs["basic"]));

  // A change anywhere in the chain changes the digest of every level above it.
  ResolvedPerspective standard = resolve_perspective("standard", lib.lookup()).value();
  CHECK(standard.digest != basic.digest);
  CHECK(standard.digest != complete.digest);
  lib.add(R"({"name": "basic", "include": ["/public/**"], "exclude": ["/**/token"]})");
  CHECK(resolve_perspective("complete", lib.lookup()).value().digest != complete.digest);
  CHECK(resolve_perspective("standard", lib.lookup()).value().digest != standard.digest);
}

TEST_CASE("perspective chains: missing bases, cycles and depth") {
  Library lib;
  lib.add(R"({"name": "a", "include": ["/a"], "extends": "b"})");
  lib.add(R"({"name": "b", "include": ["/b"], "extends": "c"})");
  lib.add(R"({"name": "c", "include": ["/c"], "extends": "a"})");
  lib.add(R"({"name": "orphan", "include": ["/o"], "extends": "gone"})");

  auto missing = resolve_perspective("nobody", lib.lookup());
  REQUIRE(!missing.is_ok());
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message() == "no perspective 'nobody'");

  auto orphan = resolve_perspective("orphan", lib.lookup());
  REQUIRE(!orphan.is_ok());
  CHECK(orphan.status().code() == Code::kNotFound);
  CHECK(orphan.status().message() == "perspective 'orphan' extends 'gone', which does not exist");

  auto cycle = resolve_perspective("a", lib.lookup());
  REQUIRE(!cycle.is_ok());
  CHECK(cycle.status().code() == Code::kInvalid);
  CHECK(cycle.status().message() == "perspective chain a -> b -> c -> a is a cycle");

  for (size_t i = 0; i < kMaxPerspectiveChain + 1; ++i) {
    json d = {{"name", "l" + std::to_string(i)}, {"include", {"/x"}}};
    if (i > 0) d["extends"] = "l" + std::to_string(i - 1);
    lib.add(d.dump());
  }
  CHECK(resolve_perspective("l" + std::to_string(kMaxPerspectiveChain - 1), lib.lookup()).is_ok());
  auto deep = resolve_perspective("l" + std::to_string(kMaxPerspectiveChain), lib.lookup());
  REQUIRE(!deep.is_ok());
  CHECK(deep.status().code() == Code::kInvalid);
  CHECK_THAT(deep.status().message(), Catch::Contains("is longer than 16"));

  auto bad_name = resolve_perspective("../etc", lib.lookup());
  REQUIRE(!bad_name.is_ok());
  CHECK(bad_name.status().code() == Code::kInvalid);

  // A lookup that hands back another definition, or one that is not valid.
  PerspectiveLookup wrong = [](const std::string&) -> Result<PerspectiveDef> {
    return PerspectiveDef{"other", {"/x"}, {}, std::nullopt};
  };
  CHECK(resolve_perspective("p", wrong).status().code() == Code::kInvalid);
  PerspectiveLookup broken = [](const std::string& name) -> Result<PerspectiveDef> {
    return PerspectiveDef{name, {"no-slash"}, {}, std::nullopt};
  };
  CHECK(resolve_perspective("p", broken).status().code() == Code::kInvalid);
  PerspectiveLookup failing = [](const std::string&) -> Result<PerspectiveDef> {
    return io_error("disk on fire");
  };
  CHECK(resolve_perspective("p", failing).status().code() == Code::kIO);
}
