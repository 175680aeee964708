#include "gitstate/plumbing/json_pointer.h"

#include <catch2/catch.hpp>

#include "gitstate/plumbing/codec.h"

using namespace gitstate;

TEST_CASE("json pointers parse RFC 6901 examples") {
  CHECK(parse_pointer("").value() == Path{});
  CHECK(parse_pointer("/").value() == Path{""});
  CHECK(parse_pointer("/foo").value() == Path{"foo"});
  CHECK(parse_pointer("/foo/0").value() == Path{"foo", "0"});
  CHECK(parse_pointer("/a~1b").value() == Path{"a/b"});
  CHECK(parse_pointer("/m~0n").value() == Path{"m~n"});
  CHECK(parse_pointer("/~01").value() == Path{"~1"});  // ~0 first, so not '/'
  CHECK(parse_pointer("/a//b/").value() == Path{"a", "", "b", ""});
  CHECK(parse_pointer("/ sp/%25/\\/\"").value() == Path{" sp", "%25", "\\", "\""});
  CHECK(parse_pointer("/h\xC3\xA9").value() == Path{"h\xC3\xA9"});
}

TEST_CASE("json pointers reject malformed text") {
  for (std::string_view bad :
       {"a", "a/b", "/~", "/~2", "/a~", "/~a", "#/a", "/\xC3", "/\xED\xA0\x80"}) {
    auto parsed = parse_pointer(bad);
    INFO(bad);
    REQUIRE(!parsed.is_ok());
    CHECK(parsed.status().code() == Code::kInvalid);
  }
}

TEST_CASE("json pointers are limited to kMaxDepth tokens") {
  std::string at_limit, beyond;
  for (size_t i = 0; i < kMaxDepth; ++i) at_limit += "/x";
  beyond = at_limit + "/x";
  CHECK(parse_pointer(at_limit).value().size() == kMaxDepth);
  CHECK(parse_pointer(beyond).status().code() == Code::kInvalid);
}

TEST_CASE("json pointers format and round-trip") {
  CHECK(format_pointer({}) == "");
  CHECK(format_pointer({""}) == "/");
  CHECK(format_pointer({"a/b", "m~n", "~1"}) == "/a~1b/m~0n/~01");
  std::vector<Path> paths = {
      {"config", "db", "port"}, {"", ""}, {"~", "/", "~/~"}, {"\xE2\x82\xAC", "0"}};
  for (const Path& path : paths) {
    auto back = parse_pointer(format_pointer(path));
    REQUIRE(back.is_ok());
    CHECK(*back == path);
  }
}
