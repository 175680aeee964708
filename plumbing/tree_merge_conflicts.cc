// Conflict resolution for tree merges: rules, then the resolver, then the
// default strategy (tree_merge.h).
#include <algorithm>

#include "gitstate/plumbing/codec.h"
#include "tree_merge_internal.h"

namespace gitstate::merge_internal {

bool same_value(const OptJson& a, const OptJson& b) {
  if (!a || !b) return !a && !b;
  return *a == *b && canonical_text(*a) == canonical_text(*b);
}

OptJson ConflictLog::conflict(const Path& path, const OptJson& base, const OptJson& ours,
                              const OptJson& theirs) {
  Conflict conflict{path, base, ours, theirs};
  auto by_strategy = [&](MergeStrategy strategy, std::string rule) -> OptJson {
    switch (strategy) {
      case MergeStrategy::kOurs:
        return resolve(std::move(conflict), ResolvedWith::kOurs, std::move(rule), ours);
      case MergeStrategy::kTheirs:
        return resolve(std::move(conflict), ResolvedWith::kTheirs, std::move(rule), theirs);
      case MergeStrategy::kReport:
        break;
    }
    conflicts_.push_back(std::move(conflict));
    return ours;
  };
  for (const MergeRule& rule : options_.rules) {
    if (rule.pattern.matches(path)) return by_strategy(rule.strategy, rule.pattern.text());
  }
  if (options_.resolver) {
    if (OptJson value = options_.resolver(path, base, ours, theirs))
      return resolve(std::move(conflict), ResolvedWith::kResolver, "", std::move(value));
  }
  return by_strategy(options_.strategy, "");
}

OptJson ConflictLog::resolve(Conflict conflict, ResolvedWith with, std::string rule,
                             OptJson value) {
  resolved_.push_back({std::move(conflict), with, std::move(rule), value});
  return value;
}

void ConflictLog::fallback(const Path& path, std::string reason) {
  fallbacks_.push_back({path, std::move(reason)});
}

void ConflictLog::finish(MergeResult& result) {
  auto by_path = [](const auto& a, const auto& b) { return a.path < b.path; };
  std::stable_sort(conflicts_.begin(), conflicts_.end(), by_path);
  std::stable_sort(fallbacks_.begin(), fallbacks_.end(), by_path);
  std::stable_sort(
      resolved_.begin(), resolved_.end(),
      [](const Resolution& a, const Resolution& b) { return a.conflict.path < b.conflict.path; });
  result.clean = conflicts_.empty();
  result.conflicts = std::move(conflicts_);
  result.resolved = std::move(resolved_);
  result.fallbacks = std::move(fallbacks_);
}

}  // namespace gitstate::merge_internal
