// gitstate set PATH JSON: one commit setting the value at PATH.
#include <memory>

#include "commands.h"
#include "commit_change.h"
#include "exit_status.h"
#include "json_io.h"

namespace gitstate::cli {

namespace {
struct SetArgs {
  std::string path;
  std::string json;
  WriteOptions write;
};
}  // namespace

Action setup_set(CLI::App& command) {
  auto args = std::make_shared<SetArgs>();
  command.add_option("PATH", args->path, "JSON Pointer; missing parent objects are created")
      ->required();
  command.add_option("JSON", args->json, "the new value, as JSON text")->required();
  add_write_options(command, args->write);
  return [args](const GlobalOptions& globals) {
    auto value = parse_json_input(args->json, "the value for " + args->path);
    if (!value.is_ok()) return report(value.status());
    return commit_change(globals, args->write, [&](Transaction& transaction) {
      return transaction.set(args->path, std::move(value).value());
    });
  };
}

}  // namespace gitstate::cli
