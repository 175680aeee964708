#include "ref_command.h"

#include <iostream>
#include <memory>

#include "exit_status.h"
#include "json_io.h"
#include "repository_access.h"

namespace gitstate::cli {

namespace {
struct RefArgs {
  std::string name;
  std::string start;
  std::string to_delete;
  bool list = false;
  const CLI::Option* name_given = nullptr;
  const CLI::Option* delete_given = nullptr;
};

int list(const RefCommand& kind, const Repository& repo) {
  auto refs = kind.list(repo);
  if (!refs.is_ok()) return report(refs.status());
  nlohmann::json out = nlohmann::json::array();
  for (const RefInfo& ref : *refs) out.push_back(kind.describe(repo, ref));
  print_json(out);
  return kExitOk;
}
}  // namespace

Action setup_ref_command(CLI::App& command, RefCommand kind) {
  auto args = std::make_shared<RefArgs>();
  auto* name = command.add_option("NAME", args->name, "create this " + kind.noun);
  command.add_option(kind.start_name, args->start, kind.start_help)->needs(name);
  args->name_given = name;
  auto* remove = command.add_option("-d,--delete", args->to_delete, "delete this " + kind.noun)
                     ->excludes(name);
  command.add_flag("-l,--list", args->list, kind.list_help)->excludes(name)->excludes(remove);
  args->delete_given = remove;
  return [args, kind = std::move(kind)](const GlobalOptions& globals) {
    auto repo = open_repository(globals);
    if (!repo.is_ok()) return report(repo.status());
    if (args->delete_given->count() > 0) {
      if (auto deleted = kind.remove(*repo, args->to_delete); !deleted.is_ok())
        return report(deleted);
      std::cerr << "Deleted " << kind.noun << " " << args->to_delete << "\n";
      return kExitOk;
    }
    if (args->name_given->count() == 0) return list(kind, *repo);
    auto created = kind.create(*repo, args->name, args->start);
    if (!created.is_ok()) return report(as_input_error(created.status()));
    print_id(*created);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
