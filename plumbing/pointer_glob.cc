#include "gitstate/plumbing/pointer_glob.h"

#include <algorithm>

namespace gitstate {

Result<PointerGlob> PointerGlob::parse(std::string_view pattern) {
  auto path = parse_pointer(pattern);
  if (!path.is_ok())
    return invalid("pattern '" + std::string(pattern) + "': " + path.status().message());
  PointerGlob glob;
  glob.text_ = pattern;
  for (std::string& token : *path) {
    Kind kind = token == "**" ? Kind::kAny : token == "*" ? Kind::kOne : Kind::kLiteral;
    // "**/**" matches what "**" matches; one is enough and keeps matching linear.
    if (kind == Kind::kAny && !glob.tokens_.empty() && glob.tokens_.back().kind == Kind::kAny)
      continue;
    glob.tokens_.push_back({kind, kind == Kind::kLiteral ? std::move(token) : std::string()});
  }
  return glob;
}

bool PointerGlob::matches(const Path& path) const {
  // Classic wildcard matching: on a mismatch, let the last "**" seen absorb
  // one more token and retry from there.
  size_t p = 0, s = 0;
  size_t any_at = tokens_.size(), any_absorbed = 0;
  while (s < path.size()) {
    if (p < tokens_.size() && tokens_[p].kind == Kind::kAny) {
      any_at = p++;
      any_absorbed = s;
    } else if (p < tokens_.size() &&
               (tokens_[p].kind == Kind::kOne || tokens_[p].literal == path[s])) {
      ++p, ++s;
    } else if (any_at < tokens_.size()) {
      p = any_at + 1;
      s = ++any_absorbed;
    } else {
      return false;
    }
  }
  while (p < tokens_.size() && tokens_[p].kind == Kind::kAny) ++p;
  return p == tokens_.size();
}

// Prefix analysis runs the pattern as a nondeterministic automaton whose
// states are pattern positions: a literal or "*" at position i moves a
// matching token to i + 1, a "**" at i keeps any token at i and also lets
// i + 1 be reached with no token. Every position can reach the end (give each
// literal its own token, "*" any token, "**" none), so a path can still lead
// to a match exactly when some position is reached after it.

void PointerGlob::close(Positions& reached) const {
  for (size_t i = 0; i < tokens_.size(); ++i)
    if (reached[i] && tokens_[i].kind == Kind::kAny) reached[i + 1] = true;
}

PointerGlob::Positions PointerGlob::after(const Path& prefix) const {
  Positions reached(tokens_.size() + 1, false);
  reached[0] = true;
  close(reached);
  for (const std::string& token : prefix) {
    reached = step(reached, token);
    if (std::find(reached.begin(), reached.end(), true) == reached.end()) break;
  }
  return reached;
}

PointerGlob::Positions PointerGlob::step(const Positions& from, const std::string& token) const {
  Positions to(tokens_.size() + 1, false);
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (!from[i]) continue;
    const Token& t = tokens_[i];
    if (t.kind == Kind::kAny)
      to[i] = true;
    else if (t.kind == Kind::kOne || t.literal == token)
      to[i + 1] = true;
  }
  close(to);
  return to;
}

bool PointerGlob::can_match_below(const Path& prefix) const {
  Positions reached = after(prefix);
  return std::find(reached.begin(), reached.end(), true) != reached.end();
}

PointerGlob::NextTokens PointerGlob::next_tokens(const Path& prefix) const {
  Positions reached = after(prefix);
  NextTokens next;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    if (!reached[i]) continue;
    if (tokens_[i].kind != Kind::kLiteral) {
      next.any = true;
      next.literals.clear();
      return next;
    }
    if (std::find(next.literals.begin(), next.literals.end(), tokens_[i].literal) ==
        next.literals.end())
      next.literals.push_back(tokens_[i].literal);
  }
  return next;
}

}  // namespace gitstate
