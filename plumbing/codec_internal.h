// Codec internals shared by codec.cc, json_parse.cc, tree_edit.cc and
// tree_diff.cc; not part of the public API. Thread-safety as codec.h.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/codec.h"

namespace gitstate::codec_internal {

// parse_json_text with a nesting budget: at most `max_depth` nested
// objects/arrays. kInvalid as parse_json_text.
Result<nlohmann::json> parse_json_limited(std::string_view text, size_t max_depth);

// write_value for a value that sits inside `depth` enclosing objects (its path
// has `depth` tokens); `where` is that path, used in error messages (left as
// it was on success, unspecified after an error). kInvalid as write_value,
// counting the depth.
Result<Node> write_value_at(ObjectStore& store, const nlohmann::json& value, Path& where,
                            size_t depth);

// The node of a member's tree entry. kCorrupt for modes other than 040000 and
// 100644.
Result<Node> node_of(const TreeEntry& entry);

// "a scalar" or "an array", for messages about paths that go through a blob.
// Reads the blob; "a scalar or array" when it cannot.
std::string describe_blob(ObjectStore& store, const Oid& blob);

// read_value for a value inside `depth` enclosing objects. kCorrupt as
// read_value, counting the depth.
Result<nlohmann::json> read_value_at(ObjectStore& store, const Node& node, size_t depth);

}  // namespace gitstate::codec_internal
