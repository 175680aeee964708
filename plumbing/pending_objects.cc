#include "pending_objects.h"

#include <algorithm>

namespace gitstate {

namespace {
constexpr size_t kChunkBytes = 1 << 20;
constexpr size_t kInitialSlots = 64;
// Capacity kept across clear(): enough for ordinary batches, not for imports.
constexpr size_t kKeptEntries = 1 << 12;
constexpr size_t kKeptSlots = 1 << 13;

// Object ids are SHA-1 digests: any 8 bytes of them are already well mixed.
size_t slot_hash(const Oid& id) { return OidHash()(id); }
}  // namespace

PendingObjects::PendingObjects() : slots_(kInitialSlots, 0) {}

const PendingObjects::Entry* PendingObjects::find(const Oid& id) const {
  size_t mask = slots_.size() - 1;
  for (size_t i = slot_hash(id) & mask;; i = (i + 1) & mask) {
    uint32_t slot = slots_[i];
    if (slot == 0) return nullptr;
    if (entries_[slot - 1].id == id) return &entries_[slot - 1];
  }
}

bool PendingObjects::insert(const Oid& id, ObjectType type, std::string_view data) {
  size_t mask = slots_.size() - 1;
  size_t i = slot_hash(id) & mask;
  for (; slots_[i] != 0; i = (i + 1) & mask)
    if (entries_[slots_[i] - 1].id == id) return false;

  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < data.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(std::max(kChunkBytes, data.size()));
  }
  std::string& chunk = chunks_.back();
  entries_.push_back(
      {id, type, static_cast<uint32_t>(chunks_.size() - 1), chunk.size(), data.size()});
  chunk.append(data);
  bytes_ += data.size();
  slots_[i] = static_cast<uint32_t>(entries_.size());
  if (entries_.size() * 2 > slots_.size()) grow_table();  // load factor at most 1/2
  return true;
}

void PendingObjects::grow_table() {
  std::vector<uint32_t> bigger(slots_.size() * 2, 0);
  size_t mask = bigger.size() - 1;
  for (uint32_t index = 1; index <= entries_.size(); ++index) {
    size_t i = slot_hash(entries_[index - 1].id) & mask;
    while (bigger[i] != 0) i = (i + 1) & mask;
    bigger[i] = index;
  }
  slots_.swap(bigger);
}

void PendingObjects::clear() {
  entries_.clear();
  if (entries_.capacity() > kKeptEntries) entries_.shrink_to_fit();
  if (slots_.size() > kKeptSlots)
    slots_.assign(kInitialSlots, 0);
  else
    std::fill(slots_.begin(), slots_.end(), 0);
  // The first chunk is kept for the next (typically small) batch.
  if (chunks_.size() > 1 || (!chunks_.empty() && chunks_[0].capacity() > kChunkBytes))
    chunks_.clear();
  if (!chunks_.empty()) chunks_[0].clear();
  bytes_ = 0;
}

}  // namespace gitstate
