// gitstate ls-tree REV[:PATH]: the members of the object at PATH, with their ids.
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object_store.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {

// Prints one JSON line per member of the object at `pointer` in the state at `rev`.
Status list_members(const Repository& repo, const std::string& rev, const std::string& pointer) {
  GITSTATE_ASSIGN_OR_RETURN(std::string pinned, pin_revision(repo, rev));
  GITSTATE_ASSIGN_OR_RETURN(Oid root, repo.state_tree(pinned));
  GITSTATE_ASSIGN_OR_RETURN(Path path, parse_pointer(pointer));
  GITSTATE_ASSIGN_OR_RETURN(auto node, lookup(repo.objects(), root, path));
  if (!node) return not_found("no value at " + pointer);
  if (!node->is_tree()) return invalid("the value at " + pointer + " is not an object");
  return for_each_member(repo.objects(), node->oid, [](const std::string& key, const Node& member) {
    print_json(
        {{"key", key}, {"type", member.is_tree() ? "tree" : "blob"}, {"oid", member.oid.hex()}});
    return Status::ok();
  });
}

}  // namespace

Action setup_ls_tree(CLI::App& command) {
  auto spec = std::make_shared<std::string>();
  command
      .add_option("REV[:PATH]", *spec, "a revision, optionally with a JSON Pointer (main:/config)")
      ->required();
  return [spec](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    size_t colon = spec->find(':');
    std::string rev = spec->substr(0, colon);
    std::string pointer = colon == std::string::npos ? "" : spec->substr(colon + 1);
    Status listed = list_members(*repo, rev, pointer);
    if (!listed.is_ok()) return report(listed.with_context("ls-tree " + *spec));
    return kExitOk;
  };
}

}  // namespace gitstate::cli
