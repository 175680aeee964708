#include "command_table.h"

#include "commands.h"

namespace gitstate::cli {

namespace {
using enum CommandKind;

constexpr Command kCommands[] = {
    {"init", kPorcelain, "Create a state repository at --repo (branch main, state {})", setup_init},
    {"get", kPorcelain, "Print the JSON value at PATH", setup_get},
    {"set", kPorcelain, "Set the value at PATH, as one commit", setup_set},
    {"rm", kPorcelain, "Remove the value at PATH, as one commit", setup_rm},
    {"patch", kPorcelain, "Apply an RFC 6902 patch (or RFC 7386 merge patch) as one commit",
     setup_patch},
    {"import", kPorcelain, "Commit JSON Lines from stdin, one commit per line, in one batch",
     setup_import},
    {"log", kPorcelain, "Show the history, newest first", setup_log},
    {"show", kPorcelain, "Show a commit's metadata and delta as JSON", setup_show},
    {"diff", kPorcelain, "Print the RFC 6902 patch turning REV1 into REV2", setup_diff},
    {"blame", kPorcelain, "For each leaf under PATH, the commit that last changed it", setup_blame},
    {"audit", kPorcelain, "The audit trail: one JSON line per change of a leaf", setup_audit},
    {"branch", kPorcelain, "Create, delete or list branches", setup_branch},
    {"tag", kPorcelain, "Create, delete or list tags (named versions)", setup_tag},
    {"merge", kPorcelain, "Merge a revision into a branch; --continue or --abort a stopped merge",
     setup_merge},
    {"conflicts", kPorcelain, "List the open conflicts of the stopped merge", setup_conflicts},
    {"resolve", kPorcelain, "Settle one conflict of the stopped merge", setup_resolve},
    {"revert", kPorcelain, "Commit the undoing of REV's change (a three-way merge)", setup_revert},
    {"cherry-pick", kPorcelain, "Commit REV's change onto a branch (a three-way merge)",
     setup_cherry_pick},
    {"perspective", kPorcelain, "Define, list, show or remove perspectives (stored tree filters)",
     setup_perspective},
    {"view", kPorcelain, "Print the whole state through a perspective", setup_view},
    {"project", kPorcelain, "Write a branch's history as seen through a perspective onto a branch",
     setup_project},
    {"verify", kPorcelain,
     "Check signatures and object integrity of the history reachable from REV", setup_verify},
    {"watch", kPorcelain, "Print each commit touching GLOB as JSON Lines, live as they land",
     setup_watch},
    {"sync", kPorcelain,
     "Three-way sync of a branch with a directory of JSON files or an SQLite table", setup_sync},
    {"remote", kPorcelain, "Add, list or remove remotes (git remotes)", setup_remote},
    {"clone", kPorcelain, "Create a state repository from a remote's", setup_clone},
    {"fetch", kPorcelain, "Bring a remote's branches, tags and perspectives in (checked)",
     setup_fetch},
    {"pull", kPorcelain, "Fetch, then merge the remote's branch (fast-forward when possible)",
     setup_pull},
    {"push", kPorcelain, "Send a branch to a remote; refuses to lose commits there", setup_push},
    {"squash", kPorcelain,
     "Rewrite a branch's history before TIME as one snapshot commit, keeping an archive ref",
     setup_squash},
    {"gc", kPorcelain, "Repack reachable objects; prune unreachable ones after a grace period",
     setup_gc},
    {"hash-value", kPlumbing, "Print the object id a JSON value would get, without writing",
     setup_hash_value},
    {"cat-object", kPlumbing, "Print the type and content of an object as JSON", setup_cat_object},
    {"ls-tree", kPlumbing, "List the members of the object at REV[:PATH], with their ids",
     setup_ls_tree},
    {"rev-parse", kPlumbing, "Print the full commit id of a revision", setup_rev_parse},
    {"merge-base", kPlumbing, "Print the best common ancestors of two commits", setup_merge_base},
    {"update-ref", kPlumbing, "Compare-and-swap a ref", setup_update_ref},
};
}  // namespace

std::span<const Command> command_table() { return kCommands; }

}  // namespace gitstate::cli
