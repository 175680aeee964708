#include "fanout_internal.h"

#include <xxhash.h>

#include <algorithm>

namespace gitstate::fanout {

namespace {
constexpr char kHexDigits[] = "0123456789ABCDEF";

bool hash_less(const Member& a, const Member& b) {
  return a.hash != b.hash ? a.hash < b.hash : a.entry.name < b.entry.name;
}

// Does `hash` start with the `level` bytes of `prefix`?
bool has_prefix(uint64_t hash, size_t level, uint64_t prefix) {
  return level == 0 || (hash >> (64 - 8 * level)) == prefix;
}

// Erases the entry called `name`, if any, from sorted `entries`.
void erase_entry(std::vector<TreeEntry>& entries, std::string_view name) {
  if (const TreeEntry* e = find_entry(entries, name))
    entries.erase(entries.begin() + (e - entries.data()));
}

// store.read_tree, counted in `trees_read` when given.
Result<TreePtr> read_counted(ObjectStore& store, const Oid& tree, size_t* trees_read) {
  if (trees_read) ++*trees_read;
  return store.read_tree(tree);
}

void insert_entry(std::vector<TreeEntry>& entries, TreeEntry entry) {
  auto at = std::lower_bound(entries.begin(), entries.end(), entry, tree_entry_less);
  entries.insert(at, std::move(entry));
}

Oid write_sorted_span(ObjectStore& store, std::span<Member> members, size_t level) {
  if (members.size() > kFanoutThreshold && level < kHashLevels) {
    std::vector<TreeEntry> buckets;
    size_t begin = 0;
    while (begin < members.size()) {
      unsigned bucket = bucket_of(members[begin].hash, level);
      size_t end = begin;
      while (end < members.size() && bucket_of(members[end].hash, level) == bucket) ++end;
      Oid child = write_sorted_span(store, members.subspan(begin, end - begin), level + 1);
      buckets.push_back({bucket_name(bucket), kModeTree, child});
      begin = end;
    }
    return store.write_sorted_tree(std::move(buckets));
  }
  std::vector<TreeEntry> entries;
  entries.reserve(members.size());
  for (const Member& m : members) entries.push_back(m.entry);
  return store.write_tree(std::move(entries));
}

// The outcome of rewriting one node: its tree, and whether it is a fanout
// node (then it holds more than kFanoutThreshold members) or a plain one with
// `count` members.
struct Updated {
  Oid oid;
  bool fanout = false;
  size_t count = 0;
};

Result<Updated> update_node(ObjectStore& store, const Oid* tree, size_t level,
                            std::span<MemberChange> changes, size_t* trees_read);

// A plain node: edit its entries in place, split when it grows too large.
Result<Updated> update_plain(ObjectStore& store, std::vector<TreeEntry> entries, size_t level,
                             std::span<MemberChange> changes) {
  for (MemberChange& change : changes) {
    erase_entry(entries, change.name);
    if (change.entry) insert_entry(entries, std::move(*change.entry));
  }
  size_t count = entries.size();
  if (count <= kFanoutThreshold || level >= kHashLevels)
    return Updated{store.write_sorted_tree(std::move(entries)), false, count};
  std::vector<Member> members;
  members.reserve(count);
  for (TreeEntry& entry : entries) {
    GITSTATE_ASSIGN_OR_RETURN(std::string key, unescape_name(entry.name));
    uint64_t hash = key_hash(key);
    members.push_back({std::move(entry), hash});
  }
  return Updated{write_node(store, members, level), true, count};
}

// Counts the members of a fanout node's buckets, stopping as soon as the
// count exceeds kFanoutThreshold. `known` holds the buckets just rewritten.
Result<size_t> count_up_to_threshold(ObjectStore& store, const std::vector<TreeEntry>& buckets,
                                     const std::vector<std::pair<std::string, Updated>>& known,
                                     size_t* trees_read) {
  size_t total = 0;
  for (const TreeEntry& bucket : buckets) {
    auto it = std::find_if(known.begin(), known.end(),
                           [&](const auto& k) { return k.first == bucket.name; });
    if (it != known.end()) {
      total += it->second.fanout ? kFanoutThreshold + 1 : it->second.count;
    } else {
      GITSTATE_ASSIGN_OR_RETURN(TreePtr child, read_counted(store, bucket.oid, trees_read));
      total += is_fanout(*child) ? kFanoutThreshold + 1 : child->size();
    }
    if (total > kFanoutThreshold) break;
  }
  return total;
}

// A fanout node: rewrite the buckets that hold changes, then collapse into a
// plain node if removals brought it down to kFanoutThreshold members.
Result<Updated> update_fanout(ObjectStore& store, std::vector<TreeEntry> buckets, size_t level,
                              std::span<MemberChange> changes, size_t* trees_read) {
  if (level >= kHashLevels) return corrupt("fanout tree nested deeper than 64 hash bits");
  std::vector<std::pair<std::string, Updated>> rewritten;
  bool removed = false;
  size_t begin = 0;
  while (begin < changes.size()) {
    unsigned bucket = bucket_of(changes[begin].hash, level);
    size_t end = begin;
    while (end < changes.size() && bucket_of(changes[end].hash, level) == bucket) {
      removed |= !changes[end].entry.has_value();
      ++end;
    }
    std::string name = bucket_name(bucket);
    const TreeEntry* existing = find_entry(buckets, name);
    if (existing && !existing->is_tree())
      return corrupt("fanout bucket " + name + " is not a tree");
    std::optional<Oid> child;
    if (existing) child = existing->oid;
    GITSTATE_ASSIGN_OR_RETURN(Updated updated,
                              update_node(store, child ? &*child : nullptr, level + 1,
                                          changes.subspan(begin, end - begin), trees_read));
    erase_entry(buckets, name);
    if (updated.fanout || updated.count > 0) insert_entry(buckets, {name, kModeTree, updated.oid});
    rewritten.emplace_back(std::move(name), updated);
    begin = end;
  }
  if (removed) {
    GITSTATE_ASSIGN_OR_RETURN(size_t count,
                              count_up_to_threshold(store, buckets, rewritten, trees_read));
    if (count <= kFanoutThreshold) {
      // Every bucket is a plain node now: their members make one plain node.
      std::vector<TreeEntry> members;
      for (const TreeEntry& bucket : buckets) {
        GITSTATE_ASSIGN_OR_RETURN(TreePtr child, read_counted(store, bucket.oid, trees_read));
        members.insert(members.end(), child->begin(), child->end());
      }
      return Updated{store.write_tree(std::move(members)), false, count};
    }
  }
  return Updated{store.write_sorted_tree(std::move(buckets)), true, kFanoutThreshold + 1};
}

Result<Updated> update_node(ObjectStore& store, const Oid* tree, size_t level,
                            std::span<MemberChange> changes, size_t* trees_read) {
  if (!tree) return update_plain(store, {}, level, changes);
  GITSTATE_ASSIGN_OR_RETURN(TreePtr entries, read_counted(store, *tree, trees_read));
  if (is_fanout(*entries)) return update_fanout(store, *entries, level, changes, trees_read);
  return update_plain(store, *entries, level, changes);
}
}  // namespace

uint64_t key_hash(std::string_view key) { return XXH3_64bits(key.data(), key.size()); }

unsigned bucket_of(uint64_t hash, size_t level) {
  return static_cast<unsigned>((hash >> (56 - 8 * level)) & 0xFF);
}

std::string bucket_name(unsigned bucket) {
  return {'%', '%', kHexDigits[(bucket >> 4) & 0xF], kHexDigits[bucket & 0xF]};
}

int parse_bucket_name(std::string_view name) {
  if (name.size() != 4 || name[0] != '%' || name[1] != '%') return -1;
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int hi = digit(name[2]), lo = digit(name[3]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

bool is_fanout(const std::vector<TreeEntry>& entries) {
  return !entries.empty() && entries.front().name.starts_with("%%");
}

Oid write_node(ObjectStore& store, std::span<Member> members, size_t level) {
  std::sort(members.begin(), members.end(), hash_less);
  return write_sorted_span(store, members, level);
}

Result<std::optional<TreeEntry>> find_member(ObjectStore& store, const Oid& tree,
                                             std::string_view key, size_t* trees_read) {
  std::optional<uint64_t> hash;
  Oid node = tree;
  for (size_t level = 0;; ++level) {
    GITSTATE_ASSIGN_OR_RETURN(TreePtr entries, read_counted(store, node, trees_read));
    if (!is_fanout(*entries)) {
      const TreeEntry* entry = find_entry(*entries, escape_key(key));
      if (!entry) return std::optional<TreeEntry>();
      return std::optional<TreeEntry>(*entry);
    }
    if (level >= kHashLevels)
      return corrupt("fanout tree " + node.hex() + " nested deeper than 64 hash bits");
    if (!hash) hash = key_hash(key);
    const TreeEntry* bucket = find_entry(*entries, bucket_name(bucket_of(*hash, level)));
    if (!bucket) return std::optional<TreeEntry>();
    if (!bucket->is_tree())
      return corrupt("fanout bucket " + bucket->name + " in tree " + node.hex() + " is not a tree");
    node = bucket->oid;
  }
}

Status collect_node(ObjectStore& store, const std::vector<TreeEntry>& entries, size_t level,
                    uint64_t prefix, std::vector<StoredMember>& out, size_t* trees_read) {
  size_t first = out.size();
  if (is_fanout(entries)) {
    if (level >= kHashLevels) return corrupt("fanout tree nested deeper than 64 hash bits");
    for (const TreeEntry& bucket : entries) {
      int number = parse_bucket_name(bucket.name);
      if (number < 0 || !bucket.is_tree())
        return corrupt("fanout tree holds '" + bucket.name + "', which is not a bucket tree");
      GITSTATE_ASSIGN_OR_RETURN(TreePtr child, store.read_tree(bucket.oid));
      if (trees_read) ++*trees_read;
      if (child->empty()) return corrupt("fanout bucket " + bucket.name + " is empty");
      GITSTATE_RETURN_IF_ERROR(collect_node(store, *child, level + 1,
                                            (prefix << 8) | static_cast<unsigned>(number), out,
                                            trees_read));
    }
    if (out.size() - first <= kFanoutThreshold)
      return corrupt("fanout tree holds only " + std::to_string(out.size() - first) +
                     " members; it should be a plain tree");
    return Status::ok();
  }
  if (entries.size() > kFanoutThreshold && level < kHashLevels)
    return corrupt("plain tree holds " + std::to_string(entries.size()) +
                   " members; it should fan out");
  for (const TreeEntry& entry : entries) {
    GITSTATE_ASSIGN_OR_RETURN(std::string key, unescape_name(entry.name));
    if (!has_prefix(key_hash(key), level, prefix))
      return corrupt("member '" + entry.name + "' is in the wrong fanout bucket");
    out.push_back({std::move(key), entry});
  }
  return Status::ok();
}

Status collect_members(ObjectStore& store, const Oid& tree, std::vector<StoredMember>& out) {
  GITSTATE_ASSIGN_OR_RETURN(TreePtr entries, store.read_tree(tree));
  return collect_node(store, *entries, 0, 0, out).with_context("object tree " + tree.hex());
}

Result<Oid> update_object(ObjectStore& store, const std::optional<Oid>& tree,
                          std::span<MemberChange> changes, size_t* trees_read) {
  std::sort(changes.begin(), changes.end(), [](const MemberChange& a, const MemberChange& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.name < b.name;
  });
  GITSTATE_ASSIGN_OR_RETURN(Updated updated,
                            update_node(store, tree ? &*tree : nullptr, 0, changes, trees_read));
  return updated.oid;
}

}  // namespace gitstate::fanout
