// gitstate revert REV: a commit undoing REV's change, merged three-way onto a branch.
#include "commands.h"
#include "merge_command.h"

namespace gitstate::cli {

Action setup_revert(CLI::App& command) {
  return setup_rev_merge(command, "the commit whose change to undo", revert);
}

}  // namespace gitstate::cli
