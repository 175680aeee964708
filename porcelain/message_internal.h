// Commit messages: the text a commit carries, and the trailer block at its end.
//
// Format (docs/api.md): the message, trimmed of trailing spaces and blank
// lines, then a newline; with tags, a trailer block follows: a blank line and
// one `State-Tag: <tag>` line per tag (appended to the message's own trailer
// block when its last paragraph already is one), as `git interpret-trailers`
// and `git log --format=%(trailers)` read it. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gitstate/result.h"

namespace gitstate {

constexpr std::string_view kTagTrailer = "State-Tag";

// Checks a message and tags (kInvalid: an empty message or NUL in it; an empty tag, one
// with a line break or NUL, or with leading/trailing whitespace) and
// returns the commit message text.
Result<std::string> format_message(std::string_view message, const std::vector<std::string>& tags);

struct ParsedMessage {
  std::string body;  // without the trailer block and trailing newlines
  std::vector<std::string> tags;
  std::vector<std::pair<std::string, std::string>> trailers;
};

// Splits a commit message: the last paragraph is a trailer block when the
// message has another paragraph before it and each of its lines is
// `Token: value` (token of letters, digits and '-').
ParsedMessage parse_message(std::string_view message);

}  // namespace gitstate
