// Adapter: an outside system (a directory of files, a database table) seen as
// one JSON state, which sync_adapter() (adapter_sync.h) reconciles with a
// branch three-way (docs/adapters.md).
//
// An adapter does two things: load() reads the system's current state as a
// JSON object, and apply() changes the system by an RFC 6902 patch, operation
// by operation, in order, stopping at the first one the system rejects. It
// reports how many operations took effect, so that the sync can record
// exactly what the system holds after a partial apply. The patches a sync
// sends are those diff produces (history.h): `add`, `remove` and `replace`,
// at paths none of which is a prefix of another; adapters refuse other
// operations (kInvalid) without applying them.
//
// identity() names the system for the sync's bookkeeping: two adapters with
// the same identity are the same outside system (kind, absolute location,
// mapping parameters), and each (identity, branch) pair has its own sync base.
//
// Thread-safety: an Adapter belongs to one thread at a time; two adapters on
// one system (in one process or several) must not apply at the same time.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "gitstate/result.h"

namespace gitstate {

struct ApplyReport {
  size_t applied = 0;  // operations that took effect, from the first on
  Status status;       // ok when every operation took effect; otherwise why
                       // operation `applied` was rejected (it took no effect)
};

class Adapter {
 public:
  virtual ~Adapter() = default;

  // The kind of system ("dir", "sqlite"): it names the adapter in the author
  // and message of the commits that bring its changes in.
  virtual std::string kind() const = 0;

  // A stable name of the system and its mapping, e.g. "dir:/srv/config" or
  // "sqlite:/srv/app.db:users:id". Never fails.
  virtual std::string identity() const = 0;

  // The system's current state: a JSON object (the state root). kInvalid when
  // the system holds something the mapping cannot express (the message names
  // the file, row or column); kNotFound when the system is gone; kIO when it
  // cannot be read. Changes nothing.
  virtual Result<nlohmann::json> load() = 0;

  // Applies `patch` (an array of RFC 6902 operations) in order. Each
  // operation takes effect completely or not at all; the first one that
  // fails stops the apply and is reported with its index and path (kInvalid:
  // the system cannot hold the value or the operation is not supported;
  // kNotFound: its target is missing; kConflict: the system refused it, e.g.
  // a constraint; kIO: the system failed). Operations before it stay applied
  // and are durable when apply() returns.
  virtual ApplyReport apply(const nlohmann::json& patch) = 0;
};

}  // namespace gitstate
