#include "gitstate/plumbing/perspective_def.h"

#include <algorithm>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/pointer_glob.h"

namespace gitstate {

namespace {
using json = nlohmann::json;

constexpr size_t kMaxNameBytes = 64;

std::string in_quotes(std::string_view name) { return "'" + std::string(name) + "'"; }

Status check_globs(const std::string& name, const char* field,
                   const std::vector<std::string>& globs) {
  for (const std::string& text : globs) {
    auto glob = PointerGlob::parse(text);
    if (!glob.is_ok())
      return invalid("perspective " + in_quotes(name) + ": " + field + " " +
                     glob.status().message());
  }
  return Status::ok();
}

// The strings of the array `field` of `value`, if present.
Status read_strings(const json& value, const char* field, const std::string& name,
                    std::vector<std::string>& out) {
  auto it = value.find(field);
  if (it == value.end()) return Status::ok();
  if (!it->is_array())
    return invalid("perspective " + in_quotes(name) + ": \"" + field +
                   "\" must be an array of glob strings, not " + it->type_name());
  for (const json& item : *it) {
    if (!item.is_string())
      return invalid("perspective " + in_quotes(name) + ": \"" + field +
                     "\" must hold glob strings only, not " + item.type_name());
    out.push_back(item.get<std::string>());
  }
  return Status::ok();
}

void sort_unique(std::vector<std::string>& texts) {
  std::sort(texts.begin(), texts.end());
  texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
}
}  // namespace

bool is_valid_perspective_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(name.front())) return false;
  for (char c : name)
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  return name.back() != '.' && !name.ends_with(".lock") && name.find("..") == std::string::npos;
}

Status validate_perspective_def(const PerspectiveDef& def) {
  if (!is_valid_perspective_name(def.name))
    return invalid("perspective name " + in_quotes(def.name) +
                   " is invalid: use 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                   "letter or digit, not ending with '.' or '.lock', without '..'");
  GITSTATE_RETURN_IF_ERROR(check_globs(def.name, "include", def.include));
  GITSTATE_RETURN_IF_ERROR(check_globs(def.name, "exclude", def.exclude));
  if (def.extends) {
    if (!is_valid_perspective_name(*def.extends))
      return invalid("perspective " + in_quotes(def.name) + " extends " + in_quotes(*def.extends) +
                     ", which is not a valid perspective name");
    if (*def.extends == def.name)
      return invalid("perspective " + in_quotes(def.name) + " extends itself");
  } else if (def.include.empty()) {
    return invalid("perspective " + in_quotes(def.name) +
                   " includes nothing: give an include glob or a perspective to extend");
  }
  return Status::ok();
}

Result<PerspectiveDef> parse_perspective_def(const nlohmann::json& value) {
  if (!value.is_object())
    return invalid(std::string("a perspective definition is a JSON object, not ") +
                   value.type_name());
  PerspectiveDef def;
  auto name = value.find("name");
  if (name == value.end() || !name->is_string())
    return invalid("a perspective definition needs a \"name\" string");
  def.name = name->get<std::string>();
  for (auto it = value.begin(); it != value.end(); ++it)
    if (it.key() != "name" && it.key() != "include" && it.key() != "exclude" &&
        it.key() != "extends")
      return invalid("perspective " + in_quotes(def.name) + ": unknown field \"" + it.key() +
                     "\" (expected name, include, exclude, extends)");
  GITSTATE_RETURN_IF_ERROR(read_strings(value, "include", def.name, def.include));
  GITSTATE_RETURN_IF_ERROR(read_strings(value, "exclude", def.name, def.exclude));
  if (auto extends = value.find("extends"); extends != value.end()) {
    if (!extends->is_string())
      return invalid("perspective " + in_quotes(def.name) +
                     ": \"extends\" must be the name of a perspective, not " +
                     extends->type_name());
    def.extends = extends->get<std::string>();
  }
  GITSTATE_RETURN_IF_ERROR(validate_perspective_def(def));
  return def;
}

PerspectiveDef canonical_perspective_def(PerspectiveDef def) {
  sort_unique(def.include);
  sort_unique(def.exclude);
  return def;
}

nlohmann::json perspective_def_json(const PerspectiveDef& def) {
  PerspectiveDef canonical = canonical_perspective_def(def);
  json out = {
      {"name", canonical.name}, {"include", canonical.include}, {"exclude", canonical.exclude}};
  if (canonical.extends) out["extends"] = *canonical.extends;
  return out;
}

Digest128 perspective_def_digest(const PerspectiveDef& def) {
  return digest128(canonical_text(perspective_def_json(def)));
}

}  // namespace gitstate
