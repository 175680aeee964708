#include "gitstate/plumbing/pointer_glob.h"

#include <catch2/catch.hpp>

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
