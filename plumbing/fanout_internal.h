// Fanout: how one JSON object maps to one or more git trees.
//
// An object is a *node* at level 0. A node with at most kFanoutThreshold
// members, or at level kHashLevels, is a plain tree of member entries. A
// larger node at level L is a fanout tree: member k goes to the bucket named
// bucket_name(byte L of key_hash(k)), and each non-empty bucket is itself a
// node at level L + 1. So the layout depends only on the set of keys, and
// every tree on a path holds at most max(256, kFanoutThreshold) entries
// (unless more than kFanoutThreshold keys share all 64 hash bits).
//
// Used by the codec, tree edits and tree diff; not part of the public API.
// Thread-safety as codec.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/codec.h"

namespace gitstate::fanout {

// Levels of buckets a 64-bit hash provides; nodes at this level are plain.
constexpr size_t kHashLevels = 8;

// XXH3_64bits of the key's UTF-8 bytes (unescaped), frozen for format 1.
uint64_t key_hash(std::string_view key);
// The bucket of `hash` at `level`: its byte number `level`, most significant first.
unsigned bucket_of(uint64_t hash, size_t level);
// "%%" and two uppercase hex digits: a name no escaped key can have.
std::string bucket_name(unsigned bucket);
// The bucket a name stands for, or -1 when it is not a bucket name.
int parse_bucket_name(std::string_view name);
// True when a tree's entries are a fanout node's buckets (its first entry
// is a bucket). A well-formed tree has only buckets or only members.
bool is_fanout(const std::vector<TreeEntry>& entries);

// A member about to be stored: its entry (named by the escaped key) and hash.
struct Member {
  TreeEntry entry;
  uint64_t hash = 0;
};

// Writes the node holding `members` at `level` and returns its tree id (the
// empty tree for no members). Reorders `members`. Never fails.
// Precondition: entry names are unique.
Oid write_node(ObjectStore& store, std::span<Member> members, size_t level);

// The entry of member `key` in the object stored as `tree`, or nullopt.
// Reads one tree per level (counted in `trees_read` when given). kCorrupt
// when a bucket is not a tree or fanout goes deeper than kHashLevels; store
// errors as they come.
Result<std::optional<TreeEntry>> find_member(ObjectStore& store, const Oid& tree,
                                             std::string_view key, size_t* trees_read = nullptr);

// A member as read back: its key and stored entry.
struct StoredMember {
  std::string key;
  TreeEntry entry;
};

// Appends every member of the node with `entries` at `level` (whose keys'
// hashes start with the `level` bytes of `prefix`) to `out`, in bucket order.
// Strict: kCorrupt unless the node is exactly what write_node makes of its
// members (names, modes of buckets, placement by hash, thresholds).
// `trees_read`, when given, counts the bucket trees read.
Status collect_node(ObjectStore& store, const std::vector<TreeEntry>& entries, size_t level,
                    uint64_t prefix, std::vector<StoredMember>& out, size_t* trees_read = nullptr);

// collect_node for the object stored as `tree` (level 0).
Status collect_members(ObjectStore& store, const Oid& tree, std::vector<StoredMember>& out);

// A change to one member: its hash, escaped name, and new entry (nullopt
// removes the member; removing an absent member changes nothing).
struct MemberChange {
  uint64_t hash = 0;
  std::string name;
  std::optional<TreeEntry> entry;
};

// Applies `changes` (unique names, any order; reordered) to the object stored
// as `tree` (nullopt: a new, empty object) and returns the new tree id. Only
// the nodes holding changed members are rewritten; buckets split and collapse
// across kFanoutThreshold, so the result equals write_node of the new member
// set. `trees_read`, when given, counts the trees read. kCorrupt on
// misshapen input trees; store errors as they come.
Result<Oid> update_object(ObjectStore& store, const std::optional<Oid>& tree,
                          std::span<MemberChange> changes, size_t* trees_read = nullptr);

}  // namespace gitstate::fanout
