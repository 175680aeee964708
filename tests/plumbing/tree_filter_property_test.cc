// filter_tree against the reference semantics on random states and globs:
// filter_tree(write_state(J)) == write_state(filter_json(J)).
#include <catch2/catch.hpp>

#include "gitstate/plumbing/codec.h"
#include "gitstate/plumbing/tree_filter.h"
#include "plumbing/filter_reference.h"
#include "plumbing/random_json.h"

using namespace gitstate;
using json = nlohmann::json;
using gitstate::test::filter_json;
using gitstate::test::RandomJson;

namespace {
// A random state; one in three holds an object large enough to fan out.
json random_state(RandomJson& gen) {
  json state = gen.object(4, 6);
  if (gen.chance(0.33)) {
    json wide = json::object();
    for (size_t i = 0, n = 257 + gen.below(300); i < n; ++i)
      wide["w" + std::to_string(i)] = gen.chance(0.2) ? gen.object(2, 3) : json(i);
    state[gen.key()] = std::move(wide);
  }
  return state;
}

// A path that often exists in `state`: a walk down random members.
Path random_walk(RandomJson& gen, const json& state) {
  Path path;
  const json* node = &state;
  while (node->is_object() && !node->empty() && gen.chance(0.75)) {
    auto it = node->begin();
    std::advance(it, static_cast<long>(gen.below(node->size())));
    path.push_back(it.key());
    node = &it.value();
  }
  if (gen.chance(0.2)) path.push_back(gen.key());
  return path;
}

// A glob made from such a path: some tokens become "*", some "**" are put in.
PointerGlob random_glob(RandomJson& gen, const json& state) {
  Path tokens;
  for (std::string& token : random_walk(gen, state)) {
    if (gen.chance(0.15)) tokens.push_back("**");
    tokens.push_back(gen.chance(0.2) ? "*" : std::move(token));
  }
  if (gen.chance(0.3)) tokens.push_back("**");
  return PointerGlob::parse(format_pointer(tokens)).value();
}
}  // namespace

TEST_CASE("random states and globs: the filtered tree is the tree of the filtered state") {
  RandomJson gen(20261125);
  ObjectStore store(make_memory_backend());
  // How often the interesting cases came up, so that the test shows it covers them.
  int non_empty = 0, narrowed = 0, marked = 0, wide = 0;
  for (int round = 0; round < 1000; ++round) {
    json state = random_state(gen);
    Filter filter;
    for (size_t i = 1 + gen.below(3); i > 0; --i) filter.include.push_back(random_glob(gen, state));
    for (size_t i = gen.below(3); i > 0; --i) filter.exclude.push_back(random_glob(gen, state));
    filter.mark_hidden = gen.chance(0.5);
    Oid root = write_state(store, state).value();
    Oid view = filter_tree(store, root, filter).value();
    json expected = filter_json(state, filter);
    std::string globs;
    for (const PointerGlob& g : filter.include) globs += " +" + g.text();
    for (const PointerGlob& g : filter.exclude) globs += " -" + g.text();
    INFO("round " << round << ", globs" << globs << ", marks " << filter.mark_hidden);
    REQUIRE(view == write_state(store, expected).value());
    REQUIRE(read_value(store, Node{kModeTree, view}).value() == expected);
    non_empty += !expected.empty();
    narrowed += !expected.empty() && view != root;
    marked += expected.dump().find(kHiddenMarkerPrefix) != std::string::npos;
    wide += expected.dump().find("\"w300\"") != std::string::npos;
  }
  CHECK(non_empty > 300);  // 590 with this seed
  CHECK(narrowed > 200);   // 398: views that differ from the state
  CHECK(marked > 10);      // 42: views holding a hidden marker
  CHECK(wide > 30);        // 108: views holding part of a fanned-out object
}
