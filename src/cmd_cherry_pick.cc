// gitstate cherry-pick REV: REV's change, merged three-way onto a branch as one commit.
#include "commands.h"
#include "merge_command.h"

namespace gitstate::cli {

Action setup_cherry_pick(CLI::App& command) {
  return setup_rev_merge(command, "the commit whose change to apply", cherry_pick);
}

}  // namespace gitstate::cli
