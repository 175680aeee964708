// Times on the command line: --since/--until arguments, and dates in human output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gitstate/plumbing/object.h"
#include "gitstate/result.h"

namespace gitstate::cli {

enum class DateBound { kStartOfDay, kEndOfDay };

// Parses unix seconds ("1700000000", "-5") or an ISO-8601 date or date-time:
// "2024-05-01", "2024-05-01T10:00", "2024-05-01T10:00:30", optionally with
// fractional seconds (dropped), and "Z" or a "+02:00"/"-0500" offset; a space
// may stand for the "T". Without an offset the time is UTC. A date alone
// means the first second of that day (kStartOfDay) or its last (kEndOfDay),
// so that --until 2024-05-01 includes that day. kInvalid naming `text`.
Result<int64_t> parse_time_argument(std::string_view text, DateBound bound);

// The --since and --until arguments `since` and `until` (empty: no bound)
// as parse_time_argument() reads them, --since at the start of a day and
// --until at its end. kInvalid naming the option.
Status parse_time_bounds(const std::string& since, const std::string& until,
                         std::optional<int64_t>& since_out, std::optional<int64_t>& until_out);

// "2024-05-01T12:00:00+02:00" for a signature's time in its own offset
// ("Z" for UTC).
std::string format_time(const Signature& signature);

}  // namespace gitstate::cli
