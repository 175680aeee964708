// The W4 baseline: libgit2's git_merge_trees on three trees of a repository,
// with default options. No gitstate code.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace bench {
class Libgit2Handle;
}

namespace bench::w4 {

// One libgit2 repository handle kept open across merges: the first merge
// runs on a cold object cache, later ones on whatever libgit2 kept.
class Libgit2Merger {
 public:
  explicit Libgit2Merger(const std::string& repo_dir);
  ~Libgit2Merger();

  // Opens the object database by asking whether `hex` exists: loads the pack
  // list and indexes without parsing or caching any object.
  void open_odb(const std::string& hex);

  // Merges `theirs` into `ours` against `ancestor` (trees, as hex ids) into an
  // in-memory index, as git_merge_trees does (no merged tree is written: with
  // conflicts libgit2 cannot write one). Returns the number of conflicted
  // paths. Stops the benchmark on a libgit2 error.
  size_t merge(const std::string& ancestor_hex, const std::string& ours_hex,
               const std::string& theirs_hex);

 private:
  std::unique_ptr<Libgit2Handle> handle_;
};

}  // namespace bench::w4
