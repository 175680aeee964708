#include <algorithm>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/perspective_def.h"

namespace gitstate {

namespace {
std::string describe_chain(const std::vector<std::string>& chain, const std::string& last) {
  std::string out;
  for (const std::string& name : chain) out += name + " -> ";
  return out + last;
}

// Adds the parsed globs of `texts` to `globs`, skipping texts already there.
void add_globs(const std::vector<std::string>& texts, std::vector<PointerGlob>& globs) {
  for (const std::string& text : texts) {
    bool known = std::any_of(globs.begin(), globs.end(),
                             [&](const PointerGlob& glob) { return glob.text() == text; });
    if (!known) globs.push_back(PointerGlob::parse(text).value());
  }
}
}  // namespace

Result<ResolvedPerspective> resolve_perspective(const std::string& name,
                                                const PerspectiveLookup& lookup) {
  if (!is_valid_perspective_name(name))
    return invalid("'" + name + "' is not a valid perspective name");
  ResolvedPerspective resolved;
  resolved.name = name;
  std::string chain_text;
  std::optional<std::string> next = name;
  while (next) {
    if (std::find(resolved.chain.begin(), resolved.chain.end(), *next) != resolved.chain.end())
      return invalid("perspective chain " + describe_chain(resolved.chain, *next) + " is a cycle");
    if (resolved.chain.size() == kMaxPerspectiveChain)
      return invalid("perspective chain " + describe_chain(resolved.chain, *next) +
                     " is longer than " + std::to_string(kMaxPerspectiveChain));
    auto def = lookup(*next);
    if (!def.is_ok()) {
      if (def.status().code() == Code::kNotFound && !resolved.chain.empty())
        return not_found("perspective '" + resolved.chain.back() + "' extends '" + *next +
                         "', which does not exist");
      if (def.status().code() == Code::kNotFound)
        return not_found("no perspective '" + *next + "'");
      return def.status();
    }
    if (def->name != *next)
      return invalid("the definition found for perspective '" + *next + "' is named '" + def->name +
                     "'");
    GITSTATE_RETURN_IF_ERROR(validate_perspective_def(*def));
    chain_text += canonical_text(perspective_def_json(*def));
    add_globs(def->include, resolved.filter.include);
    add_globs(def->exclude, resolved.filter.exclude);
    resolved.chain.push_back(*next);
    next = def->extends;
  }
  resolved.digest = digest128(chain_text);
  return resolved;
}

}  // namespace gitstate
