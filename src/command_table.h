// The command table: every `gitstate` subcommand, tagged porcelain or plumbing.
#pragma once

#include <span>

#include "command.h"

namespace gitstate::cli {

std::span<const Command> command_table();

}  // namespace gitstate::cli
