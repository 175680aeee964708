#include "reachability.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include "git_dir_internal.h"
#include "git_error.h"

namespace gitstate {

namespace fs = std::filesystem;

namespace {
template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using RefPtr = std::unique_ptr<git_reference, Freer<git_reference, git_reference_free>>;
using ObjectPtr = std::unique_ptr<git_object, Freer<git_object, git_object_free>>;

// The id `ref` resolves to; nullopt for a dangling symbolic ref (an unborn
// branch).
Result<std::optional<Oid>> resolve(git_reference* ref) {
  git_reference* resolved = nullptr;
  int rc = git_reference_resolve(&resolved, ref);
  if (rc == GIT_ENOTFOUND) return std::optional<Oid>();
  if (rc < 0) return git_status(rc, std::string("resolve ") + git_reference_name(ref));
  RefPtr owner(resolved);
  return std::optional<Oid>(from_git_oid(git_reference_target(resolved)));
}

Status add_reflog_roots(git_repository* repo, std::vector<Root>& roots) {
  std::string logs = std::string(git_repository_path(repo)) + "logs";
  std::error_code ec;
  if (!fs::is_directory(logs, ec)) return Status::ok();
  for (fs::recursive_directory_iterator it(logs, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) continue;
    std::string name = fs::relative(it->path(), logs, type_ec).generic_string();
    if (type_ec || name.ends_with(".lock")) continue;
    git_reflog* log = nullptr;
    int rc = git_reflog_read(&log, repo, name.c_str());
    if (rc < 0) return git_status(rc, "read the reflog of " + name);
    std::unique_ptr<git_reflog, Freer<git_reflog, git_reflog_free>> owner(log);
    for (size_t i = 0, n = git_reflog_entrycount(log); i < n; ++i) {
      const git_reflog_entry* entry = git_reflog_entry_byindex(log, i);
      for (const git_oid* id : {git_reflog_entry_id_old(entry), git_reflog_entry_id_new(entry)})
        if (!git_oid_is_zero(id)) roots.push_back({"reflog of " + name, from_git_oid(id), false});
    }
  }
  if (ec) return io_error("list " + logs + ": " + ec.message());
  return Status::ok();
}
}  // namespace

Result<std::vector<Root>> list_roots(git_repository* repo) {
  std::vector<Root> roots;
  git_reference_iterator* iter = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_reference_iterator_new(&iter, repo), "list refs"));
  std::unique_ptr<git_reference_iterator,
                  Freer<git_reference_iterator, git_reference_iterator_free>>
      iter_owner(iter);
  git_reference* raw = nullptr;
  int rc;
  while ((rc = git_reference_next(&raw, iter)) == 0) {
    RefPtr ref(raw);
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> id, resolve(raw));
    if (id) roots.push_back({git_reference_name(raw), *id, true});
  }
  if (rc != GIT_ITEROVER) return git_status(rc, "list refs");
  rc = git_reference_lookup(&raw, repo, "HEAD");
  if (rc == 0) {
    RefPtr head(raw);
    GITSTATE_ASSIGN_OR_RETURN(std::optional<Oid> id, resolve(raw));
    if (id) roots.push_back({"HEAD", *id, true});
  } else if (rc != GIT_ENOTFOUND) {
    return git_status(rc, "read HEAD");
  }
  GITSTATE_RETURN_IF_ERROR(add_reflog_roots(repo, roots));
  return roots;
}

Result<Reachability> Reachability::create(git_repository* repo) {
  git_odb* odb = nullptr;
  GITSTATE_RETURN_IF_ERROR(git_status(git_repository_odb(&odb, repo), "open object database"));
  return Reachability(repo, odb);
}

Reachability::Reachability(Reachability&& other) noexcept
    : repo_(other.repo_),
      odb_(other.odb_),
      index_(std::move(other.index_)),
      objects_(std::move(other.objects_)) {
  other.odb_ = nullptr;
}

Reachability::~Reachability() { git_odb_free(odb_); }

Status Reachability::mark(const Oid& root, bool strict, const std::string& what) {
  std::vector<Reached> stack{{root, GIT_OBJECT_ANY, ""}};
  while (!stack.empty()) {
    Reached next = std::move(stack.back());
    stack.pop_back();
    if (contains(next.id)) continue;
    git_oid oid = to_git_oid(next.id);
    auto missing = [&]() -> Status {
      if (!strict) return Status::ok();
      return corrupt("object " + next.id.hex() + ", reachable from " + what + ", is missing");
    };
    if (next.type == GIT_OBJECT_BLOB) {  // needs no reading, only to exist
      if (git_odb_exists(odb_, &oid) != 1) {
        GITSTATE_RETURN_IF_ERROR(missing());
        continue;
      }
      index_.emplace(next.id, objects_.size());
      objects_.push_back(std::move(next));
      continue;
    }
    git_object* raw = nullptr;
    int rc = git_object_lookup(&raw, repo_, &oid, next.type);
    if (rc == GIT_ENOTFOUND) {
      GITSTATE_RETURN_IF_ERROR(missing());
      continue;
    }
    if (rc < 0) return git_status(rc, "read object " + next.id.hex() + ", reachable from " + what);
    ObjectPtr object(raw);
    next.type = git_object_type(raw);
    index_.emplace(next.id, objects_.size());
    objects_.push_back(next);
    switch (next.type) {
      case GIT_OBJECT_COMMIT: {
        auto* commit = reinterpret_cast<git_commit*>(raw);
        stack.push_back({from_git_oid(git_commit_tree_id(commit)), GIT_OBJECT_TREE, ""});
        for (unsigned i = 0, n = git_commit_parentcount(commit); i < n; ++i)
          stack.push_back({from_git_oid(git_commit_parent_id(commit, i)), GIT_OBJECT_COMMIT, ""});
        break;
      }
      case GIT_OBJECT_TREE: {
        auto* tree = reinterpret_cast<git_tree*>(raw);
        for (size_t i = 0, n = git_tree_entrycount(tree); i < n; ++i) {
          const git_tree_entry* entry = git_tree_entry_byindex(tree, i);
          git_object_t type = git_tree_entry_type(entry);
          if (type != GIT_OBJECT_TREE && type != GIT_OBJECT_BLOB) continue;  // submodule commit
          stack.push_back(
              {from_git_oid(git_tree_entry_id(entry)), type, git_tree_entry_name(entry)});
        }
        break;
      }
      case GIT_OBJECT_TAG: {
        auto* tag = reinterpret_cast<git_tag*>(raw);
        stack.push_back({from_git_oid(git_tag_target_id(tag)), GIT_OBJECT_ANY, ""});
        break;
      }
      default:
        break;
    }
  }
  return Status::ok();
}

}  // namespace gitstate
