// gitstate remote add NAME URL | list | remove NAME: the repository's git remotes.
#include <iostream>
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/remote.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

Action setup_remote(CLI::App& command) {
  struct Args {
    std::string name, url, removed;
  };
  auto args = std::make_shared<Args>();
  command.require_subcommand(1, 1);
  CLI::App* add = command.add_subcommand("add", "add remote NAME at URL");
  add->add_option("NAME", args->name, "the remote's name")->required();
  add->add_option("URL", args->url, "a path, file://, git://, http(s)://, ssh:// or host:path")
      ->required();
  command.add_subcommand("list", "list remotes as JSON: [{name, url}]");
  CLI::App* remove = command.add_subcommand("remove", "remove remote NAME and its tracking refs");
  remove->add_option("NAME", args->removed, "the remote's name")->required();
  return [args, add, remove](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    if (add->parsed()) {
      if (auto added = add_remote(*repo, args->name, args->url); !added.is_ok())
        return report(added);
      std::cerr << "Added remote " << args->name << "\n";
      return kExitOk;
    }
    if (remove->parsed()) {
      auto removed = remove_remote(*repo, args->removed);
      if (!removed.is_ok()) return report(as_input_error(removed));
      std::cerr << "Removed remote " << args->removed << "\n";
      return kExitOk;
    }
    auto remotes = list_remotes(*repo);
    if (!remotes.is_ok()) return report(remotes.status());
    nlohmann::json out = nlohmann::json::array();
    for (const RemoteConfig& r : *remotes) out.push_back({{"name", r.name}, {"url", r.url}});
    print_json(out);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
