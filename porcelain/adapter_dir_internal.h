// The pieces of the directory adapter (gitstate/adapter_dir.h): reading the
// directory as a state, and writing one entry atomically.
//
// Thread-safety: functions touch only the paths they are given.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "gitstate/result.h"

namespace gitstate {

// Names starting with this are the adapter's temporary entries: no escaped
// key starts with "%%" (docs/data-model.md, "Names").
inline constexpr const char* kDirTempPrefix = "%%tmp-";

// The state held by the directory `root`. kInvalid naming the entry for a
// name that no key escapes to, a file that is not strict JSON or holds an
// object, a symbolic link or special file; kIO when it cannot be read.
Result<nlohmann::json> load_directory(const std::filesystem::path& root);

// A fresh temporary name inside `folder`.
std::filesystem::path temp_entry(const std::filesystem::path& folder);

// Writes `value` at `path` (which must not exist): a folder for an object,
// a file of canonical JSON text otherwise, everything fsynced. kInvalid when
// a key's escaped name is longer than `name_max` bytes or the value cannot
// be stored; kIO when writing fails (what was written is removed).
Status write_entry(const std::filesystem::path& path, const nlohmann::json& value, size_t name_max);

// Removes `path` (a file or a folder with everything in it): first renamed
// to a temporary name, so it disappears at once. kIO when that fails.
Status remove_entry(const std::filesystem::path& path);

// fsync of the folder `folder` (its entries' names). kIO when it fails.
Status sync_folder(const std::filesystem::path& folder);

}  // namespace gitstate
