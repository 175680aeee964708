#include "w4_libgit2_merge.h"

#include "libgit2_handle.h"

namespace bench::w4 {

Libgit2Merger::Libgit2Merger(const std::string& repo_dir)
    : handle_(std::make_unique<Libgit2Handle>(repo_dir)) {}

Libgit2Merger::~Libgit2Merger() = default;

void Libgit2Merger::open_odb(const std::string& hex) { handle_->open_odb(hex); }

size_t Libgit2Merger::merge(const std::string& ancestor_hex, const std::string& ours_hex,
                            const std::string& theirs_hex) {
  git_repository* repo = handle_->get();
  git_oid ids[3] = {parse_oid(ancestor_hex), parse_oid(ours_hex), parse_oid(theirs_hex)};
  git_tree* trees[3] = {};
  for (int i = 0; i < 3; ++i) git_check(git_tree_lookup(&trees[i], repo, &ids[i]), "tree_lookup");
  git_merge_options options = GIT_MERGE_OPTIONS_INIT;
  git_index* index = nullptr;
  git_check(git_merge_trees(&index, repo, trees[0], trees[1], trees[2], &options), "merge_trees");
  size_t conflicts = 0;
  git_index_conflict_iterator* it = nullptr;
  git_check(git_index_conflict_iterator_new(&it, index), "index_conflict_iterator_new");
  const git_index_entry *ancestor = nullptr, *ours = nullptr, *theirs = nullptr;
  while (git_index_conflict_next(&ancestor, &ours, &theirs, it) == 0) ++conflicts;
  git_index_conflict_iterator_free(it);
  git_index_free(index);
  for (git_tree* tree : trees) git_tree_free(tree);
  return conflicts;
}

}  // namespace bench::w4
