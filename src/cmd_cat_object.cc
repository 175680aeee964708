// gitstate cat-object OID: the type and content of one object, as JSON.
#include <cstdio>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/object_store.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {

std::string format_mode(uint32_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%06o", static_cast<unsigned>(mode));
  return buffer;
}

// Trees list their raw entries (names as stored, escaped); every other type
// gives its content as text.
Result<nlohmann::json> object_json(const Oid& id, const Object& object) {
  nlohmann::json out = {
      {"oid", id.hex()}, {"type", object_type_name(object.type)}, {"size", object.data.size()}};
  if (object.type != ObjectType::kTree) {
    out["content"] = object.data;
    return out;
  }
  GITSTATE_ASSIGN_OR_RETURN(auto entries, parse_tree(object.data));
  nlohmann::json listed = nlohmann::json::array();
  for (const TreeEntry& entry : entries) {
    listed.push_back({{"name", entry.name},
                      {"mode", format_mode(entry.mode)},
                      {"type", entry.is_tree() ? "tree" : "blob"},
                      {"oid", entry.oid.hex()}});
  }
  out["entries"] = std::move(listed);
  return out;
}

}  // namespace

Action setup_cat_object(CLI::App& command) {
  auto oid = std::make_shared<std::string>();
  command.add_option("OID", *oid, "a full 40-digit object id")->required();
  return [oid](const GlobalOptions& globals) {
    auto id = Oid::from_hex(*oid);
    if (!id.is_ok()) return report(invalid("object id " + *oid + ": expected 40 hex digits"));
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    auto object = repo->objects().read(*id);
    if (!object.is_ok()) return report(object.status().with_context("object " + *oid));
    auto out = object_json(*id, *object);
    if (!out.is_ok()) return report(out.status().with_context("object " + *oid));
    print_json(*out);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
