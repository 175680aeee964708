#include "w3_libgit2_diff.h"

#include <git2.h>

#include "bench_util.h"

namespace bench::w3 {

namespace {
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
}  // namespace

Libgit2Differ::Libgit2Differ(const std::string& repo_dir) {
  git_libgit2_init();
  git_check(git_repository_open(&repo_, repo_dir.c_str()), "repository_open");
}

Libgit2Differ::~Libgit2Differ() {
  git_repository_free(repo_);
  git_libgit2_shutdown();
}

void Libgit2Differ::open_odb(const std::string& hex) {
  git_odb* odb = nullptr;
  git_check(git_repository_odb(&odb, repo_), "repository_odb");
  git_oid id = parse_oid(hex);
  bool exists = git_odb_exists(odb, &id) == 1;
  git_odb_free(odb);
  if (!exists) die("libgit2 does not find object " + hex);
}

Libgit2DiffResult Libgit2Differ::diff(const std::string& old_tree_hex, const std::string& new_tree_hex) {
  git_oid old_id = parse_oid(old_tree_hex), new_id = parse_oid(new_tree_hex);
  Libgit2DiffResult result;
  auto start = Clock::now();
  git_tree *old_tree = nullptr, *new_tree = nullptr;
  git_check(git_tree_lookup(&old_tree, repo_, &old_id), "tree_lookup");
  git_check(git_tree_lookup(&new_tree, repo_, &new_id), "tree_lookup");
  git_diff* diff = nullptr;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  git_check(git_diff_tree_to_tree(&diff, repo_, old_tree, new_tree, &options), "diff_tree_to_tree");
  result.deltas = git_diff_num_deltas(diff);
  git_diff_free(diff);
  git_tree_free(old_tree);
  git_tree_free(new_tree);
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace bench::w3
