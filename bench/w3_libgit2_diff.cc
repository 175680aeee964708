#include "w3_libgit2_diff.h"

#include "bench_util.h"
#include "libgit2_handle.h"

namespace bench::w3 {

Libgit2Differ::Libgit2Differ(const std::string& repo_dir)
    : handle_(std::make_unique<Libgit2Handle>(repo_dir)) {}

Libgit2Differ::~Libgit2Differ() = default;

void Libgit2Differ::open_odb(const std::string& hex) { handle_->open_odb(hex); }

Libgit2DiffResult Libgit2Differ::diff(const std::string& old_tree_hex,
                                      const std::string& new_tree_hex) {
  git_oid old_id = parse_oid(old_tree_hex), new_id = parse_oid(new_tree_hex);
  Libgit2DiffResult result;
  auto start = Clock::now();
  git_tree *old_tree = nullptr, *new_tree = nullptr;
  git_check(git_tree_lookup(&old_tree, handle_->get(), &old_id), "tree_lookup");
  git_check(git_tree_lookup(&new_tree, handle_->get(), &new_id), "tree_lookup");
  git_diff* diff = nullptr;
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;
  git_check(git_diff_tree_to_tree(&diff, handle_->get(), old_tree, new_tree, &options),
            "diff_tree_to_tree");
  result.deltas = git_diff_num_deltas(diff);
  git_diff_free(diff);
  git_tree_free(old_tree);
  git_tree_free(new_tree);
  result.seconds = seconds_since(start);
  return result;
}

}  // namespace bench::w3
