// The setup function of every command (one file each: cmd_<name>.cc).
// command_table.cc lists them; see command.h for what a setup does.
#pragma once

#include "command.h"

namespace gitstate::cli {

// Porcelain.
Action setup_init(CLI::App& command);
Action setup_get(CLI::App& command);
Action setup_set(CLI::App& command);
Action setup_rm(CLI::App& command);
Action setup_patch(CLI::App& command);
Action setup_import(CLI::App& command);
Action setup_log(CLI::App& command);
Action setup_show(CLI::App& command);
Action setup_diff(CLI::App& command);
Action setup_blame(CLI::App& command);
Action setup_audit(CLI::App& command);
Action setup_branch(CLI::App& command);
Action setup_tag(CLI::App& command);
Action setup_merge(CLI::App& command);
Action setup_conflicts(CLI::App& command);
Action setup_resolve(CLI::App& command);
Action setup_revert(CLI::App& command);
Action setup_cherry_pick(CLI::App& command);
Action setup_perspective(CLI::App& command);
Action setup_view(CLI::App& command);
Action setup_project(CLI::App& command);
Action setup_watch(CLI::App& command);
Action setup_sync(CLI::App& command);
Action setup_remote(CLI::App& command);
Action setup_clone(CLI::App& command);
Action setup_fetch(CLI::App& command);
Action setup_pull(CLI::App& command);
Action setup_push(CLI::App& command);
Action setup_squash(CLI::App& command);
Action setup_gc(CLI::App& command);

// Plumbing.
Action setup_hash_value(CLI::App& command);
Action setup_cat_object(CLI::App& command);
Action setup_ls_tree(CLI::App& command);
Action setup_rev_parse(CLI::App& command);
Action setup_merge_base(CLI::App& command);
Action setup_update_ref(CLI::App& command);
Action setup_verify(CLI::App& command);

}  // namespace gitstate::cli
