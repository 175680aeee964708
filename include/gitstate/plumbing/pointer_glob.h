// Pointer globs: patterns over JSON Pointer paths, for rules that apply to
// many places of a state at once ("/features/**", "/services/*/image").
//
// A pattern is written as a JSON Pointer (RFC 6901, "~0" for '~' and "~1"
// for '/'), whose tokens are matched one by one against a path's tokens:
//   - a token that is exactly "*" matches exactly one token, whatever it is;
//   - a token that is exactly "**" matches any number of tokens, zero included;
//   - any other token matches only a token equal to its unescaped text
//     ("a*" is the literal key "a*": wildcards are whole tokens only).
// So "" matches the root only, "/**" every path, "/a/**" /a and everything
// below it, "/a/*" the children of /a but not /a itself. A key that is
// exactly "*" or "**" cannot be named literally; a wildcard matches it.
//
// Thread-safety: immutable after parse; share freely between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/result.h"

namespace gitstate {

class PointerGlob {
 public:
  // Parses `pattern`. kInvalid when it is not a valid JSON Pointer (see
  // parse_pointer: missing leading '/', a '~' not followed by 0 or 1, not
  // UTF-8, more than kMaxDepth tokens); the message quotes the pattern.
  static Result<PointerGlob> parse(std::string_view pattern);

  // True when `path` matches the whole pattern. Never fails; costs at most
  // the product of the pattern's and the path's token counts.
  bool matches(const Path& path) const;

  // The pattern text as given to parse().
  const std::string& text() const { return text_; }

 private:
  enum class Kind { kLiteral, kOne, kAny };
  struct Token {
    Kind kind = Kind::kLiteral;
    std::string literal;  // kLiteral: the unescaped key
  };

  std::vector<Token> tokens_;
  std::string text_;
};

}  // namespace gitstate
