// Seeded generators of JSON values and keys for the codec, edit and diff tests.
//
// Keys mix plain words with every case the escaping rule covers (see
// docs/data-model.md, "Names"); values mix every JSON type, awkward strings and
// numbers at the edges of the canonical number rule. One generator per test;
// not thread-safe.
#pragma once

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gitstate::test {

// Keys that git or `git fsck --strict` would reject or treat specially, and
// keys that look like escapes or bucket names.
inline std::vector<std::string> awkward_keys() {
  return {"",
          ".",
          "..",
          "...",
          ".git",
          ".GIT",
          ".Git.",
          ".git ",
          ".git.",
          "git~1",
          "GIT~1",
          "git~1.",
          "gitmod~1",
          "gi7eba~1",
          "gitatt~1",
          ".gitmodules",
          ".gitattributes",
          ".gitignore",
          ".mailmap",
          "\xE2\x80\x8C.git",
          "\xEF\xBB\xBF.git",
          ".g\xE2\x80\x8Cit",
          "a/b",
          "/",
          "\\",
          "a\\.git",
          "a\\git~1",
          "%",
          "%%",
          "%25",
          "%2E",
          "%%0A",
          "%%",
          "~",
          "a~b",
          std::string("\0", 1),
          std::string("x\0y", 3),
          "\xC3\xA9",
          "\xE6\x97\xA5\xE6\x9C\xAC",
          "\xF0\x9F\x98\x80",
          "\n",
          "a b",
          "-",
          "con",
          "a.",
          ".a",
          "\x7F",
          "\x01",
          "\"",
          "'",
          ":",
          "a:b"};
}

class RandomJson {
 public:
  explicit RandomJson(uint32_t seed) : rng_(seed) {}

  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  std::mt19937& rng() { return rng_; }

  std::string key() {
    static const std::vector<std::string> awkward = awkward_keys();
    switch (below(4)) {
      case 0:
        return awkward[below(awkward.size())];
      case 1:
        return text(below(6));
      default:
        return "k" + std::to_string(below(40));
    }
  }

  // A string of `length` code points from a mix of ASCII, controls, escapes
  // and multi-byte UTF-8.
  std::string text(size_t length) {
    static const std::vector<std::string> pieces = {"a",
                                                    "Z",
                                                    "0",
                                                    " ",
                                                    ".",
                                                    "/",
                                                    "\\",
                                                    "\"",
                                                    "~",
                                                    "%",
                                                    "\n",
                                                    "\t",
                                                    "\x01",
                                                    "\x1F",
                                                    "\x7F",
                                                    "\xC3\xA9",
                                                    "\xE2\x80\x8C",
                                                    "\xE2\x82\xAC",
                                                    "\xEF\xBB\xBF",
                                                    "\xF0\x9F\x98\x80",
                                                    std::string("\0", 1)};
    std::string out;
    for (size_t i = 0; i < length; ++i) out += pieces[below(pieces.size())];
    return out;
  }

  nlohmann::json number() {
    switch (below(8)) {
      case 0:
        return static_cast<int64_t>(below(1000)) - 500;
      case 1:
        return static_cast<int64_t>(rng_()) << 32 | rng_();
      case 2:
        return std::numeric_limits<uint64_t>::max() - below(3);
      case 3:
        return std::numeric_limits<int64_t>::min() + static_cast<int64_t>(below(3));
      case 4:
        return static_cast<double>(below(2000)) / 8.0 - 100.0;
      case 5: {  // any finite double, from its bits
        double d;
        do {
          uint64_t bits = static_cast<uint64_t>(rng_()) << 32 | rng_();
          std::memcpy(&d, &bits, sizeof d);
        } while (!std::isfinite(d));
        return d;
      }
      case 6:
        return std::ldexp(1.0, static_cast<int>(below(140)) - 20);  // powers of two, 2^63, 2^64...
      default:
        return 0.1 * static_cast<double>(below(100));
    }
  }

  nlohmann::json scalar() {
    switch (below(5)) {
      case 0:
        return nullptr;
      case 1:
        return chance(0.5);
      case 2:
        return number();
      default:
        return text(below(8));
    }
  }

  // A value nesting at most `depth` more containers.
  nlohmann::json value(size_t depth) {
    size_t pick = depth == 0 ? 0 : below(10);
    if (pick < 5) return scalar();
    if (pick < 7) {
      nlohmann::json array = nlohmann::json::array();
      for (size_t i = below(4); i > 0; --i) array.push_back(value(depth - 1));
      return array;
    }
    return object(depth, 6);
  }

  nlohmann::json object(size_t depth, size_t max_members) {
    nlohmann::json object = nlohmann::json::object();
    for (size_t i = below(max_members + 1); i > 0; --i) object[key()] = value(depth - 1);
    return object;
  }

 private:
  std::mt19937 rng_;
};

}  // namespace gitstate::test
