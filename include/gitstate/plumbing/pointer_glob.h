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
// Prefix analysis answers, for a path P, what the pattern can still do at P
// and below it ("at or below P": P itself and every path that extends P),
// so that a walk over a tree can skip or keep a subtree without reading it.
// The answers are exact over all token strings (the kMaxDepth limit of real
// paths is not taken into account).
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

  // True when some path at or below `prefix` matches (there is a way down
  // from `prefix` to a match). Never fails.
  bool can_match_below(const Path& prefix) const;

  // The tokens that lead on from `prefix` towards a match: prefix + {t} can
  // match below (can_match_below) exactly when `any` is true or t is one of
  // `literals`. So when `any` is false, a walk at `prefix` needs to look only
  // at the members named in `literals` (unique, in no particular order).
  struct NextTokens {
    bool any = false;
    std::vector<std::string> literals;
  };
  NextTokens next_tokens(const Path& prefix) const;

  // The pattern text as given to parse().
  const std::string& text() const { return text_; }

 private:
  enum class Kind { kLiteral, kOne, kAny };
  struct Token {
    Kind kind = Kind::kLiteral;
    std::string literal;  // kLiteral: the unescaped key
  };

  // The positions reached after some tokens of a path: reached[i] means the
  // first i pattern tokens have matched them (i == tokens_.size(): all).
  using Positions = std::vector<bool>;
  // Adds the positions a "**" at a reached position lets through with no token.
  void close(Positions& reached) const;
  // The positions reached after `prefix`, closed.
  Positions after(const Path& prefix) const;
  // The positions reached from `from` by one more token.
  Positions step(const Positions& from, const std::string& token) const;

  std::vector<Token> tokens_;
  std::string text_;
};

}  // namespace gitstate
