// ObjectStore: where git objects are written and read, in front of a backend.
//
// Writes hash the content (hash_object) and hand it to the backend, which keeps
// it pending in memory; flush() makes every pending object durable at once.
// Reads see pending and flushed objects alike. Parsed trees are cached by id
// (objects are immutable, so the cache never goes stale), bounded in bytes.
//
// Backends implement the narrow ObjectBackend interface: the in-memory one
// (make_memory_backend) serves tests and dry runs; the pack backend
// (make_pack_backend in pack_backend.h) stores into a git repository.
//
// Thread-safety: an ObjectStore may be used from several threads at once;
// backends are called under the store's own lock.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/oid.h"
#include "gitstate/result.h"

namespace gitstate {

struct Object {
  ObjectType type = ObjectType::kBlob;
  std::string data;
};

using TreePtr = std::shared_ptr<const std::vector<TreeEntry>>;

class ObjectBackend {
 public:
  virtual ~ObjectBackend() = default;

  // The object with this id, pending or stored. kNotFound when absent,
  // kCorrupt when stored data does not hash to `id`, kIO on read failure.
  virtual Result<Object> read(const Oid& id) = 0;
  // True when the object is pending or stored.
  virtual bool contains(const Oid& id) = 0;
  // Takes an object whose id the caller computed; kept pending until flush.
  // Writing an object that already exists is a no-op.
  virtual void write(const Oid& id, ObjectType type, std::string data) = 0;
  // Makes every pending object readable by other processes, atomically: after
  // a crash at any point either all of them are stored or none is, and the
  // repository stays valid. With `durable`, the data is on stable storage
  // (fdatasync) before this returns. kIO on failure (pending objects stay).
  virtual Status flush(bool durable) = 0;
  // Number of objects waiting for flush.
  virtual size_t pending_count() = 0;
  // The parsed tree `id` when the backend already holds it parsed (a backend
  // stacked on another ObjectStore shares that store's cache): its
  // read_tree() result, errors included. nullopt, the default, when it does
  // not: the store then reads and parses the object itself.
  virtual std::optional<Result<TreePtr>> parsed_tree(const Oid&) { return std::nullopt; }
};

// A backend that keeps every object in memory; flush() does nothing.
std::unique_ptr<ObjectBackend> make_memory_backend();

class ObjectStore {
 public:
  static constexpr size_t kSmallObjectBytes = 4096;

  // `cache_bytes`: budget of the parsed-tree cache (and a quarter of it more
  // for small objects).
  explicit ObjectStore(std::unique_ptr<ObjectBackend> backend, size_t cache_bytes = 64 << 20);

  // Hashes and stores an object; returns its id. Never fails (pending until flush).
  Oid write(ObjectType type, std::string data);
  // Encodes (sorting into git order), stores and caches a tree.
  Oid write_tree(std::vector<TreeEntry> entries);
  // Same, for entries already in git order.
  Oid write_sorted_tree(std::vector<TreeEntry> entries);
  // Stores an object another ObjectStore already hashed, without hashing it
  // again: `id` must be hash_object(type, data) (a wrong id corrupts the
  // repository), and `parsed`, when given, the parsed form of a tree, which
  // is cached. Never fails (pending until flush).
  void write_hashed(const Oid& id, ObjectType type, std::string data, TreePtr parsed = nullptr);

  // kNotFound, kCorrupt or kIO as the backend says. Objects other than trees
  // of up to kSmallObjectBytes (values, commits) are cached as read or written.
  Result<Object> read(const Oid& id);
  // A parsed tree, from the cache when possible. kCorrupt when `id` is not a tree.
  Result<TreePtr> read_tree(const Oid& id);
  bool contains(const Oid& id);

  Status flush(bool durable);
  size_t pending_count();

  struct CacheStats {
    size_t hits = 0, misses = 0, entries = 0, bytes = 0;
  };
  CacheStats cache_stats();

 private:
  void cache_put(const Oid& id, TreePtr tree, size_t bytes);
  void small_put(const Oid& id, const Object& object);

  std::mutex mu_;
  std::unique_ptr<ObjectBackend> backend_;
  size_t cache_budget_;
  std::unordered_map<Oid, std::pair<TreePtr, size_t>, OidHash> cache_;
  std::unordered_map<Oid, Object, OidHash> small_;  // budget: cache_budget_ / 4
  size_t small_bytes_ = 0;
  CacheStats stats_;
};

}  // namespace gitstate
