// The directory adapter: a directory of JSON files seen as one state
// (docs/adapters.md, "A directory of JSON files").
//
// The directory is the state root, an object. Each member is an entry named
// by its key escaped as a tree entry name is (docs/data-model.md, "Names":
// '/', '%', '\\', '~', NUL and a leading '.' become %XX, the empty key is
// "%"), so every key maps to exactly one safe file name and back. A member
// whose value is an object is a folder; any other value (scalar or array) is
// a file holding its JSON text (written canonical: compact, one line, a final
// newline; read as any strict JSON text). Entries whose names start with
// "%%tmp-" are the adapter's own temporary files and are ignored.
//
// apply() performs each add/replace/remove on one entry: a new value is
// written under a temporary name and fsynced, then renamed into place
// (swapped atomically with renameat2 RENAME_EXCHANGE when something is
// there, so a folder is replaced by a file or the other way in one step);
// the parent folder is fsynced after each operation. A key whose escaped
// name is longer than the file system's name limit (255 bytes on Linux
// file systems) is rejected with kInvalid. The directory must be on a
// case-sensitive file system: keys that differ only in case are distinct.
//
// Thread-safety: an adapter belongs to one thread at a time; nothing else
// may change the directory while apply() runs.
#pragma once

#include <memory>
#include <string>

#include "gitstate/adapter.h"
#include "gitstate/result.h"

namespace gitstate {

// The adapter of the directory at `path`, with identity "dir:<absolute,
// canonical path>". kNotFound when nothing is at `path`; kInvalid when it
// is not a directory (the state root is an object); kIO when it cannot be
// examined. The caller owns the adapter.
Result<std::unique_ptr<Adapter>> open_dir_adapter(const std::string& path);

}  // namespace gitstate
