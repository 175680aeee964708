// PendingObjects: the objects written since the last flush, kept in write
// order and found by id in O(1).
//
// Object bytes are copied into 1 MiB chunks (an object larger than that gets a
// chunk of its own), so a flush reads them sequentially and a batch of a
// million small objects costs a few large allocations rather than a million
// small ones. Lookup is an open-addressing table of entry indexes.
//
// Thread-safety: none; the pack backend is used under ObjectStore's lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/oid.h"

namespace gitstate {

class PendingObjects {
 public:
  struct Entry {
    Oid id;
    ObjectType type;
    uint32_t chunk;
    uint64_t offset;
    uint64_t size;
  };

  PendingObjects();

  // Adds a copy of the object; false (and nothing changes) when `id` is already pending.
  bool insert(const Oid& id, ObjectType type, std::string_view data);
  // The pending object with this id, or nullptr.
  const Entry* find(const Oid& id) const;
  // The bytes of a pending object; valid until clear().
  std::string_view data(const Entry& entry) const {
    return std::string_view(chunks_[entry.chunk]).substr(entry.offset, entry.size);
  }

  // Every pending object, in write order.
  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Total bytes of object data.
  uint64_t bytes() const { return bytes_; }

  // Forgets every object and releases the memory of large batches.
  void clear();

 private:
  void grow_table();

  std::vector<Entry> entries_;
  std::vector<std::string> chunks_;
  std::vector<uint32_t> slots_;  // entry index + 1; 0 = empty; size is a power of two
  uint64_t bytes_ = 0;
};

}  // namespace gitstate
