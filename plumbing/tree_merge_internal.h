// Tree merge internals shared by tree_merge*.cc and keyed_array_merge.cc; not
// part of the public API (see tree_merge.h for the rules). Single-threaded:
// one set of these objects serves one merge_trees call.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/object_store.h"
#include "gitstate/plumbing/tree_merge.h"

namespace gitstate::merge_internal {

using OptJson = std::optional<nlohmann::json>;

// Equal values by canonical text, which is what their stored ids compare
// (nlohmann's operator== also equates 2^53 + 1 with 2^53.0); absent equals
// absent only.
bool same_value(const OptJson& a, const OptJson& b);

// Applies the resolution order (rules, resolver, strategy) to each conflict
// and records the outcome, and records keyed-array fallbacks.
class ConflictLog {
 public:
  explicit ConflictLog(const MergeOptions& options) : options_(options) {}

  // Resolves or records the conflict at `path`; returns the value the merged
  // state holds there (ours when the conflict stays).
  OptJson conflict(const Path& path, const OptJson& base, const OptJson& ours,
                   const OptJson& theirs);
  void fallback(const Path& path, std::string reason);

  // Moves the sorted records into `result` and sets its clean flag.
  void finish(MergeResult& result);

 private:
  OptJson resolve(Conflict conflict, ResolvedWith with, std::string rule, OptJson value);

  const MergeOptions& options_;
  std::vector<Conflict> conflicts_;
  std::vector<Resolution> resolved_;
  std::vector<KeyedFallback> fallbacks_;
};

// The three-way merge of JSON values (rules 1-5 of tree_merge.h), used where
// values are not trees: inside arrays, and where a side is not an object.
class ValueMerger {
 public:
  ValueMerger(const MergeOptions& options, ConflictLog& log) : options_(options), log_(log) {}

  // The merged value at `path` (nullopt: absent). `path` is restored on
  // return. kInvalid when a resolver breaks a keyed-array element.
  Result<OptJson> merge(Path& path, const OptJson& base, const OptJson& ours,
                        const OptJson& theirs);

  ConflictLog& log() { return log_; }

 private:
  Result<OptJson> merge_objects(Path& path, const OptJson& base, const nlohmann::json& ours,
                                const nlohmann::json& theirs);

  const MergeOptions& options_;
  ConflictLog& log_;
};

// Rule 4: merges the arrays `ours` and `theirs` at `path`, declared keyed by
// `key`, element by element through `merger`; falls back to a whole-value
// conflict (recorded in the log) when an array does not qualify. `path` is
// restored on return.
Result<OptJson> merge_keyed_array(ValueMerger& merger, Path& path, const std::string& key,
                                  const OptJson& base, const nlohmann::json& ours,
                                  const nlohmann::json& theirs);

// An object backend that keeps what is written in memory and reads the rest
// from `below`: a merge writes here, and only a successful one copies its
// result into the real store.
class StagingBackend : public ObjectBackend {
 public:
  explicit StagingBackend(ObjectStore& below) : below_(below) {}

  Result<Object> read(const Oid& id) override;
  bool contains(const Oid& id) override;
  void write(const Oid& id, ObjectType type, std::string data) override;
  // Trees not written here come parsed from `below`'s cache.
  std::optional<Result<TreePtr>> parsed_tree(const Oid& id) override;
  Status flush(bool) override { return Status::ok(); }
  size_t pending_count() override { return written_.size(); }

  // Writes to `below` the staged objects reachable from the tree `root` that
  // it does not hold yet, walking trees through `staged` (the store over this
  // backend, whose cache holds the trees it wrote parsed). Errors as
  // ObjectStore::read_tree (never for trees written here).
  Status publish(const Oid& root, ObjectStore& staged);

 private:
  ObjectStore& below_;
  std::unordered_map<Oid, Object, OidHash> written_;
};

}  // namespace gitstate::merge_internal
