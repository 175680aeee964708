// The synthetic states the tree benchmarks (W3 diff, W4 merge) work on: leaf
// x of a state of `size` integer leaves, in one of two shapes.
//   nested  objects of 100 members, as deep as the size needs
//           (10^4 leaves: /a<i>/b<j>; 10^5 and 10^6: /a<i>/b<j>/c<k>)
//   flat    one object with every leaf as a member (/m/k<j>): the codec's fanout
// Header-only; uses only gitstate's public headers.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "gitstate/plumbing/json_pointer.h"

namespace bench {

class Shape {
 public:
  static constexpr int64_t kFanout = 100;  // members per object in the nested shape

  Shape(std::string name, int64_t size) : name_(std::move(name)), size_(size) {
    for (int64_t span = 1; span < size; span *= kFanout) ++depth_;
    if (depth_ == 0) depth_ = 1;
  }
  const std::string& name() const { return name_; }
  int64_t size() const { return size_; }

  // The JSON Pointer of leaf x (0 <= x < size).
  gitstate::Path path(int64_t x) const {
    if (name_ == "flat") return {"m", prefixed('k', x)};
    gitstate::Path path(static_cast<size_t>(depth_));
    for (int level = depth_ - 1; level >= 0; --level, x /= kFanout)
      path[static_cast<size_t>(level)] = prefixed(static_cast<char>('a' + level), x % kFanout);
    return path;
  }

  // The whole state: leaf x holds x.
  nlohmann::json state() const {
    nlohmann::json root = nlohmann::json::object();
    for (int64_t x = 0; x < size_; ++x) {
      nlohmann::json* node = &root;
      for (const std::string& name : path(x)) node = &(*node)[name];
      *node = x;
    }
    return root;
  }

 private:
  static std::string prefixed(char prefix, int64_t n) {
    std::string out(1, prefix);
    out += std::to_string(n);
    return out;
  }
  std::string name_;
  int64_t size_;
  int depth_ = 0;
};

// The shapes named in a comma-separated list ("nested,flat"), in that order;
// unknown names are left out.
inline std::vector<std::string> parse_shapes(const std::string& list) {
  std::vector<std::string> shapes;
  for (const char* s : {"nested", "flat"})
    if (("," + list + ",").find(std::string(",") + s + ",") != std::string::npos)
      shapes.push_back(s);
  return shapes;
}

}  // namespace bench
