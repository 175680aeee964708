// JSON in and out of the command: parsing what users give, printing results.
//
// Input is strict JSON (codec.h parse_json_text); output is the canonical
// compact text (the same bytes a blob holds) followed by a newline, one
// document per call, so a stream of calls is JSON Lines. Object ids that a
// command prints alone go out as 40 hex digits and a newline, as git's
// plumbing prints them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate::cli {

// Parses `text`; kInvalid naming `what` ("value for /a/b", "patch file p.json")
// and the line and column at fault.
Result<nlohmann::json> parse_json_input(std::string_view text, const std::string& what);

// The contents of FILE, or of stdin for "-". kInvalid naming the file when it
// cannot be read.
Result<std::string> read_input(const std::string& file);

void print_json(const nlohmann::json& value);
void print_id(const Oid& id);

// `id` as its 40 hex digits, or null when absent. Never fails.
nlohmann::json id_or_null(const std::optional<Oid>& id);

}  // namespace gitstate::cli
