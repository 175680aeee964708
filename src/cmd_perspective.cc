// gitstate perspective define|list|show|remove: the stored perspective definitions.
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/perspective.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct PerspectiveArgs {
  std::string name;
  std::vector<std::string> include;
  std::vector<std::string> exclude;
  std::string extends;
};

// An unknown perspective is bad input (exit 2), like an unknown revision.
int report_lookup(const Status& status) { return report(as_input_error(status)); }

int run_define(const Repository& repo, const PerspectiveArgs& args) {
  PerspectiveDef def{args.name, args.include, args.exclude, std::nullopt};
  if (!args.extends.empty()) def.extends = args.extends;
  auto commit = define_perspective(repo, def);
  if (!commit.is_ok()) return report_lookup(commit.status());
  print_id(*commit);
  return kExitOk;
}

int run_list(const Repository& repo) {
  auto defs = list_perspectives(repo);
  if (!defs.is_ok()) return report(defs.status());
  nlohmann::json out = nlohmann::json::array();
  for (const PerspectiveDef& def : *defs) out.push_back(perspective_def_json(def));
  print_json(out);
  return kExitOk;
}

int run_show(const Repository& repo, const std::string& name) {
  auto def = read_perspective(repo, name);
  if (!def.is_ok()) return report_lookup(def.status());
  auto resolved = resolve_stored_perspective(repo, name);
  if (!resolved.is_ok()) return report_lookup(resolved.status());
  nlohmann::json out = perspective_def_json(*def);
  out["chain"] = resolved->chain;
  print_json(out);
  return kExitOk;
}

int run_remove(const Repository& repo, const std::string& name) {
  auto commit = remove_perspective(repo, name);
  if (!commit.is_ok()) return report_lookup(commit.status());
  print_id(*commit);
  return kExitOk;
}
}  // namespace

Action setup_perspective(CLI::App& command) {
  auto args = std::make_shared<PerspectiveArgs>();
  command.require_subcommand(1);
  CLI::App* define = command.add_subcommand("define", "Create or replace a perspective");
  define->add_option("NAME", args->name, "perspective name")->required();
  define->add_option("--include", args->include, "JSON Pointer glob to show (repeatable)");
  define->add_option("--exclude", args->exclude, "JSON Pointer glob to hide (repeatable)");
  define->add_option("--extends", args->extends, "perspective whose globs this one adds to");
  CLI::App* list = command.add_subcommand("list", "Print every definition as a JSON array");
  CLI::App* show = command.add_subcommand("show", "Print one definition and its extends-chain");
  show->add_option("NAME", args->name, "perspective name")->required();
  CLI::App* remove = command.add_subcommand("remove", "Remove a perspective nothing extends");
  remove->add_option("NAME", args->name, "perspective name")->required();
  return [args, define, list, show](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    if (define->parsed()) return run_define(*repo, *args);
    if (list->parsed()) return run_list(*repo);
    if (show->parsed()) return run_show(*repo, args->name);
    return run_remove(*repo, args->name);
  };
}

}  // namespace gitstate::cli
