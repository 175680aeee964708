// The W3 baseline: libgit2's git_diff_tree_to_tree between two trees of a
// repository, with default options. No gitstate code.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace bench {
class Libgit2Handle;
}

namespace bench::w3 {

struct Libgit2DiffResult {
  double seconds = 0;  // tree lookups + git_diff_tree_to_tree + counting the deltas
  size_t deltas = 0;
};

// One libgit2 repository handle kept open across diffs: the first diff runs
// on a cold object cache, later ones on whatever libgit2 kept.
class Libgit2Differ {
 public:
  explicit Libgit2Differ(const std::string& repo_dir);
  ~Libgit2Differ();

  // Opens the object database by asking whether `hex` exists: loads the pack
  // list and indexes without parsing or caching any object.
  void open_odb(const std::string& hex);

  // Diffs two trees given as hex ids. Stops the benchmark on a libgit2 error.
  Libgit2DiffResult diff(const std::string& old_tree_hex, const std::string& new_tree_hex);

 private:
  std::unique_ptr<Libgit2Handle> handle_;
};

}  // namespace bench::w3
