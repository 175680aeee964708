#include "gitstate/revision.h"

#include <cctype>
#include <charconv>
#include <set>
#include <unordered_set>

#include "gitstate/plumbing/refs.h"
#include "perspective_internal.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
bool is_hex(std::string_view text) {
  return !text.empty() &&
         text.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Follows annotated tags to the commit they name.
Result<Oid> peel_to_commit(ObjectStore& store, Oid id, const std::string& rev) {
  for (int depth = 0; depth < 16; ++depth) {
    auto object = store.read(id);
    if (!object.is_ok()) {
      if (object.status().code() == Code::kNotFound)
        return not_found("revision '" + rev + "': object " + id.hex() + " does not exist");
      return object.status();
    }
    if (object->type == ObjectType::kCommit) return id;
    if (object->type != ObjectType::kTag)
      return invalid("revision '" + rev + "' names a " + object_type_name(object->type) +
                     ", not a commit");
    std::string_view data = object->data;
    if (data.substr(0, 7) != "object " || data.size() < 47)
      return corrupt("tag " + id.hex() + " has no object header");
    GITSTATE_ASSIGN_OR_RETURN(id, Oid::from_hex(data.substr(7, 40)));
  }
  return corrupt("revision '" + rev + "': tags nest too deeply");
}

// Commits reachable from any ref whose id starts with `prefix` (lowercase).
Result<std::vector<Oid>> commits_with_prefix(RepositoryState& state, const std::string& prefix) {
  GITSTATE_ASSIGN_OR_RETURN(auto refs, list_refs(*state.git_dir, "refs/"));
  std::vector<Oid> pending;
  for (const auto& [name, id] : refs) {
    auto commit = peel_to_commit(*state.store, id, name);
    if (commit.is_ok()) pending.push_back(*commit);
  }
  std::unordered_set<Oid, OidHash> seen;
  std::set<Oid> matches;
  while (!pending.empty()) {
    Oid id = pending.back();
    pending.pop_back();
    if (!seen.insert(id).second) continue;
    if (id.hex().compare(0, prefix.size(), prefix) == 0) matches.insert(id);
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(*state.store, id));
    for (const Oid& parent : commit.parents) pending.push_back(parent);
  }
  return std::vector<Oid>(matches.begin(), matches.end());
}

// `matches` without the commits the handle does not see.
Result<std::vector<Oid>> visible_only(const Repository& repo, std::vector<Oid> matches) {
  std::vector<Oid> kept;
  for (const Oid& id : matches) {
    GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(repo.objects(), id));
    GITSTATE_ASSIGN_OR_RETURN(bool visible, commit_visible(repo, commit));
    if (visible) kept.push_back(id);
  }
  return kept;
}

Result<Oid> resolve_base(const Repository& repo, const std::string& base, const std::string& rev) {
  RepositoryState& state = state_of(repo);
  if (base == "HEAD") {
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, read_ref(*state.git_dir, "HEAD"));
    if (!head) return not_found("revision '" + rev + "': the current branch has no commits yet");
    return *head;
  }
  if (base.size() == 40 && is_hex(base)) {
    GITSTATE_ASSIGN_OR_RETURN(Oid id, Oid::from_hex(base));
    if (!state.store->contains(id))
      return not_found("revision '" + rev + "': no commit " + lower(base));
    return peel_to_commit(*state.store, id, rev);
  }
  std::vector<std::string> candidates = {"refs/" + base, "refs/tags/" + base, "refs/heads/" + base,
                                         "refs/remotes/" + base, "refs/remotes/" + base + "/HEAD"};
  if (base.rfind("refs/", 0) == 0) candidates.insert(candidates.begin(), base);
  for (const std::string& name : candidates) {
    auto target = read_ref(*state.git_dir, name);
    if (!target.is_ok()) {
      if (target.status().code() == Code::kInvalid) continue;
      return target.status();
    }
    if (*target) return peel_to_commit(*state.store, **target, rev);
  }
  if (base.size() >= 4 && is_hex(base)) {
    GITSTATE_ASSIGN_OR_RETURN(std::vector<Oid> matches, commits_with_prefix(state, lower(base)));
    GITSTATE_ASSIGN_OR_RETURN(matches, visible_only(repo, std::move(matches)));
    if (matches.size() == 1) return matches.front();
    if (matches.size() > 1) {
      std::string list;
      for (const Oid& id : matches) list += (list.empty() ? "" : ", ") + id.hex();
      return invalid("revision '" + rev + "' is ambiguous: " + list);
    }
  }
  return not_found("unknown revision '" + rev + "'");
}

// The commit `base` resolved to as the handle sees it: a commit named by its
// id that the handle does not see is not found, with the message an absent
// id gets; one named by a ref reads as its visible ancestor.
Result<Oid> visible_base(const Repository& repo, const std::string& base, const std::string& rev,
                         const Oid& id) {
  if (!is_hex(base)) return visible_commit(repo, id);
  GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(repo.objects(), id));
  GITSTATE_ASSIGN_OR_RETURN(bool visible, commit_visible(repo, commit));
  if (visible) return id;
  if (base.size() == 40) return not_found("revision '" + rev + "': no commit " + lower(base));
  return not_found("unknown revision '" + rev + "'");
}
}  // namespace

bool is_valid_ref_name(std::string_view name) {
  if (name.empty() || name == "@" || name == "HEAD" || name.front() == '/' || name.back() == '/' ||
      name.front() == '-' || name.back() == '.')
    return false;
  if (name.find("..") != std::string_view::npos || name.find("@{") != std::string_view::npos ||
      name.find("//") != std::string_view::npos)
    return false;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || std::string_view(" ~^:?*[\\").find(c) != std::string_view::npos)
      return false;
  }
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view component = name.substr(start, end - start);
    if (component.front() == '.') return false;
    if (component.size() >= 5 && component.substr(component.size() - 5) == ".lock") return false;
    start = end + 1;
  }
  return true;
}

Result<Revision> parse_revision(std::string_view text) {
  std::string shown(text);
  if (text.empty()) return invalid("empty revision");
  size_t cut = text.find_first_of("~^");
  Revision revision;
  revision.base = std::string(text.substr(0, cut));
  if (revision.base.empty())
    return invalid("revision '" + shown + "' has no name before '~' or '^'");
  if (revision.base != "HEAD" && !is_hex(revision.base) && !is_valid_ref_name(revision.base))
    return invalid("revision '" + shown + "': '" + revision.base + "' is not a valid name");
  size_t pos = cut == std::string_view::npos ? text.size() : cut;
  while (pos < text.size()) {
    RevisionStep step;
    step.kind = text[pos] == '~' ? RevisionStep::Kind::kAncestor : RevisionStep::Kind::kParent;
    size_t digits = pos + 1;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
    if (digits < text.size() && text[digits] != '~' && text[digits] != '^')
      return invalid("revision '" + shown + "': unexpected '" + std::string(1, text[digits]) +
                     "' after '" + std::string(text.substr(0, digits)) + "'");
    if (digits > pos + 1) {
      auto [end, ec] = std::from_chars(text.data() + pos + 1, text.data() + digits, step.n);
      if (ec != std::errc() || step.n > 1000000)
        return invalid("revision '" + shown + "': step number too large");
    }
    revision.steps.push_back(step);
    pos = digits;
  }
  return revision;
}

Result<Oid> resolve_revision(const Repository& repo, std::string_view text) {
  RepositoryState& state = state_of(repo);
  if (text.empty()) {
    GITSTATE_ASSIGN_OR_RETURN(std::string branch, head_branch(*state.git_dir));
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> head, branch_head(state, branch));
    if (!head) return not_found("branch '" + branch + "' has no commits yet");
    return visible_commit(repo, *head);
  }
  GITSTATE_ASSIGN_OR_RETURN(Revision revision, parse_revision(text));
  std::string rev(text);
  GITSTATE_ASSIGN_OR_RETURN(Oid id, resolve_base(repo, revision.base, rev));
  GITSTATE_ASSIGN_OR_RETURN(id, visible_base(repo, revision.base, rev, id));
  for (const RevisionStep& step : revision.steps) {
    bool ancestor = step.kind == RevisionStep::Kind::kAncestor;
    unsigned walks = ancestor ? step.n : (step.n == 0 ? 0 : 1);
    for (unsigned i = 0; i < walks; ++i) {
      GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(*state.store, id));
      size_t index = ancestor ? 0 : step.n - 1;
      if (index >= commit.parents.size())
        return not_found("revision '" + rev + "': commit " + short_id(id) + " has " +
                         (commit.parents.empty()
                              ? "no parent"
                              : "only " + std::to_string(commit.parents.size()) + " parent(s)"));
      GITSTATE_ASSIGN_OR_RETURN(id, visible_commit(repo, commit.parents[index]));
    }
  }
  return id;
}

}  // namespace gitstate
