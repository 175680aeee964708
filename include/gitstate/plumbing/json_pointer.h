// JSON Pointers (RFC 6901): how gitstate names a place inside a state.
//
// A Path is the list of unescaped reference tokens: "/config/db~1x" is
// {"config", "db/x"}; the empty pointer "" is the root, the empty Path. A
// token names an object member by key or, inside an array value, an element by
// index ("0", "17"). Paths hold at most kMaxDepth tokens (codec.h), the
// nesting limit of stored values.
//
// Pure functions on values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitstate/result.h"

namespace gitstate {

// Unescaped key segments, outermost first.
using Path = std::vector<std::string>;

// Parses an RFC 6901 pointer: "" is the root; otherwise it must start with
// '/', and "~0" / "~1" stand for '~' / '/'. kInvalid when the leading '/' is
// missing, a '~' is followed by anything but '0' or '1', the text is not
// well-formed UTF-8, or it has more than kMaxDepth tokens.
Result<Path> parse_pointer(std::string_view pointer);

// The pointer text of `path`: "/a/b~1c" for {"a", "b/c"}; "" for the root.
// Never fails; parse_pointer(format_pointer(p)) == p for every valid path.
std::string format_pointer(const Path& path);

}  // namespace gitstate
