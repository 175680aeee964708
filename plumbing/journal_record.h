// The records of the commit journal (see journal.h) and their byte format.
//
// On disk a record is framed as
//   u32 magic "GSJR" | u32 payload length | u32 CRC-32 of the payload | payload
// (integers little-endian). The payload starts with a kind byte:
//   'P' a pack: u16 name length, name ("pack-<40 hex>"), u32 length + the
//       .pack bytes, u32 length + the .idx bytes;
//   'R' a ref update: u16 name length, full ref name, then for the old and the
//       new value a presence byte (0/1) followed by 20 id bytes when present.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gitstate/plumbing/oid.h"

namespace gitstate {

struct JournalPack {
  std::string name;  // "pack-<40 hex>"
  std::string pack, index;
};

struct JournalRef {
  std::string name;                         // "refs/heads/main"
  std::optional<Oid> old_value, new_value;  // nullopt: absent (created / deleted)
};

struct JournalRecord {
  std::optional<JournalPack> pack;  // exactly one of pack and ref is set
  std::optional<JournalRef> ref;

  static JournalRecord of(JournalPack pack) {
    JournalRecord record;
    record.pack = std::move(pack);
    return record;
  }
  static JournalRecord of(JournalRef ref) {
    JournalRecord record;
    record.ref = std::move(ref);
    return record;
  }
};

// The framed bytes of one record.
std::string encode_journal_record(const JournalRecord& record);

// Every well-formed record in `bytes` (a journal without its header), in
// order. A frame whose length, checksum or payload is wrong (a writer killed
// in the middle of an append) is skipped by scanning for the next valid frame.
std::vector<JournalRecord> decode_journal_records(std::string_view bytes);

}  // namespace gitstate
