#include <functional>

#include "gitstate/perspective.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/refs.h"
#include "repository_internal.h"

namespace gitstate {

namespace {
using nlohmann::json;

// The definitions as stored: the head of the ref and its state, {} when the
// ref does not exist.
struct Stored {
  std::optional<Oid> head;
  json definitions = json::object();
};

Result<Stored> read_stored(RepositoryState& state) {
  Stored stored;
  GITSTATE_ASSIGN_OR_RETURN(stored.head, read_ref(*state.git_dir, kPerspectivesRef));
  if (!stored.head) return stored;
  GITSTATE_ASSIGN_OR_RETURN(CommitData commit, read_commit(*state.store, *stored.head));
  GITSTATE_ASSIGN_OR_RETURN(stored.definitions, read_path(*state.store, commit.tree, Path{}));
  return stored;
}

Result<PerspectiveDef> stored_def(const json& definitions, const std::string& name) {
  if (!is_valid_perspective_name(name))
    return invalid("'" + name + "' is not a valid perspective name");
  auto it = definitions.find(name);
  if (it == definitions.end()) return not_found("perspective '" + name + "' is not defined");
  auto def = parse_perspective_def(*it);
  if (!def.is_ok()) return corrupt("stored perspective '" + name + "': " + def.status().message());
  return def;
}

PerspectiveLookup lookup_in(const json& definitions) {
  return [&definitions](const std::string& name) { return stored_def(definitions, name); };
}

// Turns the stored definitions into new ones with `change` (which refuses
// with an error, or returns the commit message), then commits them on the
// ref by compare-and-swap, retrying while the ref moves.
using Change = std::function<Result<std::string>(json& definitions)>;

Result<Oid> commit_change(const Repository& repo, const Change& change) {
  RepositoryState& state = state_of(repo);
  for (int attempt = 0; attempt < kMaxPerspectiveAttempts; ++attempt) {
    GITSTATE_ASSIGN_OR_RETURN(Stored stored, read_stored(state));
    GITSTATE_ASSIGN_OR_RETURN(std::string message, change(stored.definitions));
    GITSTATE_ASSIGN_OR_RETURN(Oid tree, write_state(*state.store, stored.definitions));
    CommitData commit;
    commit.tree = tree;
    if (stored.head) commit.parents.push_back(*stored.head);
    commit.author = commit.committer = repo.default_identity();
    commit.message = message + "\n";
    auto moved =
        commit_to_ref(state, kPerspectivesRef, commit, stored.head, "gitstate: " + message);
    if (moved.status().code() != Code::kModified) return moved;
  }
  return Status(Code::kConflict, std::string(kPerspectivesRef) + " kept moving: gave up after " +
                                     std::to_string(kMaxPerspectiveAttempts) + " attempts");
}

// The perspectives whose chain goes through `name` must still resolve.
Status check_chains(const json& definitions) {
  PerspectiveLookup lookup = lookup_in(definitions);
  for (const auto& [name, value] : definitions.items()) {
    auto resolved = resolve_perspective(name, lookup);
    if (!resolved.is_ok()) return resolved.status();
  }
  return Status::ok();
}
}  // namespace

Result<Oid> define_perspective(const Repository& repo, const PerspectiveDef& def) {
  GITSTATE_RETURN_IF_ERROR(validate_perspective_def(def));
  json value = perspective_def_json(canonical_perspective_def(def));
  return commit_change(repo, [&](json& definitions) -> Result<std::string> {
    definitions[def.name] = value;
    auto own = resolve_perspective(def.name, lookup_in(definitions));
    if (!own.is_ok()) return own.status();
    GITSTATE_RETURN_IF_ERROR(check_chains(definitions));
    return "define perspective " + def.name;
  });
}

Result<Oid> remove_perspective(const Repository& repo, const std::string& name) {
  return commit_change(repo, [&](json& definitions) -> Result<std::string> {
    GITSTATE_RETURN_IF_ERROR(stored_def(definitions, name).status());
    for (const auto& [other, value] : definitions.items()) {
      if (value.is_object() && value.value("extends", "") == name)
        return Status(Code::kConflict,
                      "perspective '" + other + "' extends '" + name + "'; remove it first");
    }
    definitions.erase(name);
    return "remove perspective " + name;
  });
}

Result<std::vector<PerspectiveDef>> list_perspectives(const Repository& repo) {
  GITSTATE_ASSIGN_OR_RETURN(Stored stored, read_stored(state_of(repo)));
  std::vector<PerspectiveDef> defs;
  for (const auto& [name, value] : stored.definitions.items()) {
    GITSTATE_ASSIGN_OR_RETURN(PerspectiveDef def, stored_def(stored.definitions, name));
    defs.push_back(std::move(def));
  }
  return defs;
}

Result<PerspectiveDef> read_perspective(const Repository& repo, const std::string& name) {
  GITSTATE_ASSIGN_OR_RETURN(Stored stored, read_stored(state_of(repo)));
  return stored_def(stored.definitions, name);
}

Result<ResolvedPerspective> resolve_stored_perspective(const Repository& repo,
                                                       const std::string& name) {
  GITSTATE_ASSIGN_OR_RETURN(Stored stored, read_stored(state_of(repo)));
  return resolve_perspective(name, lookup_in(stored.definitions));
}

Result<Repository> Repository::through(const std::string& name) const {
  if (perspective_)
    return invalid("this handle is already bound to perspective '" + perspective_->name + "'");
  GITSTATE_ASSIGN_OR_RETURN(ResolvedPerspective resolved, resolve_stored_perspective(*this, name));
  return Repository(state_, std::make_shared<const ResolvedPerspective>(std::move(resolved)),
                    signer_);
}

Result<Repository> Repository::open(const std::string& path, const std::string& perspective) {
  GITSTATE_ASSIGN_OR_RETURN(Repository repo, open(path));
  return repo.through(perspective);
}

}  // namespace gitstate
