// Property tests on random histories (seeded, so a failure can be replayed).
#include "porcelain/porcelain_test_util.h"

#include <random>

using gitstate::Oid;
using gitstate::test::TestRepo;
using nlohmann::json;

namespace {
void collect_pointers(const json& value, const std::string& at, std::vector<std::string>& out) {
  out.push_back(at);
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      std::string escaped;
      for (char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
      collect_pointers(member, at + "/" + escaped, out);
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i)
      collect_pointers(value[i], at + "/" + std::to_string(i), out);
  }
}

struct Generator {
  std::mt19937 rng;
  explicit Generator(uint32_t seed) : rng(seed) {}

  size_t pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); }

  json value(int depth = 0) {
    switch (pick(depth > 2 ? 4 : 6)) {
      case 0:
        return static_cast<int>(pick(1000));
      case 1:
        return std::string(1, static_cast<char>('a' + pick(26))) + "~/é";
      case 2:
        return pick(2) == 0;
      case 3:
        return nullptr;
      case 4: {
        json array = json::array();
        for (size_t i = pick(4); i > 0; --i) array.push_back(value(depth + 1));
        return array;
      }
      default: {
        json object = json::object();
        for (size_t i = pick(4); i > 0; --i) object[key()] = value(depth + 1);
        return object;
      }
    }
  }

  std::string key() {
    static const char* keys[] = {"a", "b", "c", ".git", "x/y", "t~", "", "k"};
    return keys[pick(8)];
  }

  static std::string escape(const std::string& key) {
    std::string out;
    for (char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return out;
  }

  // One operation that applies to `doc` under RFC 6902.
  json operation(const json& doc) {
    std::vector<std::string> pointers;
    collect_pointers(doc, "", pointers);
    std::vector<std::string> containers, members;
    for (const std::string& p : pointers) {
      const json& v = doc.at(json::json_pointer(p));
      if (v.is_object() || v.is_array()) containers.push_back(p);
      if (!p.empty()) members.push_back(p);
    }
    auto add_target = [&]() {
      std::string parent = containers[pick(containers.size())];
      const json& v = doc.at(json::json_pointer(parent));
      if (v.is_object()) return parent + "/" + escape(key());
      size_t index = pick(v.size() + 2);
      return parent + "/" + (index > v.size() ? std::string("-") : std::to_string(index));
    };
    size_t kind = members.empty() ? 0 : pick(6);
    if (kind == 0) return {{"op", "add"}, {"path", add_target()}, {"value", value()}};
    std::string member = members[pick(members.size())];
    if (kind == 1) return {{"op", "remove"}, {"path", member}};
    if (kind == 2) return {{"op", "replace"}, {"path", member}, {"value", value()}};
    if (kind == 3)
      return {{"op", "test"}, {"path", member}, {"value", doc.at(json::json_pointer(member))}};
    std::string target = add_target();
    if (kind == 4) return {{"op", "copy"}, {"from", member}, {"path", target}};
    if (target.rfind(member + "/", 0) == 0 || target == member)
      return {{"op", "remove"}, {"path", member}};
    return {{"op", "move"}, {"from", member}, {"path", target}};
  }
};
}  // namespace

TEST_CASE("random histories: get at every revision equals a replay of the patches", "[property]") {
  for (uint32_t seed = 1; seed <= 8; ++seed) {
    INFO("seed " << seed);
    TestRepo t;
    Generator gen(seed);
    json model = json::object();
    std::vector<std::pair<Oid, json>> history{{*t.repo.resolve(), model}};
    for (int commit = 0; commit < 25; ++commit) {
      json patch = json::array();
      json next = model;
      for (size_t n = 1 + gen.pick(3); n > 0; --n) {
        json op = gen.operation(next);
        json applied;
        try {
          applied = next.patch(json::array({op}));
        } catch (const json::exception&) {
          continue;  // e.g. a move whose target index is past the end once the source is gone
        }
        if (!applied.is_object()) continue;  // the state root stays an object
        patch.push_back(op);
        next = applied;
      }
      auto tx = t.repo.begin();
      REQUIRE(tx.is_ok());
      auto status = tx->patch(patch);
      INFO(patch.dump() << " on " << model.dump() << ": " << status.to_string());
      REQUIRE(status.is_ok());
      auto outcome = tx->commit();
      REQUIRE(outcome.is_ok());
      model = next;
      history.emplace_back(outcome->commit, model);
    }
    for (const auto& [id, expected] : history) {
      CHECK(t.get("", id.hex()) == expected);
      std::vector<std::string> pointers;
      collect_pointers(expected, "", pointers);
      const std::string& some = pointers[gen.pick(pointers.size())];
      CHECK(t.get(some, id.hex()) == expected.at(json::json_pointer(some)));
    }
    for (int pair = 0; pair < 20; ++pair) {
      const auto& [a, state_a] = history[gen.pick(history.size())];
      const auto& [b, state_b] = history[gen.pick(history.size())];
      auto patch = gitstate::diff(t.repo, a.hex(), b.hex());
      REQUIRE(patch.is_ok());
      CHECK(state_a.patch(*patch) == state_b);
    }
    for (size_t i = 1; i < history.size(); ++i) {
      auto shown = gitstate::show(t.repo, history[i].first.hex());
      REQUIRE(shown.is_ok());
      CHECK(history[i - 1].second.patch(shown->patch) == history[i].second);
    }
    CHECK(t.fsck());
  }
}
