// JSON Pointer operations on an in-memory JSON value, with RFC 6901/6902 rules.
//
// The state stores arrays (and everything inside them) as one blob, so an
// operation whose target lies inside an array is applied to that array's
// value in memory by these functions, and the result is written back whole.
// `where` is the path of `doc` inside the state; messages name absolute
// pointers (where + path).
//
// Array tokens follow RFC 6901: "0" or digits without a leading zero; "-"
// names the element after the last one (only add/set accept it).
//
// Error codes: kNotFound for a missing target or parent, kInvalid for a path
// into a scalar, a malformed array index, or an add/set index past the end.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/result.h"

namespace gitstate {

// The value at `path` inside `doc`.
Result<const nlohmann::json*> value_find(const nlohmann::json& doc, const Path& path,
                                         const Path& where);

// RFC 6902 add: an object member is added or replaced, an array element is
// inserted (index <= size, "-" appends). The parent must exist.
Status value_add(nlohmann::json& doc, const Path& path, nlohmann::json value, const Path& where);

// RFC 6902 remove. Precondition: `path` is not empty.
Status value_remove(nlohmann::json& doc, const Path& path, const Path& where);

// RFC 6902 replace: the target must exist.
Status value_replace(nlohmann::json& doc, const Path& path, nlohmann::json value,
                     const Path& where);

// gitstate set: like add but missing parent members become empty objects, and
// inside an array an existing index is replaced (size or "-" appends).
Status value_set(nlohmann::json& doc, const Path& path, nlohmann::json value, const Path& where);

// The JSON type of `value` as people say it ("a number", "an array", ...).
const char* value_kind(const nlohmann::json& value);

}  // namespace gitstate
