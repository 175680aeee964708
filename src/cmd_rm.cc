// gitstate rm PATH: one commit removing the value at PATH.
#include <memory>

#include "commands.h"
#include "commit_change.h"

namespace gitstate::cli {

namespace {
struct RmArgs {
  std::string path;
  WriteOptions write;
};
}  // namespace

Action setup_rm(CLI::App& command) {
  auto args = std::make_shared<RmArgs>();
  command.add_option("PATH", args->path, "JSON Pointer of the value to remove")->required();
  add_write_options(command, args->write);
  return [args](const GlobalOptions& globals) {
    return commit_change(globals, args->write,
                         [&](Transaction& transaction) { return transaction.remove(args->path); });
  };
}

}  // namespace gitstate::cli
