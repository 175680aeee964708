// gitstate hash-value JSON: the object id the value would get, without writing it.
#include <memory>

#include "commands.h"
#include "exit_status.h"
#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/object_store.h"
#include "json_io.h"

namespace gitstate::cli {

Action setup_hash_value(CLI::App& command) {
  auto json = std::make_shared<std::string>();
  command.add_option("JSON", *json, "the value, as JSON text")->required();
  return [json](const GlobalOptions&) {
    auto value = parse_json_input(*json, "the value");
    if (!value.is_ok()) return report(value.status());
    ObjectStore scratch(make_memory_backend());
    auto node = write_value(scratch, *value);
    if (!node.is_ok()) return report(node.status());
    print_id(node->oid);
    return kExitOk;
  };
}

}  // namespace gitstate::cli
