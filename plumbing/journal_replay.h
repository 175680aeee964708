// Replaying the commit journal into a repository after a reboot (see
// journal.h): the last step of opening a repository whose journal was
// written in an earlier boot.
//
// Thread-safety: called with the journal held exclusively and the GitDir's
// lock taken by the caller (through `repo`).
#pragma once

#include <git2.h>

#include <string>
#include <vector>

#include "gitstate/result.h"
#include "journal_record.h"

namespace gitstate {

// Rewrites every recorded pack whose .pack or .idx in `pack_dir` is missing
// or differs from the recorded bytes, then puts each recorded ref back to the
// last value the records give it, when its current value is unreadable,
// missing, or one the records show gitstate moved it from or to (a ref that
// another tool moved elsewhere is left alone). Nothing is synced here: the
// journal's checkpoint that follows syncs everything. kIO when a file cannot
// be written; kCorrupt when a record names an invalid pack or ref.
Status replay_journal(git_repository* repo, const std::string& pack_dir,
                      const std::vector<JournalRecord>& records);

}  // namespace gitstate
