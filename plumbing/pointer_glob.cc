#include "gitstate/plumbing/pointer_glob.h"

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

}  // namespace gitstate
