#include "libgit2_handle.h"

#include "bench_util.h"

namespace bench {

void git_check(int rc, const char* what) {
  if (rc >= 0) return;
  const git_error* e = git_error_last();
  die(std::string("libgit2 ") + what + ": " + (e && e->message ? e->message : "unknown error"));
}

git_oid parse_oid(const std::string& hex) {
  git_oid id;
  git_check(git_oid_fromstr(&id, hex.c_str()), "oid_fromstr");
  return id;
}

Libgit2Handle::Libgit2Handle(const std::string& repo_dir) {
  git_libgit2_init();
  git_check(git_repository_open(&repo_, repo_dir.c_str()), "repository_open");
}

Libgit2Handle::~Libgit2Handle() {
  git_repository_free(repo_);
  git_libgit2_shutdown();
}

void Libgit2Handle::open_odb(const std::string& hex) {
  git_odb* odb = nullptr;
  git_check(git_repository_odb(&odb, repo_), "repository_odb");
  git_oid id = parse_oid(hex);
  bool exists = git_odb_exists(odb, &id) == 1;
  git_odb_free(odb);
  if (!exists) die("libgit2 does not find object " + hex);
}

}  // namespace bench
