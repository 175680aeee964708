// What the sync commands (clone, fetch, pull, push) share: --quiet and the
// progress they report on stderr, and the JSON form of moved refs.
//
// Progress (docs/sync.md): when stderr is a terminal, one line redrawn in
// place per phase ("receiving objects:  45% (450/1000), 12.0 KiB");
// otherwise JSON Lines, one per whole percent and phase:
//   {"progress":"receiving","done":450,"total":1000,"bytes":12345}
// ("receiving", "resolving", "packing", "sending"). --quiet prints none.
#pragma once

#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "gitstate/remote.h"

namespace gitstate::cli {

// Adds -q/--quiet to `command`.
void add_quiet_option(CLI::App& command, bool& quiet);

// The progress reporter for a transfer (empty when `quiet`). The returned
// callback keeps its own state; use one per command.
ProgressCallback progress_reporter(bool quiet);

// [{"ref": NAME, "old": ID|null, "new": ID}, ...]
nlohmann::json ref_moves_json(const std::vector<RefMove>& moves);

// {"remote", "refs": ref_moves_json, "kept_tags": [...], "objects": N, "bytes": N}
nlohmann::json fetch_json(const FetchOutcome& fetched);

// "none", "up-to-date", "adopted", "fast-forward" or "diverged".
const char* perspectives_name(PerspectivesSync result);

}  // namespace gitstate::cli
