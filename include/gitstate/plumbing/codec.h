// The codec: JSON values <-> git trees and blobs (format 1, docs/data-model.md).
//
// A state is a JSON object stored as a git tree. An object is a tree with one
// entry per member, named by escape_key(key): mode 040000 for an object value,
// 100644 for anything else. A scalar or an array is a blob holding its
// canonical text (canonical_text). An object with more than kFanoutThreshold
// members is a fanout tree: members sit in buckets named "%%XX" by the bytes
// of XXH3-64 of the key, so every tree on a path stays small. The layout is a
// function of the value alone, so the same state always gets the same id.
//
// Writers validate what they store (UTF-8, finite numbers, kMaxDepth,
// kMaxKeyBytes, kMaxBlobBytes) and return kInvalid rather than write something git or a
// reader would reject. Readers are strict: anything this codec would not have
// written (a non-canonical blob, a name no key produces, a misplaced bucket
// member) is kCorrupt, so `verify` can rely on them.
//
// Thread-safety: pure functions over an ObjectStore, which is itself
// thread-safe; nlohmann::json values passed in are only read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"
#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

// Nesting limit: a value nests at most 256 objects/arrays (the root object of a
// state counts as one), and a path has at most 256 tokens. Setting a value v at
// a path of length p needs p + nesting(v) <= kMaxDepth. Beyond: kInvalid.
constexpr size_t kMaxDepth = 256;

// Longest tree entry name (an escaped key), in bytes. Newer git fsck reports
// names longer than 4096 bytes (fsck.largePathname, an error under --strict),
// and libgit2 cannot parse names over 65535 bytes. Beyond: kInvalid.
constexpr size_t kMaxKeyBytes = 4096;

// Largest blob: the canonical text of one scalar or array, in bytes. A blob
// is read, parsed and rewritten whole (an edit inside an array rewrites the
// array), so a bigger value belongs in an object, which is a tree and costs
// what its changed members cost. Beyond: kInvalid on write, kCorrupt on read.
constexpr size_t kMaxBlobBytes = size_t{16} << 20;

// An object with more members than this is stored as a fanout tree. At 256
// members a plain tree costs about as much to rewrite as a full 256-bucket
// fanout level, so the cost of a change is continuous across the threshold;
// measurements in docs/data-model.md, "Fanout".
constexpr size_t kFanoutThreshold = 256;

// A stored value: a tree (an object) or a blob (a scalar or an array).
struct Node {
  uint32_t mode = kModeBlob;
  Oid oid;

  bool is_tree() const { return mode == kModeTree; }
  bool operator==(const Node&) const = default;
};

// Parses strict JSON text (RFC 8259: no comments, no trailing commas, no
// duplicate keys, well-formed UTF-8, finite numbers). kInvalid with a message
// naming the line and column (or the path of a duplicate key), also when the
// value nests deeper than kMaxDepth.
Result<nlohmann::json> parse_json_text(std::string_view text);

// The canonical text of a value, which is exactly the content of its blob:
// compact, object keys in bytewise order, integers exact, other numbers in
// shortest round-trip form, strings UTF-8 with only mandatory escapes, and a
// final '\n'. Equal values give equal bytes. Never fails: non-finite numbers
// and binary values come out as null and strings are copied as they are, so
// callers storing a value validate it first (write_value does).
std::string canonical_text(const nlohmann::json& value);

// The tree entry name of a JSON key. Keys that git takes as they are stay
// unchanged; '%', '/', '\\', '~', NUL and a leading '.' become %XX, the empty
// key becomes "%". Never fails (the length limit is checked by writers).
std::string escape_key(std::string_view key);

// The key of a tree entry name. kCorrupt for a name that escape_key produces
// for no key (a bucket name, lowercase or needless escapes, invalid UTF-8).
Result<std::string> unescape_name(std::string_view name);

// Stores `value`: an object as a tree (fanout when large), anything else as a
// blob. Returns its node. kInvalid when the value exceeds kMaxDepth, holds a
// key over kMaxKeyBytes escaped, a scalar or array whose canonical text is
// over kMaxBlobBytes, a string or key that is not UTF-8, a
// non-finite number, or binary data; the message names the path.
Result<Node> write_value(ObjectStore& store, const nlohmann::json& value);

// Stores a state and returns its root tree id. kInvalid unless `root` is an
// object, or as write_value.
Result<Oid> write_state(ObjectStore& store, const nlohmann::json& root);

// Reads a stored value back. kCorrupt for anything this codec would not have
// written: a non-canonical blob, an object in a blob, a bad name or mode, a
// fanout tree that is misshapen, nesting past kMaxDepth; kNotFound/kIO from
// the store.
Result<nlohmann::json> read_value(ObjectStore& store, const Node& node);

// The node at `path` under the state tree `root_tree`, or nullopt when no
// member is there. Reads only the trees on the path (and buckets). kInvalid
// when the path goes through a scalar or an array ("path /a/b goes through a
// scalar at /a"); kCorrupt/kNotFound/kIO from the store.
Result<std::optional<Node>> lookup(ObjectStore& store, const Oid& root_tree, const Path& path);

// The value at `path`, descending into arrays and objects stored inside
// blobs too (/list/0, /list/0/name). kNotFound naming the path when nothing
// is there (including through a scalar, or an index out of range);
// kCorrupt/kIO as read_value.
Result<nlohmann::json> read_path(ObjectStore& store, const Oid& root_tree, const Path& path);

// Calls `fn` for each member of the object stored as `tree`, in ascending
// bytewise key order, with fanout buckets hidden. A non-ok Status from `fn`
// stops the walk and is returned. kCorrupt for a bad name, mode or bucket.
Status for_each_member(ObjectStore& store, const Oid& tree,
                       const std::function<Status(const std::string& key, const Node& node)>& fn);

// The root tree id `root` would get, without writing anywhere. As write_state.
Result<Oid> hash_state(const nlohmann::json& root);

}  // namespace gitstate
