#include "gitstate/plumbing/merge_base.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "gitstate/plumbing/object.h"
#include "gitstate/plumbing/pack_backend.h"
#include "support/test_util.h"

using namespace gitstate;
using gitstate::test::run_command;
using gitstate::test::shell_quote;
using gitstate::test::TempDir;

namespace {
// Builds commit graphs in a fresh repository and compares merge bases with git's.
struct History {
  TempDir tmp;
  std::shared_ptr<GitDir> dir;
  std::unique_ptr<ObjectStore> store;
  int clock = 0;

  History() {
    auto d = GitDir::init(tmp.str() + "/store");
    REQUIRE(d.is_ok());
    dir = *d;
    store = std::make_unique<ObjectStore>(make_pack_backend(dir));
    store->write(ObjectType::kTree, "");
  }

  Oid commit(const std::string& name, std::vector<Oid> parents) {
    Signature s{"Test", "test@example.com", 1700000000 + ++clock, 0};
    CommitData c{empty_tree_id(), std::move(parents), s, s, name + "\n", {}};
    return store->write(ObjectType::kCommit, encode_commit(c));
  }

  std::vector<std::string> ours(const Oid& a, const Oid& b) {
    REQUIRE(store->flush(false).is_ok());
    auto bases = merge_bases(*dir, a, b);
    REQUIRE(bases.is_ok());
    std::vector<std::string> hex;
    for (const Oid& o : *bases) hex.push_back(o.hex());
    std::sort(hex.begin(), hex.end());
    return hex;
  }

  std::vector<std::string> gits(const Oid& a, const Oid& b) {
    REQUIRE(store->flush(false).is_ok());
    auto out = run_command("git --git-dir=" + shell_quote(dir->path()) + " merge-base --all " +
                           a.hex() + " " + b.hex());
    std::vector<std::string> hex;
    std::istringstream lines(out.output);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) hex.push_back(line);
    std::sort(hex.begin(), hex.end());
    return hex;
  }
};
}  // namespace

TEST_CASE("merge bases of linear, forked and ancestor histories equal git's") {
  History h;
  Oid a = h.commit("a", {});
  Oid b = h.commit("b", {a});
  Oid c = h.commit("c", {b});
  Oid x = h.commit("x", {b});
  Oid y = h.commit("y", {x});
  for (auto [one, two] : {std::pair{c, y}, {y, c}, {a, c}, {c, c}, {x, y}}) {
    auto ours = h.ours(one, two);
    CHECK(ours.size() == 1);
    CHECK(ours == h.gits(one, two));
  }
  CHECK(h.ours(c, y) == std::vector<std::string>{b.hex()});
}

TEST_CASE("criss-cross merges have two best common ancestors, as git says") {
  //   a - b - d(b,c) - f
  //     \   X
  //       c - e(c,b) - g
  History h;
  Oid a = h.commit("a", {});
  Oid b = h.commit("b", {a});
  Oid c = h.commit("c", {a});
  Oid d = h.commit("d", {b, c});
  Oid e = h.commit("e", {c, b});
  Oid f = h.commit("f", {d});
  Oid g = h.commit("g", {e});
  auto ours = h.ours(f, g);
  std::vector<std::string> expected = {b.hex(), c.hex()};
  std::sort(expected.begin(), expected.end());
  CHECK(ours == expected);
  CHECK(ours == h.gits(f, g));

  // A merge of the two merges: the bases of the criss-cross and a third branch.
  Oid m = h.commit("m", {f, g});
  Oid z = h.commit("z", {c});
  CHECK(h.ours(m, z) == h.gits(m, z));
  CHECK(h.ours(m, z) == std::vector<std::string>{c.hex()});
}

TEST_CASE("unrelated histories have no merge base, missing and non-commit ids are errors") {
  History h;
  Oid a = h.commit("a", {});
  Oid other_root = h.commit("other root", {});
  Oid b = h.commit("b", {other_root});
  CHECK(h.ours(a, b).empty());
  CHECK(h.gits(a, b).empty());

  Oid missing = hash_object(ObjectType::kCommit, "not stored");
  CHECK(merge_bases(*h.dir, a, missing).status().code() == Code::kNotFound);
  CHECK(merge_bases(*h.dir, empty_tree_id(), a).status().code() == Code::kInvalid);
}
