#include "gitstate/plumbing/object_store.h"

namespace gitstate {

namespace {
class MemoryBackend : public ObjectBackend {
 public:
  Result<Object> read(const Oid& id) override {
    auto it = objects_.find(id);
    if (it == objects_.end()) return not_found("object " + id.hex() + " does not exist");
    return it->second;
  }
  bool contains(const Oid& id) override { return objects_.count(id) != 0; }
  void write(const Oid& id, ObjectType type, std::string data) override {
    objects_.try_emplace(id, Object{type, std::move(data)});
  }
  Status flush(bool) override { return Status::ok(); }
  size_t pending_count() override { return 0; }

 private:
  std::unordered_map<Oid, Object, OidHash> objects_;
};

size_t small_cost(const Object& object) { return sizeof(Object) + object.data.size() + 64; }

size_t tree_bytes(const std::vector<TreeEntry>& entries) {
  size_t bytes = sizeof(entries) + entries.capacity() * sizeof(TreeEntry);
  for (const auto& e : entries) bytes += e.name.capacity();
  return bytes;
}
}  // namespace

std::unique_ptr<ObjectBackend> make_memory_backend() { return std::make_unique<MemoryBackend>(); }

ObjectStore::ObjectStore(std::unique_ptr<ObjectBackend> backend, size_t cache_bytes)
    : backend_(std::move(backend)), cache_budget_(cache_bytes) {}

Oid ObjectStore::write(ObjectType type, std::string data) {
  Oid id = hash_object(type, data);
  write_hashed(id, type, std::move(data));
  return id;
}

Oid ObjectStore::write_tree(std::vector<TreeEntry> entries) {
  std::sort(entries.begin(), entries.end(), tree_entry_less);
  return write_sorted_tree(std::move(entries));
}

Oid ObjectStore::write_sorted_tree(std::vector<TreeEntry> entries) {
  std::string data = encode_sorted_tree(entries);
  Oid id = hash_object(ObjectType::kTree, data);
  write_hashed(id, ObjectType::kTree, std::move(data),
               std::make_shared<const std::vector<TreeEntry>>(std::move(entries)));
  return id;
}

void ObjectStore::write_hashed(const Oid& id, ObjectType type, std::string data, TreePtr parsed) {
  size_t parsed_bytes = parsed ? tree_bytes(*parsed) : 0;
  std::lock_guard lock(mu_);
  if (type != ObjectType::kTree && data.size() <= kSmallObjectBytes)
    small_put(id, Object{type, data});
  backend_->write(id, type, std::move(data));
  if (parsed) cache_put(id, std::move(parsed), parsed_bytes);
}

Result<Object> ObjectStore::read(const Oid& id) {
  std::lock_guard lock(mu_);
  if (auto it = small_.find(id); it != small_.end()) return it->second;
  auto object = backend_->read(id);
  if (object.is_ok() && object->type != ObjectType::kTree &&
      object->data.size() <= kSmallObjectBytes)
    small_put(id, *object);
  return object;
}

Result<TreePtr> ObjectStore::read_tree(const Oid& id) {
  std::unique_lock lock(mu_);
  if (auto it = cache_.find(id); it != cache_.end()) {
    ++stats_.hits;
    return it->second.first;
  }
  ++stats_.misses;
  if (auto parsed = backend_->parsed_tree(id)) return std::move(*parsed);
  auto object = backend_->read(id);
  lock.unlock();
  if (!object.is_ok()) return object.status();
  if (object->type != ObjectType::kTree)
    return corrupt("object " + id.hex() + " is a " + object_type_name(object->type) +
                   ", not a tree");
  auto entries = parse_tree(object->data);
  if (!entries.is_ok()) return entries.status().with_context("tree " + id.hex());
  size_t bytes = tree_bytes(*entries);
  auto tree = std::make_shared<const std::vector<TreeEntry>>(std::move(entries).value());
  lock.lock();
  cache_put(id, tree, bytes);
  return TreePtr(tree);
}

bool ObjectStore::contains(const Oid& id) {
  std::lock_guard lock(mu_);
  return backend_->contains(id);
}

Status ObjectStore::flush(bool durable) {
  std::lock_guard lock(mu_);
  return backend_->flush(durable);
}

size_t ObjectStore::pending_count() {
  std::lock_guard lock(mu_);
  return backend_->pending_count();
}

ObjectStore::CacheStats ObjectStore::cache_stats() {
  std::lock_guard lock(mu_);
  CacheStats s = stats_;
  s.entries = cache_.size();
  return s;
}

void ObjectStore::cache_put(const Oid& id, TreePtr tree, size_t bytes) {
  if (bytes > cache_budget_ / 4) return;  // one huge tree must not flush the whole cache
  if (stats_.bytes + bytes > cache_budget_) {
    // Random-ish eviction: drop entries in hash order until half the budget is free.
    for (auto it = cache_.begin();
         it != cache_.end() && stats_.bytes + bytes > cache_budget_ / 2;) {
      stats_.bytes -= it->second.second;
      it = cache_.erase(it);
    }
  }
  if (cache_.try_emplace(id, std::move(tree), bytes).second) stats_.bytes += bytes;
}

void ObjectStore::small_put(const Oid& id, const Object& object) {
  size_t bytes = small_cost(object);
  if (small_bytes_ + bytes > cache_budget_ / 4) {
    for (auto it = small_.begin();
         it != small_.end() && small_bytes_ + bytes > cache_budget_ / 8;) {
      small_bytes_ -= small_cost(it->second);
      it = small_.erase(it);
    }
  }
  if (small_.try_emplace(id, object).second) small_bytes_ += bytes;
}

}  // namespace gitstate
