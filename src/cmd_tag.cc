// gitstate tag [NAME [REV]] | --delete NAME | --list: named versions (lightweight tags).
#include "commands.h"
#include "ref_command.h"

namespace gitstate::cli {

Action setup_tag(CLI::App& command) {
  RefCommand kind;
  kind.noun = "tag";
  kind.start_name = "REV";
  kind.start_help = "the commit to tag (default: the current branch)";
  kind.list_help = "list tags as JSON: [{name, commit}] (the default)";
  kind.list = list_tags;
  kind.describe = [](const Repository&, const RefInfo& tag) {
    return nlohmann::json{{"name", tag.name}, {"commit", tag.target.hex()}};
  };
  kind.create = create_tag;
  kind.remove = delete_tag;
  return setup_ref_command(command, std::move(kind));
}

}  // namespace gitstate::cli
