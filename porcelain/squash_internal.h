// The archive refs of squash (squash.h): their names, and UTC time text for
// them and for the snapshot's trailers.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "gitstate/plumbing/oid.h"

namespace gitstate {

// "2024-05-01T12:00:00Z" (iso) or "20240501T120000Z" (compact) for `seconds`
// since the Unix epoch, in UTC.
std::string utc_text(int64_t seconds, bool compact);

// "refs/gitstate/archive/<branch>/<compact UTC text of now>-<12 hex of head>".
std::string archive_ref(const std::string& branch, int64_t now, const Oid& head);

}  // namespace gitstate
