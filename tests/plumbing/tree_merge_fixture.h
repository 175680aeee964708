// The store, options and helpers shared by the tree merge tests.
#pragma once

#include <catch2/catch.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_merge.h"

namespace gitstate::test {

struct MergeFixture {
  ObjectStore store{make_memory_backend()};
  MergeOptions options;

  Oid state(const nlohmann::json& value) { return write_state(store, value).value(); }
  nlohmann::json read(const Oid& tree) { return read_value(store, Node{kModeTree, tree}).value(); }

  // Merges with `options` and checks what every merge must satisfy: it
  // succeeds, the merged id is the encoding of the merged JSON (history
  // independence), and `clean` says whether conflicts remain.
  MergeResult merge(const nlohmann::json& base, const nlohmann::json& ours,
                    const nlohmann::json& theirs) {
    auto result = merge_trees(store, state(base), state(ours), state(theirs), options);
    REQUIRE(result.is_ok());
    CHECK(result->tree == hash_state(read(result->tree)).value());
    CHECK(result->clean == result->conflicts.empty());
    return std::move(result).value();
  }
};

}  // namespace gitstate::test
