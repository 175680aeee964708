// The shape `gitstate branch` and `gitstate tag` share: create NAME at a
// revision, --delete NAME, or list (the default) as JSON.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "command.h"
#include "gitstate/branches.h"
#include "gitstate/repository.h"

namespace gitstate::cli {

struct RefCommand {
  std::string noun;        // "branch", "tag"
  std::string start_name;  // the positional after NAME: "START", "REV"
  std::string start_help;
  std::string list_help;
  std::function<Result<std::vector<RefInfo>>(const Repository&)> list;
  // One listed ref as JSON.
  std::function<nlohmann::json(const Repository&, const RefInfo&)> describe;
  std::function<Result<Oid>(const Repository&, std::string_view name, std::string_view start)>
      create;
  std::function<Status(const Repository&, std::string_view name)> remove;
};

// Declares NAME, START, --delete and --list on `command` and returns its
// action: create prints the new ref's commit id; delete says so on stderr;
// list prints a JSON array of describe()'s objects.
Action setup_ref_command(CLI::App& command, RefCommand kind);

}  // namespace gitstate::cli
