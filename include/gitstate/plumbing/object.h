// Git object formats: trees and commits, encoded and parsed by gitstate.
//
// encode_tree() and encode_commit() produce exactly the bytes git writes, so
// hash_object() of them equals the id `git mktree` / `git commit-tree` give.
// The parsers accept what the encoders produce and what stock git writes, and
// return kCorrupt for anything else. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

constexpr uint32_t kModeTree = 040000;
constexpr uint32_t kModeBlob = 0100644;

struct TreeEntry {
  std::string name;  // raw entry name: non-empty, no '/' and no NUL
  uint32_t mode = kModeBlob;
  Oid oid;

  bool is_tree() const { return mode == kModeTree; }
  bool operator==(const TreeEntry&) const = default;
};

// Git's tree order: bytewise on names, a tree's name compared as if it ended in '/'.
bool tree_entry_less(const TreeEntry& a, const TreeEntry& b);

// Sorts `entries` into git's order and encodes them. Precondition: names are
// unique, non-empty, and free of '/' and NUL (the codec guarantees this).
std::string encode_tree(std::vector<TreeEntry> entries);
// Encodes entries already in git's order (the fast path of tree edits).
std::string encode_sorted_tree(const std::vector<TreeEntry>& entries);

// Parses a tree's content. kCorrupt on truncation, a bad mode, an empty or
// slash-bearing name, or entries out of git's order.
Result<std::vector<TreeEntry>> parse_tree(std::string_view content);

// The entry called `name` in a sorted entry list, or nullptr.
const TreeEntry* find_entry(const std::vector<TreeEntry>& sorted, std::string_view name);

struct Signature {
  std::string name;
  std::string email;
  int64_t time = 0;            // seconds since the Unix epoch
  int offset_minutes = 0;      // time zone offset from UTC

  bool operator==(const Signature&) const = default;
};

// "Name <email>" -> Signature with the given time; kInvalid when malformed
// or when name or email contains '<', '>' or a newline.
Result<Signature> parse_identity(std::string_view text, int64_t time, int offset_minutes = 0);

struct CommitData {
  Oid tree;
  std::vector<Oid> parents;
  Signature author;
  Signature committer;
  std::string message;             // stored as is; ends with '\n' by convention
  std::optional<std::string> gpgsig;  // armored signature (gpgsig header), if signed

  bool operator==(const CommitData&) const = default;
};

// Encodes a commit as git does (tree, parent..., author, committer, gpgsig
// continuation lines, blank line, message).
std::string encode_commit(const CommitData& commit);
// Parses a commit; unknown headers (encoding, mergetag) are skipped.
// kCorrupt when tree, author or committer is missing or malformed.
Result<CommitData> parse_commit(std::string_view content);

}  // namespace gitstate
