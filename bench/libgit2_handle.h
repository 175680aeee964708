// What the libgit2 baselines share: stopping the benchmark on a libgit2
// error, parsing ids, and an open repository handle. No gitstate code.
#pragma once

#include <git2.h>

#include <string>

namespace bench {

// Stops the benchmark with libgit2's last error when `rc` < 0.
void git_check(int rc, const char* what);

// The id spelled by 40 hex digits; stops the benchmark otherwise.
git_oid parse_oid(const std::string& hex);

// An open repository (libgit2 initialised for as long as it lives).
class Libgit2Handle {
 public:
  explicit Libgit2Handle(const std::string& repo_dir);
  ~Libgit2Handle();
  Libgit2Handle(const Libgit2Handle&) = delete;
  Libgit2Handle& operator=(const Libgit2Handle&) = delete;

  // Opens the object database by asking whether `hex` exists: loads the pack
  // list and indexes without parsing or caching any object. Stops the
  // benchmark when the object is missing.
  void open_odb(const std::string& hex);

  git_repository* get() const { return repo_; }

 private:
  git_repository* repo_ = nullptr;
};

}  // namespace bench
