// gitstate tag [NAME [REV]] | --delete NAME | --list: named versions (lightweight tags).
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/branches.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct TagArgs {
  std::string name;
  std::string rev;
  std::string to_delete;
  bool list = false;
  const CLI::Option* name_given = nullptr;
  const CLI::Option* delete_given = nullptr;
};

int list(const Repository& repo) {
  auto tags = list_tags(repo);
  if (!tags.is_ok()) return report(tags.status());
  nlohmann::json out = nlohmann::json::array();
  for (const RefInfo& tag : *tags)
    out.push_back({{"name", tag.name}, {"commit", tag.target.hex()}});
  print_json(out);
  return kExitOk;
}
}  // namespace

Action setup_tag(CLI::App& command) {
  auto args = std::make_shared<TagArgs>();
  auto* name = command.add_option("NAME", args->name, "create this tag");
  command.add_option("REV", args->rev, "the commit to tag (default: the current branch)")
      ->needs(name);
  args->name_given = name;
  auto* remove =
      command.add_option("-d,--delete", args->to_delete, "delete this tag")->excludes(name);
  command.add_flag("-l,--list", args->list, "list tags as JSON: [{name, commit}] (the default)")
      ->excludes(name)
      ->excludes(remove);
  args->delete_given = remove;
  return [args](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    if (args->delete_given->count() > 0) {
      if (auto deleted = delete_tag(*repo, args->to_delete); !deleted.is_ok())
        return report(deleted);
      std::cerr << "Deleted tag " << args->to_delete << "\n";
      return kExitOk;
    }
    if (args->name_given->count() == 0) return list(*repo);
    auto created = create_tag(*repo, args->name, args->rev);
    if (!created.is_ok()) return report(as_input_error(created.status()));
    print_id(*created);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
