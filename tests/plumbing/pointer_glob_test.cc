#include "gitstate/plumbing/pointer_glob.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "gitstate/plumbing/codec.h"

using namespace gitstate;

namespace {
// Checks that `pattern` matches each of `yes` and none of `no` (pointers).
void expect(std::string_view pattern, std::initializer_list<std::string_view> yes,
            std::initializer_list<std::string_view> no) {
  PointerGlob glob = PointerGlob::parse(pattern).value();
  for (std::string_view pointer : yes) {
    INFO(pattern << " should match " << pointer);
    CHECK(glob.matches(parse_pointer(pointer).value()));
  }
  for (std::string_view pointer : no) {
    INFO(pattern << " should not match " << pointer);
    CHECK(!glob.matches(parse_pointer(pointer).value()));
  }
}
}  // namespace

TEST_CASE("pointer globs: literal tokens match equal tokens only") {
  expect("", {""}, {"/a", "/"});
  expect("/a/b", {"/a/b"}, {"/a", "/a/b/c", "/a/c", ""});
  expect("/", {"/"}, {""});                             // the empty key
  expect("/a~1b/m~0n", {"/a~1b/m~0n"}, {"/a/b/m~0n"});  // keys "a/b" and "m~n"
  expect("/a*", {"/a*"}, {"/ab", "/a"});                // wildcards are whole tokens only
  expect("/***", {"/***"}, {"/x"});
  expect("/h\xC3\xA9", {"/h\xC3\xA9"}, {"/h"});
}

TEST_CASE("pointer globs: * matches exactly one token") {
  expect("/*", {"/a", "/", "/*"}, {"", "/a/b"});
  expect("/services/*/image", {"/services/name=web/image"},
         {"/services/image", "/services/a/b/image"});
  expect("/*/*", {"/a/b"}, {"/a", "/a/b/c"});
}

TEST_CASE("pointer globs: ** matches any number of tokens, zero included") {
  expect("/**", {"", "/a", "/a/b/c"}, {});
  expect("/features/**", {"/features", "/features/x", "/features/x/y/z"},
         {"/feature", "/other/features", ""});
  expect("/**/port", {"/port", "/a/b/port"}, {"/a/port/b", ""});
  expect("/a/**/b/**/c", {"/a/b/c", "/a/x/b/y/z/c", "/a/b/b/c/b/c"}, {"/a/c/b", "/a/c"});
  expect("/**/**", {"", "/x"}, {});
  expect("/**/*", {"/x", "/x/y"}, {""});
  expect("/*/**", {"/x", "/x/y"}, {""});
}

TEST_CASE("pointer globs: backtracking finds a match whatever ** absorbs first") {
  // The first "b" is a false start for "/**/b/c".
  expect("/**/b/c", {"/b/x/b/c"}, {"/b/c/x"});
  expect("/**/b/*/d", {"/b/b/b/c/d"}, {"/b/b/b/c/e"});
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += "/a";
  expect("/**/a/a/**/a", {deep}, {"/a/a"});
  expect("/**/b/**/a", {}, {deep});
}

TEST_CASE("pointer globs keep their text and reject malformed patterns") {
  CHECK(PointerGlob::parse("/features/**").value().text() == "/features/**");
  for (std::string_view bad : {"a", "*", "**", "/~", "/~2", "/\xC3"}) {
    auto glob = PointerGlob::parse(bad);
    INFO(bad);
    REQUIRE(!glob.is_ok());
    CHECK(glob.status().code() == Code::kInvalid);
    CHECK(glob.status().message().find("pattern '") == 0);
  }
}

namespace {
Path path_of(std::string_view pointer) { return parse_pointer(pointer).value(); }

// Every path of at most `length` tokens over `alphabet`.
std::vector<Path> all_paths(const std::vector<std::string>& alphabet, size_t length) {
  std::vector<Path> out = {{}};
  for (size_t begin = 0, n = 0; n < length; ++n) {
    size_t end = out.size();
    for (size_t i = begin; i < end; ++i)
      for (const std::string& token : alphabet) {
        Path longer = out[i];
        longer.push_back(token);
        out.push_back(std::move(longer));
      }
    begin = end;
  }
  return out;
}
}  // namespace

TEST_CASE("pointer globs: what can still match at or below a prefix") {
  auto glob = [](std::string_view pattern) { return PointerGlob::parse(pattern).value(); };
  CHECK(glob("/a/b").can_match_below(path_of("")));
  CHECK(glob("/a/b").can_match_below(path_of("/a")));
  CHECK(glob("/a/b").can_match_below(path_of("/a/b")));
  CHECK(!glob("/a/b").can_match_below(path_of("/a/b/c")));
  CHECK(!glob("/a/b").can_match_below(path_of("/x")));
  CHECK(glob("/*/b").can_match_below(path_of("/x")));
  CHECK(!glob("/*/b").can_match_below(path_of("/x/c")));
  CHECK(glob("/**/b").can_match_below(path_of("/x/c/d")));
  CHECK(!glob("").can_match_below(path_of("/a")));
}

TEST_CASE("pointer globs: the tokens that lead on from a prefix") {
  auto next = [](std::string_view pattern, std::string_view prefix) {
    return PointerGlob::parse(pattern).value().next_tokens(path_of(prefix));
  };
  auto literals = [](PointerGlob::NextTokens n) {
    std::sort(n.literals.begin(), n.literals.end());
    return n.literals;
  };
  CHECK(!next("/a/b", "").any);
  CHECK(literals(next("/a/b", "")) == std::vector<std::string>{"a"});
  CHECK(literals(next("/a/b", "/a")) == std::vector<std::string>{"b"});
  CHECK(literals(next("/a/b", "/a/b")).empty());
  CHECK(literals(next("/a/b", "/x")).empty());
  CHECK(next("/a/*", "/a").any);
  CHECK(next("/**/b", "/a").any);
  CHECK(!next("/a/**", "").any);
}

TEST_CASE("pointer globs: prefix analysis agrees with matching every extension") {
  // Patterns of up to 4 tokens over a, b, * and **; prefixes and extensions
  // over a, b and c (c is no literal of any pattern). The analysis settles
  // within the pattern's length + 1 more tokens, so extensions of up to 5
  // tokens decide the truth.
  const std::vector<std::string> pattern_tokens = {"a", "b", "*", "**"};
  const std::vector<std::string> alphabet = {"a", "b", "c"};
  std::vector<Path> patterns = all_paths(pattern_tokens, 4);
  std::vector<Path> prefixes = all_paths(alphabet, 3);
  std::vector<Path> extensions = all_paths(alphabet, 5);
  for (const Path& pattern_path : patterns) {
    PointerGlob glob = PointerGlob::parse(format_pointer(pattern_path)).value();
    for (const Path& prefix : prefixes) {
      bool some = false;
      std::vector<std::string> leading;
      for (const Path& extension : extensions) {
        Path full = prefix;
        full.insert(full.end(), extension.begin(), extension.end());
        bool match = glob.matches(full);
        some = some || match;
        if (match && !extension.empty() &&
            std::find(leading.begin(), leading.end(), extension[0]) == leading.end())
          leading.push_back(extension[0]);
      }
      INFO(glob.text() << " at " << format_pointer(prefix));
      REQUIRE(glob.can_match_below(prefix) == some);
      PointerGlob::NextTokens next = glob.next_tokens(prefix);
      if (next.any) {
        REQUIRE(leading.size() == alphabet.size());
      } else {
        std::sort(next.literals.begin(), next.literals.end());
        std::sort(leading.begin(), leading.end());
        REQUIRE(next.literals == leading);
      }
    }
  }
}
