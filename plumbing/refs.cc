#include "gitstate/plumbing/refs.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <thread>

#include "git_dir_internal.h"
#include "git_error.h"

namespace gitstate {

namespace {
using Clock = std::chrono::steady_clock;

constexpr std::chrono::microseconds kFirstBackoff{50};
constexpr std::chrono::microseconds kMaxBackoff{20000};

struct RefFree {
  void operator()(git_reference* ref) const { git_reference_free(ref); }
};
using RefPtr = std::unique_ptr<git_reference, RefFree>;

Status check_name(const std::string& name) {
  int valid = 0;
  if (git_reference_name_is_valid(&valid, name.c_str()) < 0 || !valid)
    return invalid("'" + name +
                   "' is not a valid ref name (use a full name such as refs/heads/main)");
  return Status::ok();
}

bool has_prefix(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

std::string describe(const std::optional<Oid>& value) { return value ? value->hex() : "absent"; }

// The current value of a direct ref, nullopt when absent (used for messages).
std::optional<Oid> current_value(git_repository* repo, const std::string& name) {
  git_oid oid;
  if (git_reference_name_to_id(&oid, repo, name.c_str()) < 0) return std::nullopt;
  return from_git_oid(&oid);
}

// The ref an update of `name` changes: for HEAD-like names, the ref they
// point to (possibly not existing yet), else `name` itself.
Result<std::string> update_target(git_repository* repo, const std::string& name) {
  bool may_be_symbolic = !has_prefix(name, "refs/") || name.ends_with("/HEAD");
  std::string current = name;
  for (int depth = 0; may_be_symbolic && depth < 5; ++depth) {
    git_reference* raw = nullptr;
    int rc = git_reference_lookup(&raw, repo, current.c_str());
    if (rc == GIT_ENOTFOUND) return current;
    GITSTATE_RETURN_IF_ERROR(git_status(rc, "read ref " + current));
    RefPtr ref(raw);
    if (git_reference_type(raw) != GIT_REFERENCE_SYMBOLIC) return current;
    current = git_reference_symbolic_target(raw);
  }
  if (may_be_symbolic) return invalid("symbolic ref " + name + " nests too deeply");
  return current;
}

// Runs `attempt` (which returns a libgit2 code) until it returns something
// other than GIT_ELOCKED or kRefLockTimeout has passed, sleeping with
// jittered exponential backoff and without the GitDir lock in between.
template <typename Attempt>
int retry_while_locked(RepoGuard& guard, Attempt attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  auto deadline = Clock::now() + kRefLockTimeout;
  auto backoff = kFirstBackoff;
  for (;;) {
    int rc = attempt();
    if (rc != GIT_ELOCKED || Clock::now() >= deadline) return rc;
    std::uniform_int_distribution<long> jitter(backoff.count() / 2, backoff.count() * 3 / 2);
    guard.unlock();
    std::this_thread::sleep_for(std::chrono::microseconds(jitter(rng)));
    guard.lock();
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

Status locked_status(const std::string& name) {
  return Status(Code::kConflict,
                "ref " + name + " stayed locked by another writer for " +
                    std::to_string(kRefLockTimeout.count()) +
                    " ms (a crashed writer leaves <ref>.lock behind: remove it if no writer runs)");
}
}  // namespace

Result<std::optional<Oid>> read_ref(GitDir& dir, const std::string& name) {
  GITSTATE_RETURN_IF_ERROR(check_name(name));
  RepoGuard guard(dir);
  git_oid oid;
  int rc = git_reference_name_to_id(&oid, guard.repo(), name.c_str());
  if (rc == GIT_ENOTFOUND) return std::optional<Oid>();
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "read ref " + name));
  return std::optional<Oid>(from_git_oid(&oid));
}

Result<FileLock> lock_writers(GitDir& dir) {
  return FileLock::acquire(dir.path() + "/gitstate-writer.lock");
}

Result<std::string> head_branch(GitDir& dir) {
  RepoGuard guard(dir);
  git_reference* raw = nullptr;
  GITSTATE_RETURN_IF_ERROR(
      git_status(git_reference_lookup(&raw, guard.repo(), "HEAD"), "read HEAD"));
  RefPtr head(raw);
  if (git_reference_type(raw) != GIT_REFERENCE_SYMBOLIC)
    return invalid("HEAD is detached at " + from_git_oid(git_reference_target(raw)).hex());
  std::string target = git_reference_symbolic_target(raw);
  if (!has_prefix(target, "refs/heads/"))
    return invalid("HEAD points to " + target + ", not to a branch");
  return target.substr(std::string_view("refs/heads/").size());
}

Status set_head_branch(GitDir& dir, const std::string& branch) {
  std::string target = "refs/heads/" + branch;
  GITSTATE_RETURN_IF_ERROR(check_name(target));
  RepoGuard guard(dir);
  git_reference* out = nullptr;
  int rc = git_reference_symbolic_create(&out, guard.repo(), "HEAD", target.c_str(), 1,
                                         ("HEAD: " + target).c_str());
  git_reference_free(out);
  return git_status(rc, "point HEAD at " + target);
}

Result<std::vector<std::pair<std::string, Oid>>> list_refs(GitDir& dir, const std::string& prefix) {
  RepoGuard guard(dir);
  git_reference_iterator* iter = nullptr;
  // Ref names cannot hold glob characters; a prefix with them lists everything and filters.
  bool globbable = prefix.find_first_of("*?[\\") == std::string::npos;
  std::string glob = prefix + "*";
  int rc = globbable ? git_reference_iterator_glob_new(&iter, guard.repo(), glob.c_str())
                     : git_reference_iterator_new(&iter, guard.repo());
  GITSTATE_RETURN_IF_ERROR(git_status(rc, "list refs"));
  std::unique_ptr<git_reference_iterator, void (*)(git_reference_iterator*)> owner(
      iter, git_reference_iterator_free);
  std::vector<std::pair<std::string, Oid>> refs;
  git_reference* raw = nullptr;
  while ((rc = git_reference_next(&raw, iter)) == 0) {
    RefPtr ref(raw);
    std::string name = git_reference_name(raw);
    if (!has_prefix(name, prefix)) continue;
    git_reference* resolved_raw = nullptr;
    if (git_reference_resolve(&resolved_raw, raw) < 0) continue;  // dangling symbolic ref
    RefPtr resolved(resolved_raw);
    refs.emplace_back(std::move(name), from_git_oid(git_reference_target(resolved_raw)));
  }
  if (rc != GIT_ITEROVER) return git_status(rc, "list refs");
  std::sort(refs.begin(), refs.end());
  return refs;
}

Result<JournalTicket> update_ref_unsynced(GitDir& dir, const std::string& name,
                                          const Oid& new_value,
                                          const std::optional<Oid>& expected_old,
                                          const std::string& log_message) {
  GITSTATE_RETURN_IF_ERROR(check_name(name));
  if (new_value.is_zero()) return invalid("cannot point ref " + name + " at the zero id");
  GITSTATE_ASSIGN_OR_RETURN(Journal * journal, GitDirAccess::impl(dir).writable_journal());
  // libgit2 checks that a ref is absent before it takes the ref's lock, so
  // two creators could both pass the check; gitstate's creators take turns.
  std::optional<FileLock> creating;
  if (!expected_old) {
    GITSTATE_ASSIGN_OR_RETURN(FileLock lock,
                              FileLock::acquire(dir.path() + "/gitstate-create.lock"));
    creating.emplace(std::move(lock));
  }
  RepoGuard guard(dir);
  GITSTATE_ASSIGN_OR_RETURN(std::string target, update_target(guard.repo(), name));
  git_oid new_oid = to_git_oid(new_value);
  git_oid old_oid = expected_old ? to_git_oid(*expected_old) : git_oid{};
  int rc = retry_while_locked(guard, [&] {
    git_reference* out = nullptr;
    int r = expected_old ? git_reference_create_matching(&out, guard.repo(), target.c_str(),
                                                         &new_oid, 1, &old_oid, log_message.c_str())
                         : git_reference_create(&out, guard.repo(), target.c_str(), &new_oid, 0,
                                                log_message.c_str());
    git_reference_free(out);
    return r;
  });
  if (rc >= 0)
    return journal->append(JournalRecord::of(JournalRef{target, expected_old, new_value}));
  if (rc == GIT_ELOCKED) return locked_status(target);
  Status failure = git_status(rc, "update ref " + target);
  std::optional<Oid> actual = current_value(guard.repo(), target);
  bool moved = rc == GIT_EMODIFIED || (expected_old && rc == GIT_ENOTFOUND) ||
               (!expected_old && rc == GIT_EEXISTS && actual);
  if (moved)
    return Status(Code::kModified, "ref " + target + " moved: expected " + describe(expected_old) +
                                       ", found " + describe(actual));
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, guard.repo()) == 0) {
    bool exists = git_odb_exists(odb, &new_oid) == 1;
    git_odb_free(odb);
    if (!exists)
      return not_found("cannot point ref " + target + " at " + new_value.hex() +
                       ": no such object in the repository (flush before moving refs)");
  }
  return failure;
}

Status update_ref(GitDir& dir, const std::string& name, const Oid& new_value,
                  const std::optional<Oid>& expected_old, const std::string& log_message) {
  GITSTATE_ASSIGN_OR_RETURN(JournalTicket ticket,
                            update_ref_unsynced(dir, name, new_value, expected_old, log_message));
  return make_durable(dir, ticket);
}

Status make_durable(GitDir& dir, JournalTicket ticket) {
  GITSTATE_ASSIGN_OR_RETURN(Journal * journal, GitDirAccess::impl(dir).writable_journal());
  return journal->sync(ticket);
}

Status delete_ref(GitDir& dir, const std::string& name, const Oid& expected_old) {
  GITSTATE_RETURN_IF_ERROR(check_name(name));
  GITSTATE_ASSIGN_OR_RETURN(Journal * journal, GitDirAccess::impl(dir).writable_journal());
  RepoGuard guard(dir);
  GITSTATE_ASSIGN_OR_RETURN(std::string target, update_target(guard.repo(), name));
  bool symbolic = false;
  int rc = retry_while_locked(guard, [&] {
    git_reference* raw = nullptr;
    int r = git_reference_lookup(&raw, guard.repo(), target.c_str());
    if (r < 0) return r;
    RefPtr ref(raw);
    symbolic = git_reference_type(raw) != GIT_REFERENCE_DIRECT;
    if (symbolic) return static_cast<int>(GIT_EINVALID);
    if (from_git_oid(git_reference_target(raw)) != expected_old)
      return static_cast<int>(GIT_EMODIFIED);
    // libgit2 deletes under the ref's lock only if it still has the value just read.
    return git_reference_delete(raw);
  });
  if (rc >= 0) {
    GITSTATE_ASSIGN_OR_RETURN(
        JournalTicket ticket,
        journal->append(JournalRecord::of(JournalRef{target, expected_old, std::nullopt})));
    guard.unlock();
    return journal->sync(ticket);
  }
  if (rc == GIT_ELOCKED) return locked_status(target);
  if (rc == GIT_ENOTFOUND) return not_found("ref " + target + " does not exist");
  if (symbolic)
    return invalid("ref " + target + " is symbolic; delete_ref removes only direct refs");
  if (rc == GIT_EMODIFIED) {
    std::optional<Oid> actual = current_value(guard.repo(), target);
    return Status(Code::kModified, "ref " + target + " moved: expected " + expected_old.hex() +
                                       ", found " + describe(actual));
  }
  return git_status(rc, "delete ref " + target);
}

Result<size_t> remove_stale_ref_locks(GitDir& dir, std::chrono::seconds age) {
  namespace fs = std::filesystem;
  auto cutoff = fs::file_time_type::clock::now() - age;
  std::vector<fs::path> candidates = {dir.path() + "/HEAD.lock", dir.path() + "/packed-refs.lock"};
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir.path() + "/refs", ec), end; !ec && it != end;
       it.increment(ec))
    if (it->path().extension() == ".lock") candidates.push_back(it->path());
  if (ec) return io_error("list " + dir.path() + "/refs: " + ec.message());
  size_t removed = 0;
  for (const auto& path : candidates) {
    std::error_code time_ec;
    auto mtime = fs::last_write_time(path, time_ec);
    if (!time_ec && mtime < cutoff && fs::remove(path, time_ec)) ++removed;
  }
  return removed;
}

}  // namespace gitstate
